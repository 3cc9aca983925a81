"""Dashboard figures for managers and partner admins: the tables of the dashboards page, as JSON.

The dashboards workstream computes them (``selectors.dashboard``, ``reporting``), with its
protection of small numbers (ADR 0044: counts rounded to multiples of 5, a hidden figure reads ``"x"``);
this view only shapes them.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.api.examples import response
from partners.api.views import ApiViewMixin
from partners.models import Role
from reporting import selectors
from reporting.page import WEEK_RANGES, selectable_weeks
from reporting.suppression import API_HIDDEN, is_suppressed
from reporting.weeks import Week

WEEK_RE = re.compile(r"^[0-9]{4}-W[0-9]{2}$")


DASHBOARD_EXAMPLE = {
    "partner": "drechtwonen",
    "live_week": "2026-W41",
    "week": "2026-W41",
    "weeks": ["2026-W40", "2026-W41"],
    "headlines": [
        {
            "key": "new_signals",
            "label": "New cases",
            "kind": "count",
            "period": "week 2026-W41 so far",
            "value": 40,
            "previous": 35,
            "definition": "Cases opened in the week for your tenants: an arrears episode crossed your trigger.",
        }
    ],
    "tables": {
        "weekly-cases": {
            "title": "Cases per week",
            "note": "",
            "columns": [
                {"key": "week", "label": "Week", "kind": "text"},
                {"key": "new_signals", "label": "New cases", "kind": "count"},
            ],
            "rows": [{"week": "2026-W40", "new_signals": 35}, {"week": "2026-W41", "new_signals": 40}],
        },
        "neighbourhoods": {
            "title": "Per neighbourhood",
            "note": "Counts are rounded to multiples of 5.",
            "columns": [
                {"key": "area", "label": "Neighbourhood", "kind": "text"},
                {"key": "open_cases", "label": "Open cases", "kind": "count"},
            ],
            "rows": [{"area": "Binnenstad (BU05050101)", "open_cases": 5}],
        },
    },
}


class DashboardQuery(serializers.Serializer):
    weeks = serializers.ChoiceField(choices=WEEK_RANGES, default=WEEK_RANGES[0], help_text="Weeks of trend.")
    week = serializers.RegexField(
        WEEK_RE, required=False, help_text="ISO week for the breakdowns, e.g. 2026-W40 (default: this week)."
    )

    def validate_week(self, value):
        weeks = {week.label: week for week in selectable_weeks()}
        if value not in weeks:
            raise serializers.ValidationError(_("Give one of the last 52 ISO weeks, like %(week)s.") % {"week": value})
        return weeks[value]


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="count, money, decimal, percent or text")


class TableSerializer(serializers.Serializer):
    title = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField(child=serializers.JSONField(allow_null=True)))


class HeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    period = serializers.CharField(help_text="What the value covers, e.g. “2026-Q1 so far”.")
    value = serializers.JSONField(allow_null=True)
    previous = serializers.JSONField(allow_null=True, help_text="The period before (last week or quarter).")
    definition = serializers.CharField(help_text="What the figure counts, as the dashboard says beside it.")


class DashboardSerializer(serializers.Serializer):
    partner = serializers.CharField()
    live_week = serializers.CharField()
    week = serializers.CharField()
    weeks = serializers.ListField(child=serializers.CharField())
    headlines = HeadlineSerializer(many=True)
    tables = serializers.DictField(child=TableSerializer())


def plain(value):
    """A cell as JSON: a hidden figure as "x", amounts as strings (like every amount in the API), dates as
    ISO strings."""
    if value is None or isinstance(value, bool | int):
        return value
    if is_suppressed(value):
        return API_HIDDEN
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, Week):
        return value.label
    return value if isinstance(value, float) else str(value)


def dashboard_data(board):
    return {
        "partner": board.partner.slug,
        "live_week": board.live_week.label,
        "week": board.week.label,
        "weeks": [week.label for week in board.weeks],
        "headlines": [
            {
                "key": item["key"],
                "label": str(item["label"]),
                "kind": item["kind"],
                "period": str(item["period"]),
                "value": plain(item["value"]),
                "previous": plain(item["previous"]),
                "definition": str(item["definition"]),
            }
            for item in board.headlines()
        ],
        "tables": {
            name: {
                "title": str(table.title),
                "note": str(table.note),
                "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
                "rows": [{c.key: plain(row.get(c.key)) for c in table.columns} for row in table.rows],
            }
            for name, table in board.tables.items()
        },
    }


class DashboardView(ApiViewMixin, APIView):
    api_roles = (Role.MANAGER, Role.ADMIN)

    @extend_schema(
        summary="Dashboard figures",
        description="Your partner's figures as the dashboards page shows them: reach and help accepted per "
        "ISO week and per calendar quarter (the DDAS monitor export's periods), the trend over 13 or 52 "
        "ISO weeks, the breakdowns of one week (outcomes, arrears, municipalities, districts, neighbourhoods) "
        "and the workload now; each headline with its definition. Every count is rounded to a multiple of 5 "
        "(the parts of a table add up to its rounded total); a sum, share or median of fewer than 10 "
        'households reads "x". Managers and partner admins.',
        parameters=[DashboardQuery],
        responses=DashboardSerializer,
        examples=[response(DASHBOARD_EXAMPLE)],
    )
    def get(self, request):
        query = DashboardQuery(data=request.query_params.dict())  # a plain dict: an empty value is refused
        query.is_valid(raise_exception=True)
        board = selectors.dashboard(
            user=request.user,
            partner=self.acting.partner,
            weeks=query.validated_data["weeks"],
            week=query.validated_data.get("week"),
        )
        return Response(dashboard_data(board))
