"""Households and tenancies. A household shows only the fields its reader may see; reads are audited."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from households.api.filters import HouseholdFilter, TenancyFilter
from households.api.serializers import HouseholdSerializer, TenancySerializer
from partners.models import AuditEvent, Partner

from ... import selectors
from .. import examples
from ..compat import audit_record, household_get, visible_household_fields
from .base import ApiViewMixin, parse_id

CHANNEL = "api"


@extend_schema_view(
    list=extend_schema(
        summary="List households",
        description="Your corporation's tenants, and households of cases routed or referred to your "
        "organisation. Each shows only the fields you may see; every listed household's read is audited.",
        examples=[examples.response(examples.HOUSEHOLD)],
    ),
    retrieve=extend_schema(summary="One household", examples=[examples.response(examples.HOUSEHOLD)]),
)
class HouseholdViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self):
        return selectors.household_list(user=self.request.user, partner=self.scope)

    def _visible(self, household):
        return selectors.household_fields(
            user=self.request.user, household=household, visible_for_case=visible_household_fields, partner=self.scope
        )

    def _audit(self, household):
        audit_record(
            user=self.request.user,
            action=AuditEvent.Action.VIEW,
            obj=household,
            household_id=household.pk,
            channel=CHANNEL,
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        for household in page:
            household.visible_fields = self._visible(household)
            self._audit(household)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        pk = parse_id(kwargs["pk"])
        if self.scope is not None and not self.get_queryset().filter(pk=pk).exists():
            raise Http404
        household = household_get(user=request.user, pk=pk)
        household.visible_fields = self._visible(household)
        return Response(self.get_serializer(household).data)


@extend_schema_view(
    list=extend_schema(
        summary="List tenancies",
        description="Your corporation's tenancies with their current arrears. Not available to social services.",
        examples=[examples.response(examples.TENANCY)],
    ),
    retrieve=extend_schema(summary="One tenancy", examples=[examples.response(examples.TENANCY)]),
)
class TenancyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TenancySerializer
    filterset_class = TenancyFilter
    api_partner_kind = Partner.Kind.CORPORATION

    def get_queryset(self):
        return selectors.tenancy_list(user=self.request.user, partner=self.scope)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
