"""The dashboard's views as tables: what the page shows beside each chart and what CSV/XLSX export.

Every table is built here, with the suppression rule applied, so the page, the printable report and
the exports cannot disagree.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..vocabularies import FinalResult
from ..workflow import OPEN_STATES
from .areas import AREAS, DISTRICT, MUNICIPALITY, NEIGHBOURHOOD, area_label
from .figures import WeekFigures, share
from .suppression import SUPPRESSED, Rule, is_suppressed, suppress


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"  # count | money | decimal | percent | text


@dataclass(frozen=True)
class Chart:
    kind: str  # line | bar
    columns: tuple[str, ...]
    horizontal: bool = False


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    chart: Chart | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def label_column(self):
        return self.columns[0]

    def chart_data(self):
        """What ``static/js/dashboards.js`` draws: labels and one series per column (gaps for "<5")."""
        if self.chart is None:
            return None
        by_key = {column.key: column for column in self.columns}
        return {
            "type": self.chart.kind,
            "horizontal": self.chart.horizontal,
            "money": all(by_key[key].kind == "money" for key in self.chart.columns),
            "labels": [str(row[self.label_column.key]) for row in self.rows],
            "datasets": [
                {"label": str(by_key[key].label), "data": [_plain(row.get(key)) for row in self.rows]}
                for key in self.chart.columns
            ],
        }

    def cells(self):
        """Rows as ``[(column, value), …]`` for templates."""
        return [[(column, row.get(column.key)) for column in self.columns] for row in self.rows]


def _plain(value):
    if value is None or is_suppressed(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


WEEK = Column("week", _("Week"), "text")
SPEED_DEPENDENTS = {
    "share_in_time": "due",
    "days_to_attempt_p50": "first_attempts",
    "days_to_attempt_p90": "first_attempts",
    "days_to_reached_p50": "first_reached",
    "days_to_reached_p90": "first_reached",
}


def _weekly(name, title, columns, weeks, chart, dependents=None, note=""):
    rows = []
    for figures in weeks:
        row = {"week": figures.week.label, **figures.total, "share_in_time": figures.ratio_in_time()}
        rows.append({column.key: row.get(column.key) for column in columns})
    counts = tuple(column.key for column in columns if column.kind == "count")
    rows = suppress(rows, Rule(counts=counts, dependents=dependents or {}))
    return Table(name, title, columns, rows, chart, note)


def weekly_tables(weeks: list[WeekFigures]):
    cases = [
        WEEK,
        Column("new_signals", _("New signals")),
        Column("cases_closed", _("Cases closed")),
        Column("open_cases", _("Open cases")),
        Column("in_respite", _("Households in respite")),
        Column("overdue", _("Overdue")),
    ]
    arrears = [
        WEEK,
        Column("arrears_signals", _("Open arrears signals")),
        Column("arrears_total", _("Total arrears (€)"), "money"),
        Column("arrears_lt1", _("Under 1 month of rent")),
        Column("arrears_1_2", _("1 to 2 months")),
        Column("arrears_2_3", _("2 to 3 months")),
        Column("arrears_ge3", _("3 months or more")),
    ]
    referrals = [
        WEEK,
        Column("referrals_sent", _("Referrals sent")),
        Column("referrals_accepted", _("Accepted")),
        Column("referrals_declined", _("Declined")),
    ]
    speed = [
        WEEK,
        Column("due", _("Contact due")),
        Column("contacted_in_time", _("Contacted within 5 working days")),
        Column("share_in_time", _("Share contacted in time (%)"), "percent"),
        Column("first_attempts", _("First contact attempts")),
        Column("days_to_attempt_p50", _("Days to first attempt, median"), "decimal"),
        Column("days_to_attempt_p90", _("Days to first attempt, 90th percentile"), "decimal"),
        Column("first_reached", _("First successful contacts")),
        Column("days_to_reached_p50", _("Days to first successful contact, median"), "decimal"),
        Column("days_to_reached_p90", _("Days to first successful contact, 90th percentile"), "decimal"),
    ]
    return [
        _weekly(
            "weekly-cases",
            _("Signals and cases per week"),
            cases,
            weeks,
            Chart("line", ("new_signals", "cases_closed", "open_cases", "in_respite", "overdue")),
            note=_("Open cases, respite and overdue: at the end of the week (now, for this week)."),
        ),
        _weekly(
            "weekly-arrears",
            _("Arrears per week"),
            arrears,
            weeks,
            Chart("line", ("arrears_total",)),
            dependents={"arrears_total": "arrears_signals"},
            note=_("Open arrears signals at the end of the week, by months of rent in arrears."),
        ),
        _weekly(
            "weekly-referrals",
            _("Referrals per week"),
            referrals,
            weeks,
            Chart("line", ("referrals_sent", "referrals_accepted", "referrals_declined")),
        ),
        _weekly(
            "weekly-speed",
            _("Speed of help per week"),
            speed,
            weeks,
            Chart("line", ("days_to_attempt_p50", "days_to_attempt_p90", "days_to_reached_p50", "days_to_reached_p90")),
            dependents=SPEED_DEPENDENTS,
            note=_(
                "Days from the signal to the first contact attempt and the first successful contact, for the "
                "cases whose first one fell in the week; contact due: cases whose deadline of 5 working days "
                "passed in the week."
            ),
        ),
    ]


def outcome_table(figures: WeekFigures):
    outcomes = figures.total.get("outcomes") or {}
    rows = [{"outcome": str(result.label), "cases": outcomes.get(result.value, 0)} for result in FinalResult]
    rows = suppress(rows, Rule(counts=("cases",), dependents={}, partitions=(tuple(range(len(rows))),)))
    columns = [Column("outcome", _("Final result"), "text"), Column("cases", _("Cases closed"))]
    return Table(
        "outcomes",
        _("Final results, week %(week)s") % {"week": figures.week.label},
        columns,
        rows,
        Chart("bar", ("cases",), horizontal=True),
    )


def arrears_table(figures: WeekFigures):
    buckets = (
        ("arrears_lt1", _("Under 1 month of rent")),
        ("arrears_1_2", _("1 to 2 months")),
        ("arrears_2_3", _("2 to 3 months")),
        ("arrears_ge3", _("3 months or more")),
    )
    rows = [{"bucket": str(label), "signals": figures.total[key]} for key, label in buckets]
    rows = suppress(rows, Rule(counts=("signals",), dependents={}, partitions=(tuple(range(len(rows))),)))
    columns = [Column("bucket", _("Arrears"), "text"), Column("signals", _("Open arrears signals"))]
    return Table(
        "arrears-distribution",
        _("Arrears in months of rent, week %(week)s") % {"week": figures.week.label},
        columns,
        rows,
        Chart("bar", ("signals",)),
    )


AREA_TITLES = {
    MUNICIPALITY: _("Per municipality, week %(week)s"),
    DISTRICT: _("Per district (wijk), week %(week)s"),
    NEIGHBOURHOOD: _("Per neighbourhood (buurt), week %(week)s"),
}
AREA_NAMES = {MUNICIPALITY: "municipalities", DISTRICT: "districts", NEIGHBOURHOOD: "neighbourhoods"}


def area_table(figures: WeekFigures, area: str):
    columns = [
        Column("area", _("Area"), "text"),
        Column("new_signals", _("New signals")),
        Column("open_cases", _("Open cases")),
        Column("cases_closed", _("Cases closed")),
        Column("in_respite", _("Households in respite")),
        Column("overdue", _("Overdue")),
        Column("arrears_signals", _("Open arrears signals")),
        Column("arrears_total", _("Total arrears (€)"), "money"),
        Column("due", _("Contact due")),
        Column("contacted_in_time", _("Contacted within 5 working days")),
        Column("share_in_time", _("Share contacted in time (%)"), "percent"),
    ]
    area_rows = figures.areas.get(area, [])
    rows, parents = [], {}
    for index, row in enumerate(area_rows):
        values = {column.key: row.figures.get(column.key) for column in columns[1:]}
        values["share_in_time"] = share(row.figures["contacted_in_time"], row.figures["due"])
        rows.append({"area": area_label(area, row.code, row.name), "code": row.code, **values})
        parents.setdefault(row.parent, []).append(index)
    counts = tuple(column.key for column in columns if column.kind == "count")
    rule = Rule(
        counts=counts,
        dependents={"arrears_total": "arrears_signals", "share_in_time": "due"},
        partitions=tuple(tuple(indexes) for indexes in parents.values()),
    )
    return Table(
        AREA_NAMES[area],
        AREA_TITLES[area] % {"week": figures.week.label},
        columns,
        suppress(rows, rule),
        Chart("bar", ("open_cases", "new_signals"), horizontal=True),
    )


def area_tables(figures: WeekFigures):
    return [area_table(figures, area) for area in AREAS]


def caseworker_table(caseworkers):
    columns = [
        Column("caseworker", _("Caseworker"), "text"),
        Column("open_cases", _("Open cases")),
        Column("overdue", _("Overdue")),
        Column("closed_this_week", _("Closed this week")),
    ]
    rows = [
        {
            "caseworker": (
                (row["caseworker"].get_full_name() or row["caseworker"].get_username())
                if row["caseworker"]
                else _("Unassigned")
            ),
            **{column.key: row[column.key] for column in columns[1:]},
        }
        for row in caseworkers
    ]
    rule = Rule(counts=tuple(c.key for c in columns[1:]), dependents={}, partitions=(tuple(range(len(rows))),))
    return Table(
        "caseworkers",
        _("Workload per caseworker, now"),
        columns,
        suppress(rows, rule),
        Chart("bar", ("open_cases", "overdue"), horizontal=True),
        note=_("Open cases in your own queue; overdue: no contact attempt within 5 working days."),
    )


def queue_table(queues):
    columns = [
        Column("queue", _("Queue"), "text"),
        *(Column(state.value, state.label) for state in OPEN_STATES),
        Column("open_cases", _("Open cases")),
    ]
    rows = [{"queue": row["queue"].name, **{column.key: row[column.key] for column in columns[1:]}} for row in queues]
    rule = Rule(counts=tuple(c.key for c in columns[1:]), dependents={}, partitions=(tuple(range(len(rows))),))
    return Table(
        "queues",
        _("Workload per queue, now"),
        columns,
        suppress(rows, rule),
        Chart("bar", tuple(state.value for state in OPEN_STATES), horizontal=True),
    )


__all__ = ["SUPPRESSED", "Column", "Table"]
