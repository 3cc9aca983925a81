"""Dashboard figures for managers (the dashboards workstream computes them)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.models import Role

from ... import selectors
from .. import examples
from .base import ApiViewMixin


class DashboardView(ApiViewMixin, APIView):
    api_roles = (Role.MANAGER, Role.ADMIN)

    @extend_schema(
        summary="Dashboard figures",
        responses=dict,
        examples=[
            examples.response({"open_cases": 412, "open_signals": 398, "arrears_total": "512340.12", "in_respite": 23})
        ],
    )
    def get(self, request):
        return Response(selectors.partner_figures(partner=self.acting.partner))
