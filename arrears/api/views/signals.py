"""Arrears episodes, one per episode of a tenancy. The resource keeps its name ``signals`` (integrators
use it); its descriptions say what it is (docs/adr/0091)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from arrears import disclosure, selectors
from arrears.api import examples
from arrears.api.filters import SignalFilter
from arrears.api.serializers.cases import SignalSerializer
from partners import bounds
from partners.api.examples import response
from partners.api.views import ApiViewMixin


@extend_schema_view(
    list=extend_schema(
        summary="List arrears episodes",
        description="Arrears episodes (one per episode of a tenancy; the resource is called `signals` for "
        "compatibility) of your own tenants, and of cases signalled or referred to you. A signal in the legal "
        "sense is what a case becomes when it is routed to a social service. A social service sees the fields "
        "of the national data standard (DDAS), not the tenancy, rent or history.",
        examples=[response(examples.SIGNAL)],
    ),
    retrieve=extend_schema(summary="One arrears episode", examples=[response(examples.SIGNAL)]),
)
class SignalViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SignalSerializer
    filterset_class = SignalFilter

    def get_queryset(self):
        return selectors.signal_list(user=self.request.user, partner=self.scope)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        cases = {signal.case_id: signal.case for signal in page if signal.case_id}
        context["disclosed"] = disclosure.visible_fields_many(user=request.user, cases=cases.values())
        return self.get_paginated_response(self.get_serializer_class()(page, many=True, context=context).data)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=bounds.id_or_404(self.kwargs["pk"]))
