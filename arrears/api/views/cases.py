"""Cases: list, filter and read. The state transitions are actions (``case_actions``)."""

from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from arrears import disclosure, selectors
from arrears.api import examples
from arrears.api.filters import CaseFilter
from arrears.api.serializers.cases import CaseDetailSerializer, CaseSerializer
from arrears.api.views.case_actions import CaseActionsMixin
from arrears.models import Signal
from partners import bounds
from partners.api.examples import response
from partners.api.views import CHANNEL, ApiViewMixin


def open_arrears():
    """Subquery: the total of a case's open arrears episodes (a subquery, so the list's joins cannot double it)."""
    return Subquery(
        Signal.objects.filter(case=OuterRef("pk"), status=Signal.Status.OPEN)
        .order_by()
        .values("case")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


class CaseReadMixin(ApiViewMixin):
    # Case lookups shared by the read endpoints and the actions.

    def get_queryset(self):
        cases = selectors.narrow_to_partner(selectors.case_list(user=self.request.user), self.scope)
        return cases.annotate(arrears_amount=open_arrears())

    def get_case(self):
        """The case named in the path, through ``case_get`` (404 for anything not visible; audited)."""
        pk = bounds.id_or_404(self.kwargs["pk"])
        if self.scope is not None and not self.get_queryset().filter(pk=pk).exists():
            raise Http404
        return selectors.case_get(user=self.request.user, pk=pk, channel=CHANNEL)

    def case_response(self, case, status=200):
        """The case as it is now. After an action that moved it out of the user's sight (e.g. rerouted
        away) the answer still describes the case, with no household fields beyond the id."""
        visible = self.get_queryset().filter(pk=case.pk).first()
        if visible is None:
            case.refresh_from_db()
            case.arrears_amount = None
            visible = case
        case = visible
        case.household.visible_fields = selectors.visible_household_fields(user=self.request.user, case=case)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=status)


@extend_schema_view(
    list=extend_schema(
        summary="List cases",
        description="Cases your organisation may see: a corporation its own tenants' cases, a social service "
        "the cases in its queue or referred to it. Filter by state, queue, assignee, area and more.",
        examples=[response(examples.CASE)],
    ),
    retrieve=extend_schema(
        summary="One case",
        description="With the household (only the fields you may see) and its arrears episodes (`signals`). The "
        "read is audited.",
        examples=[response(examples.CASE_DETAIL)],
    ),
)
class CaseViewSet(CaseActionsMixin, CaseReadMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = CaseFilter

    def get_serializer_class(self):
        return CaseSerializer if self.action == "list" else CaseDetailSerializer

    def list(self, request, *args, **kwargs):
        """The page's disclosure answers up front, in two queries (``arrears.disclosure``)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["disclosed"] = disclosure.visible_fields_many(user=request.user, cases=page)
        return self.get_paginated_response(CaseSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        return self.case_response(self.get_case())
