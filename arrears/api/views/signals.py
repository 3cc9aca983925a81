"""Signals: one per arrears episode of a tenancy."""

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
        summary="List signals",
        description="Arrears episodes of your own tenants, and of cases routed or referred to you. A social "
        "service sees the fields of the national data standard (DDAS), not the tenancy, rent or history.",
        examples=[response(examples.SIGNAL)],
    ),
    retrieve=extend_schema(summary="One signal", examples=[response(examples.SIGNAL)]),
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
