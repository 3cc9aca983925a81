"""Assemble what a manager sees: the weekly trend (13 or 52 weeks up to the live week), the breakdowns of
one chosen week and the workload now — as the tables of ``tables.py``."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from reporting import tables
from reporting.snapshots import trend, week_figures
from reporting.weeks import Week, current_week, last_weeks
from reporting.workload import workload

WEEK_RANGES = (13, 52)
WEEKLY, WEEK, WORKLOAD = "weekly", "week", "workload"
TABLE_GROUPS = {
    "weekly-cases": WEEKLY,
    "weekly-arrears": WEEKLY,
    "weekly-referrals": WEEKLY,
    "weekly-speed": WEEKLY,
    "weekly-evictions": WEEKLY,
    "outcomes": WEEK,
    "arrears-distribution": WEEK,
    "municipalities": WEEK,
    "districts": WEEK,
    "neighbourhoods": WEEK,
    "caseworkers": WORKLOAD,
    "queues": WORKLOAD,
}
HEADLINES = (
    ("weekly-cases", "new_signals", _("New cases")),
    ("weekly-cases", "open_cases", _("Open cases")),
    ("weekly-cases", "cases_closed", _("Cases closed")),
    ("weekly-arrears", "arrears_total", _("Total arrears")),
    ("weekly-cases", "in_respite", _("Households in respite")),
    ("weekly-cases", "overdue", _("Overdue now")),
    ("weekly-speed", "share_in_time", _("Contacted within 5 working days (%)")),
    ("weekly-speed", "days_to_attempt_p50", _("Days to first attempt (median)")),
)


@dataclass
class Dashboard:
    partner: Partner
    live_week: Week
    weeks: list[Week]
    week: Week
    tables: dict = field(default_factory=dict)

    @property
    def is_live(self):
        return self.week == self.live_week

    def headlines(self):
        """This week against the week before, for the cards at the top."""
        result = []
        for table_name, key, label in HEADLINES:
            table = self.tables.get(table_name)
            if table is None or not table.rows:
                continue
            column = next(column for column in table.columns if column.key == key)
            now = table.rows[-1].get(key)
            before = table.rows[-2].get(key) if len(table.rows) > 1 else None
            result.append({"label": label, "kind": column.kind, "value": now, "previous": before})
        return result


def selectable_weeks(now=None):
    """The weeks a manager can pick, newest first: the live week and the 51 before it."""
    return list(reversed(last_weeks(max(WEEK_RANGES), until=current_week(now))))


def build(partner: Partner, *, weeks=13, week: Week | None = None, groups=(WEEKLY, WEEK, WORKLOAD), now=None):
    now = now or timezone.now()
    live = current_week(now)
    shown = last_weeks(weeks, until=live)
    dashboard = Dashboard(partner=partner, live_week=live, weeks=shown, week=week or live)
    live_figures = None
    if WEEKLY in groups:
        series = trend(partner, shown, now=now)
        live_figures = series[-1]
        dashboard.tables.update((table.name, table) for table in tables.weekly_tables(series))
    if WEEK in groups:
        if dashboard.week == live and live_figures is not None:
            figures = live_figures
        else:
            figures = week_figures(partner, dashboard.week, now=now)
        for table in (tables.outcome_table(figures), tables.arrears_table(figures), *tables.area_tables(figures)):
            dashboard.tables[table.name] = table
    if WORKLOAD in groups:
        caseworkers, queues = workload(partner, now=now)
        dashboard.tables["caseworkers"], dashboard.tables["queues"] = tables.workload_tables(
            caseworkers, queues, partner
        )
    return dashboard
