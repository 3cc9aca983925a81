"""Referrals (warm handovers, DDAS ``warmeOverdracht``): a corporation refers a household with its
consent; the social service accepts or declines; the sender may withdraw."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from arrears import selectors
from arrears.api import examples
from arrears.api.filters import ReferralFilter
from arrears.api.serializers import actions as inputs
from arrears.api.serializers.cases import ReferralSerializer
from arrears.services import referrals as referral_services
from partners import bounds
from partners.api.examples import request, response
from partners.api.views import CHANNEL, ApiViewMixin


def decision(name, status, input_class, summary, description, example):
    def decorate(method):
        method = action(detail=True, methods=["post"], url_path=name, url_name=name, filter_backends=[])(method)
        return extend_schema(
            summary=summary,
            description=description,
            request=input_class,
            responses={200: ReferralSerializer},
            examples=[request(example), response({**examples.REFERRAL, "status": status})],
        )(method)

    return decorate


@extend_schema_view(
    list=extend_schema(
        summary="List referrals",
        description="Referrals your organisation sent or received.",
        examples=[response(examples.REFERRAL)],
    ),
    retrieve=extend_schema(summary="One referral", examples=[response(examples.REFERRAL)]),
    create=extend_schema(
        summary="Refer a household",
        description="A warm handover of the case's household to a social service, with the household's consent.",
        request=inputs.ReferralCreateInput,
        responses={201: ReferralSerializer},
        examples=[
            request(
                {"case": 903, "to_partner": "sdd", "consent_on": "2026-10-01", "reason": "Asks for budget advice."}
            ),
            response(examples.REFERRAL),
        ],
    ),
)
class ReferralViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def get_queryset(self):
        referrals = selectors.referral_list(user=self.request.user)
        if self.scope is not None:
            referrals = referrals.filter(Q(from_partner=self.scope) | Q(to_partner=self.scope))
        return referrals.select_related("created_by", "decided_by")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=bounds.id_or_404(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        data = inputs.ReferralCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        cases = selectors.narrow_to_partner(selectors.case_list(user=request.user), self.scope)
        if not cases.filter(pk=values["case"]).exists():
            raise Http404
        case = selectors.case_get(user=request.user, pk=values.pop("case"), channel=CHANNEL)
        referral = referral_services.referral_create(case=case, by=request.user, **values)
        return Response(self.get_serializer(referral).data, status=201)

    def _decide(self, service, input_class):
        data = input_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        referral = self.get_object()
        service(referral=referral, by=self.request.user, **data.validated_data)
        referral.refresh_from_db()
        return Response(self.get_serializer(referral).data)

    @decision(
        "accept", "accepted", inputs.ReferralDecisionInput, "Accept a referral", "The receiving social service.", {}
    )
    def accept(self, request, pk=None):
        return self._decide(referral_services.referral_accept, inputs.ReferralDecisionInput)

    @decision(
        "decline",
        "declined",
        inputs.ReferralDeclineInput,
        "Decline a referral",
        "The receiving social service, with a reason.",
        {"reason": "Household lives outside our municipalities."},
    )
    def decline(self, request, pk=None):
        return self._decide(referral_services.referral_decline, inputs.ReferralDeclineInput)

    @decision(
        "withdraw", "withdrawn", inputs.ReferralDecisionInput, "Withdraw a referral", "The sender, while it waits.", {}
    )
    def withdraw(self, request, pk=None):
        return self._decide(referral_services.referral_withdraw, inputs.ReferralDecisionInput)
