"""Households and tenancies: what the user sees in full. Every household read is audited (channel ``api``).

A social service that has not taken a signal up sees its household only through the case, with the
signal's fields (``GET /cases/{id}/``); here it is simply not found.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from arrears import selectors
from arrears.api import examples
from households.api.filters import HouseholdFilter, TenancyFilter
from households.api.serializers import HOUSEHOLD_FIELDS, HouseholdSerializer, TenancySerializer
from partners import bounds
from partners.api.examples import response
from partners.api.views import CHANNEL, ApiViewMixin
from partners.models import Partner


@extend_schema_view(
    list=extend_schema(
        summary="List households",
        description="Households you may see in full: your corporation's tenants with a case, and households "
        "whose signal or referral your social service took up or accepted. Every listed household's read "
        "is audited.",
        examples=[response(examples.HOUSEHOLD)],
    ),
    retrieve=extend_schema(summary="One household", examples=[response(examples.HOUSEHOLD)]),
)
class HouseholdViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self):
        return selectors.household_list_for(user=self.request.user, partner=self.scope)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        for household in page:
            household.visible_fields = HOUSEHOLD_FIELDS
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        pk = bounds.id_or_404(kwargs["pk"])
        if self.scope is not None and not self.get_queryset().filter(pk=pk).exists():
            raise Http404
        household = selectors.household_get(user=request.user, pk=pk, channel=CHANNEL)
        household.visible_fields = HOUSEHOLD_FIELDS
        return Response(self.get_serializer(household).data)


@extend_schema_view(
    list=extend_schema(
        summary="List tenancies",
        description="Your corporation's tenancies of the households you see in full, with their current "
        "arrears. Not available to social services.",
        examples=[response(examples.TENANCY)],
    ),
    retrieve=extend_schema(summary="One tenancy", examples=[response(examples.TENANCY)]),
)
class TenancyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TenancySerializer
    filterset_class = TenancyFilter
    api_partner_kind = Partner.Kind.CORPORATION

    def get_queryset(self):
        return selectors.tenancy_list(user=self.request.user, partner=self.scope)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=bounds.id_or_404(self.kwargs["pk"]))
