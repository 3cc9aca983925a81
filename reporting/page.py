"""Assemble what a manager sees: the monitor's reach and help accepted (per week and per quarter), the weekly
trend (13 or 52 weeks up to the live week), the breakdowns of one chosen week and the workload now — as the
tables of ``tables.py``, with the headline cards and each figure's definition (``definitions.py``)."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from reporting import monitor, tables
from reporting.definitions import DEFINITIONS
from reporting.snapshots import trend, week_figures
from reporting.weeks import Quarter, Week, current_quarter, current_week, last_quarters, last_weeks
from reporting.workload import workload

WEEK_RANGES = (13, 52)
WEEK_VIEW, QUARTER_VIEW = "week", "quarter"
WEEKLY, WEEK, WORKLOAD, MONITOR = "weekly", "week", "workload", "monitor"
TABLE_GROUPS = {
    "monitor-weeks": MONITOR,
    "monitor-quarters": MONITOR,
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
GROUPS = (MONITOR, WEEKLY, WEEK, WORKLOAD)
#: The cards at the top: (table, column), each labelled and defined by ``reporting.definitions``. The
#: monitor's figures are for this quarter so far against the last; the others this week against the last.
HEADLINES = (
    ("monitor-quarters", "reach"),
    ("monitor-quarters", "help_accepted"),
    ("weekly-cases", "new_signals"),
    ("weekly-cases", "open_cases"),
    ("weekly-cases", "overdue"),
    ("weekly-cases", "in_respite"),
    ("weekly-cases", "cases_closed"),
    ("weekly-arrears", "arrears_total"),
    ("weekly-speed", "share_in_time"),
    ("weekly-speed", "days_to_attempt_p50"),
)


@dataclass
class Dashboard:
    partner: Partner
    live_week: Week
    weeks: list[Week]
    week: Week
    tables: dict = field(default_factory=dict)
    quarters: list[Quarter] = field(default_factory=list)
    live_total: dict = field(default_factory=dict)  # the live week's raw figures: never published as such

    @property
    def is_live(self):
        return self.week == self.live_week

    def headlines(self, *, queue_links=False):
        """The cards at the top: each figure now against the period before, with its definition. With
        ``queue_links`` (a user whose queue lists exactly the partner's cases: ``selectors.queue_links``),
        a figure of now also carries the queue filtered to the cases it counts and their exact number —
        what that queue shows the user anyway; the card's own value stays the published one."""
        result = []
        for table_name, key in HEADLINES:
            table = self.tables.get(table_name)
            if table is None or not table.rows:
                continue
            column = next(column for column in table.columns if column.key == key)
            definition = DEFINITIONS[key]
            quarterly = table_name == "monitor-quarters"
            now = table.rows[-1]
            item = {
                "key": key,
                "label": definition.label,
                "kind": column.kind,
                "value": now.get(key),
                "period": (
                    _("%(quarter)s so far") % {"quarter": now["quarter"]}
                    if quarterly
                    else _("week %(week)s so far") % {"week": now["week"]}
                ),
                "previous": table.rows[-2].get(key) if len(table.rows) > 1 else None,
                "previous_label": _("last quarter") if quarterly else _("last week"),
                "definition": definition.text(self.partner),
                "queue_url": None,
                "exact": None,
            }
            if queue_links and key in self.live_total and definition.queue_filter(self.partner) is not None:
                item["queue_url"] = definition.queue_url(self.partner)
                item["exact"] = self.live_total[key]
            result.append(item)
        return result


def quarters_shown(weeks, *, now=None):
    """The quarter view's quarters: those the weeks shown reach into, and at least the last one (the
    headline cards compare this quarter with it) — 13 weeks: two or three quarters, 52 weeks: five."""
    current = current_quarter(now)
    first = min(Quarter.containing(weeks[0].first_day), current.shifted(-1), key=lambda quarter: quarter.first_day)
    return [quarter for quarter in last_quarters(20, until=current) if quarter.first_day >= first.first_day]


def selectable_weeks(now=None):
    """The weeks a manager can pick, newest first: the live week and the 51 before it."""
    return list(reversed(last_weeks(max(WEEK_RANGES), until=current_week(now))))


def build(partner: Partner, *, weeks=13, week: Week | None = None, groups=GROUPS, now=None):
    now = now or timezone.now()
    live = current_week(now)
    shown = last_weeks(weeks, until=live)
    dashboard = Dashboard(partner=partner, live_week=live, weeks=shown, week=week or live)
    dashboard.quarters = quarters_shown(shown, now=now)
    live_figures = None
    if MONITOR in groups:
        # One query for both views: the cases signalled per day since the earliest period shown.
        quarters = dashboard.quarters
        days = monitor.counts_per_day(
            partner, min(shown[0].first_day, quarters[0].first_day), max(live.last_day, quarters[-1].last_day), now=now
        )
        dashboard.tables["monitor-weeks"] = tables.monitor_weeks_table(shown, monitor.tally(days, shown))
        dashboard.tables["monitor-quarters"] = tables.monitor_quarters_table(quarters, monitor.tally(days, quarters))
    if WEEKLY in groups:
        series = trend(partner, shown, now=now)
        live_figures = series[-1]
        dashboard.live_total = dict(live_figures.total)
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
