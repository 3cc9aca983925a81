"""The dashboard's views as tables: what the page shows beside each chart and what CSV/XLSX export.

Every table is built here, with the small-numbers rule of ``suppression.py`` applied (ADR 0044), so the
page, the printable report, the CSV/XLSX exports and the API cannot disagree — nor publish a raw count.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from arrears.selectors.queue import QUEUE_OWN
from arrears.vocabularies import CorporationOutcome, FinalResult
from arrears.workflow import OPEN_STATES
from reporting import monitor
from reporting.areas import AREAS, DISTRICT, MUNICIPALITY, NEIGHBOURHOOD, area_label
from reporting.definitions import DEFINITIONS
from reporting.figures import WeekFigures
from reporting.suppression import HIDDEN, MIN_GROUP, dependent, is_suppressed, round_count, share, split


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"  # count | money | decimal | percent | date | text


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
        """What ``static/js/dashboards.js`` draws: labels and one series per column; a hidden figure is a
        gap (``null``, never 0), named ``hidden`` in the tooltip."""
        if self.chart is None:
            return None
        by_key = {column.key: column for column in self.columns}
        return {
            "type": self.chart.kind,
            "horizontal": self.chart.horizontal,
            "money": all(by_key[key].kind == "money" for key in self.chart.columns),
            "percent": all(by_key[key].kind == "percent" for key in self.chart.columns),
            "hidden": str(HIDDEN),
            "labels": [str(row[self.label_column.key]) for row in self.rows],
            "datasets": [
                {"label": str(by_key[key].label), "data": [_plain(row.get(key)) for row in self.rows]}
                for key in self.chart.columns
            ],
        }

    def cells(self):
        """Rows as ``[(column, value, link), …]`` for templates; ``link``: the queue filtered to the cases a
        count of now stands for (``row["_links"]``), or ``None``."""
        return [
            [(column, row.get(column.key), row.get("_links", {}).get(column.key)) for column in self.columns]
            for row in self.rows
        ]

    def definitions(self, partner):
        """``[(label, definition), …]`` of this table's columns that have one (``reporting.definitions``)."""
        return [
            (column.label, DEFINITIONS[column.key].text(partner))
            for column in self.columns
            if column.key in DEFINITIONS
        ]


def _plain(value):
    if value is None or is_suppressed(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


WEEK = Column("week", _("Week"), "text")
BUCKETS = ("arrears_lt1", "arrears_1_2", "arrears_2_3", "arrears_ge3")
SPEED_BASES = {
    "days_to_attempt_p50": "first_attempts",
    "days_to_attempt_p90": "first_attempts",
    "days_to_reached_p50": "first_reached",
    "days_to_reached_p90": "first_reached",
}
AREA_COUNTS = (
    "new_signals",
    "open_cases",
    "cases_closed",
    "in_respite",
    "overdue",
    "arrears_signals",
    "due",
    "contacted_in_time",
)


#: The outcome table's rows, in order: the DDAS final results, then the corporation's outcomes
#: (``arrears.outcomes``; the two share no value, so one dict of counts holds both).
OUTCOMES = (*FinalResult, *CorporationOutcome)


def publish_total(total: dict) -> dict:
    """A partner's figures of one week as they may be published (ADR 0044): every count rounded to
    the nearest multiple of 5, the arrears buckets and final results controlled-rounded to add up to
    their rounded whole, sums and medians only for large enough groups, the share from the rounded
    counts."""
    published = {key: round_count(value) for key, value in total.items() if isinstance(value, int)}
    published.update(zip(BUCKETS, split([total[key] for key in BUCKETS], published["arrears_signals"]), strict=True))
    published["arrears_total"] = dependent(total.get("arrears_total"), published["arrears_signals"])
    published["share_in_time"] = share(published["contacted_in_time"], published["due"])
    for key, base in SPEED_BASES.items():
        published[key] = dependent(total.get(key), published.get(base))
    outcomes = total.get("outcomes") or {}
    results = [result.value for result in OUTCOMES]
    counts = [outcomes.get(result, 0) for result in results]
    published["outcomes"] = dict(zip(results, split(counts, round_count(sum(counts))), strict=True))
    return published


def _split_rows(rows, wholes, keys):
    """Controlled-round ``rows`` (dicts of true counts) column by column to add up to ``wholes``."""
    result = [{} for _ in rows]
    for key in keys:
        for published, value in zip(
            result, split([row.get(key) or 0 for row in rows], wholes.get(key) or 0), strict=True
        ):
            published[key] = value
    return result


def publish_areas(figures: WeekFigures) -> dict:
    """``{area: {code: published figures}}`` for the area tables, top-down: the municipalities split the
    rounded total, the districts their municipality, the neighbourhoods their district (ADR 0044).

    Households without a known neighbourhood are in their municipality but in no district: per
    municipality they form a *rest* that takes its part in the split, and the "unknown" district and
    neighbourhood rows show the sum of those rests. Euro amounts are shown for a partition's parts only
    when its whole is shown and every part (rest included) has a published count of at least 10."""
    total = publish_total(figures.total)
    total_money = not is_suppressed(total["arrears_total"]) and total["arrears_total"] is not None
    by_area = {area: {row.code: row for row in figures.areas.get(area, [])} for area in AREAS}
    published = {area: {} for area in AREAS}
    money = {area: {} for area in AREAS}  # code -> may its euro amount be shown

    def divide(whole, whole_money, parent_figures, children, area):
        """Split a parent's published figures over its children and its rest."""
        nonlocal unknown_money
        rest = {key: max(0, parent_figures[key] - sum(row.figures[key] for row in children)) for key in AREA_COUNTS}
        parts = _split_rows([row.figures for row in children] + [rest], whole, AREA_COUNTS)
        rest_present = any(rest.values())
        shown = whole_money and all(
            part["arrears_signals"] >= MIN_GROUP for part in (parts if rest_present else parts[:-1])
        )
        for row, part in zip(children, parts, strict=False):
            published[area][row.code] = part
            money[area][row.code] = shown
        for key in AREA_COUNTS:
            unknown[key] += parts[-1][key]
        if rest_present:
            unknown_money = unknown_money and shown

    municipalities = list(by_area[MUNICIPALITY].values())
    for row, part in zip(
        municipalities, _split_rows([row.figures for row in municipalities], total, AREA_COUNTS), strict=True
    ):
        published[MUNICIPALITY][row.code] = part
    shown = total_money and all(part["arrears_signals"] >= MIN_GROUP for part in published[MUNICIPALITY].values())
    money[MUNICIPALITY] = dict.fromkeys(published[MUNICIPALITY], shown)
    for area, parent_area, children_of in (
        (DISTRICT, MUNICIPALITY, lambda code: code[2:6]),
        (NEIGHBOURHOOD, DISTRICT, lambda code: "WK" + code[2:8]),
    ):
        unknown, unknown_money = dict.fromkeys(AREA_COUNTS, 0), True  # the rests, summed by divide()
        groups = {}
        for row in by_area[area].values():
            if row.code:
                groups.setdefault(children_of(row.code), []).append(row)
        for code, parent in by_area[parent_area].items():
            if not code:
                continue
            divide(published[parent_area][code], money[parent_area][code], parent.figures, groups.get(code, []), area)
        if "" in by_area[parent_area]:  # the unknown parent has no known children: all of it is rest
            for key in AREA_COUNTS:
                unknown[key] += published[parent_area][""][key]
            unknown_money = unknown_money and money[parent_area][""]
        if "" in by_area[area]:
            published[area][""] = unknown
            money[area][""] = unknown_money and unknown["arrears_signals"] >= MIN_GROUP
    for area in AREAS:
        for code, part in published[area].items():
            row = by_area[area].get(code)
            amount = row.figures.get("arrears_total") if row else None
            part["arrears_total"] = (
                dependent(amount, part["arrears_signals"])
                if money[area][code]
                else (None if part["arrears_signals"] == 0 else HIDDEN)
            )
            part["share_in_time"] = share(part["contacted_in_time"], part["due"])
    return published


def _weekly(name, title, columns, published, chart, note=""):
    """A weekly table's columns from ``published``: each week's figures published once (weekly_tables)."""
    rows = [{column.key: row.get(column.key) for column in columns} for row in published]
    return Table(name, title, columns, rows, chart, note)


def weekly_tables(weeks: list[WeekFigures]):
    published = [{"week": figures.week.label, **publish_total(figures.total)} for figures in weeks]
    cases = [
        WEEK,
        Column("new_signals", _("New cases")),
        Column("cases_closed", _("Cases closed")),
        Column("open_cases", _("Open cases")),
        Column("in_respite", _("Households in respite")),
        Column("overdue", _("Overdue")),
    ]
    arrears = [
        WEEK,
        Column("arrears_signals", _("Open arrears episodes")),
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
    evictions = [
        WEEK,
        Column("evictions_prevented", _("Evictions prevented")),
        Column("evictions_executed", _("Evictions executed")),
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
            _("Cases per week"),
            cases,
            published,
            Chart("line", ("new_signals", "cases_closed", "open_cases", "in_respite", "overdue")),
            note=_("Open cases, respite and overdue: at the end of the week (now, for this week)."),
        ),
        _weekly(
            "weekly-arrears",
            _("Arrears per week"),
            arrears,
            published,
            Chart("line", ("arrears_total",)),
            note=_("Open arrears episodes at the end of the week, by months of rent in arrears."),
        ),
        _weekly(
            "weekly-referrals",
            _("Referrals per week"),
            referrals,
            published,
            Chart("line", ("referrals_sent", "referrals_accepted", "referrals_declined")),
        ),
        _weekly(
            "weekly-speed",
            _("Speed of help per week"),
            speed,
            published,
            Chart("line", ("days_to_attempt_p50", "days_to_attempt_p90", "days_to_reached_p50", "days_to_reached_p90")),
            note=_(
                "Days from a case's arrival (at a corporation: the arrears flagged; at a social service: the "
                "signal or referral received) to the first contact attempt and the first successful contact, for "
                "the cases whose first one fell in the week; contact due: cases whose deadline of 5 working days "
                "passed in the week."
            ),
        ),
        _weekly(
            "weekly-evictions",
            _("Evictions per week"),
            evictions,
            published,
            Chart("line", ("evictions_prevented", "evictions_executed")),
            note=_(
                "Cases whose eviction was cancelled (prevented) or carried out (executed) in the week, by the "
                "date the corporation recorded for the step."
            ),
        ),
    ]


def publish_monitor(counts: dict) -> dict:
    """Reach and help accepted of one period as they may be published: the three counts rounded to the
    nearest multiple of 5, the shares computed from the rounded counts — hidden ("too little data") when
    fewer than 10 households were signalled, after rounding (ADR 0044 rule 3)."""
    published = {key: round_count(counts[key]) for key in monitor.COUNTS}
    published["reach"] = share(published[monitor.REACHED], published[monitor.SIGNALLED])
    published["help_accepted"] = share(published[monitor.ACCEPTED], published[monitor.SIGNALLED])
    return published


MONITOR_COLUMNS = (
    Column(monitor.SIGNALLED, _("Households with a new case")),
    Column(monitor.REACHED, _("Reached")),
    Column("reach", _("Reach (%)"), "percent"),
    Column(monitor.ACCEPTED, _("Help accepted")),
    Column("help_accepted", _("Help accepted (%)"), "percent"),
)
MONITOR_NOTE = _(
    "Of the households signalled in the period: the share reached and the share that took help up, as known "
    "now — the latest periods still grow as contact is made."
)


def monitor_weeks_table(weeks, counts):
    """Reach and help accepted per ISO week: ``counts`` from ``monitor.per_period`` over ``weeks``."""
    rows = [{"week": week.label, **publish_monitor(row)} for week, row in zip(weeks, counts, strict=True)]
    return Table(
        "monitor-weeks",
        _("Reach and help accepted per week"),
        [WEEK, *MONITOR_COLUMNS],
        rows,
        Chart("line", ("reach", "help_accepted")),
        note=MONITOR_NOTE,
    )


def monitor_quarters_table(quarters, counts):
    """Reach and help accepted per calendar quarter, the DDAS monitor export's periods."""
    rows = [
        {"quarter": quarter.label, "first_day": quarter.first_day, "last_day": quarter.last_day, **publish_monitor(row)}
        for quarter, row in zip(quarters, counts, strict=True)
    ]
    columns = [
        Column("quarter", _("Quarter"), "text"),
        Column("first_day", _("From"), "date"),
        Column("last_day", _("To (inclusive)"), "date"),
        *MONITOR_COLUMNS,
    ]
    return Table(
        "monitor-quarters",
        _("Reach and help accepted per quarter"),
        columns,
        rows,
        Chart("line", ("reach", "help_accepted")),
        note=_("%(note)s The quarters are the periods of the DDAS monitor export.") % {"note": MONITOR_NOTE},
    )


def outcome_table(figures: WeekFigures):
    """How the week's cases closed: the DDAS final results (a social service's), then the corporation's
    own outcomes (arrears.outcomes), each case in one row."""
    outcomes = publish_total(figures.total)["outcomes"]
    rows = [{"outcome": str(result.label), "cases": outcomes[result.value]} for result in OUTCOMES]
    columns = [Column("outcome", _("Final result or outcome"), "text"), Column("cases", _("Cases closed"))]
    return Table(
        "outcomes",
        _("Final results, week %(week)s") % {"week": figures.week.label},
        columns,
        rows,
        Chart("bar", ("cases",), horizontal=True),
        note=_(
            "A social service closes with a DDAS final result, a corporation with its own outcome. In the DDAS "
            "monitor export “Arrears paid” and “Payment arrangement kept” count as “Resident paid or made a "
            "payment arrangement”, and “Deceased” as “Resident has died”."
        ),
    )


def arrears_table(figures: WeekFigures):
    buckets = (
        ("arrears_lt1", _("Under 1 month of rent")),
        ("arrears_1_2", _("1 to 2 months")),
        ("arrears_2_3", _("2 to 3 months")),
        ("arrears_ge3", _("3 months or more")),
    )
    published = publish_total(figures.total)
    rows = [{"bucket": str(label), "signals": published[key]} for key, label in buckets]
    columns = [Column("bucket", _("Arrears"), "text"), Column("signals", _("Open arrears episodes"))]
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


def area_table(figures: WeekFigures, area: str, published=None):
    """One area level's table; ``published``: :func:`publish_areas` of ``figures`` if already made."""
    columns = [
        Column("area", _("Area"), "text"),
        Column("new_signals", _("New cases")),
        Column("open_cases", _("Open cases")),
        Column("cases_closed", _("Cases closed")),
        Column("in_respite", _("Households in respite")),
        Column("overdue", _("Overdue")),
        Column("arrears_signals", _("Open arrears episodes")),
        Column("arrears_total", _("Total arrears (€)"), "money"),
        Column("due", _("Contact due")),
        Column("contacted_in_time", _("Contacted within 5 working days")),
        Column("share_in_time", _("Share contacted in time (%)"), "percent"),
    ]
    published = (publish_areas(figures) if published is None else published)[area]
    rows = []
    for row in figures.areas.get(area, []):
        values = published[row.code]
        if not any(values[key] for key in AREA_COUNTS):
            continue  # all rounded to nothing: a row would only say that something small happened here
        rows.append(
            {
                "area": area_label(area, row.code, row.name),
                "code": row.code,
                **{c.key: values[c.key] for c in columns[1:]},
            }
        )
    return Table(
        AREA_NAMES[area],
        AREA_TITLES[area] % {"week": figures.week.label},
        columns,
        rows,
        Chart("bar", ("open_cases", "new_signals"), horizontal=True),
    )


def area_tables(figures: WeekFigures):
    published = publish_areas(figures)  # all three levels at once: publish them once
    return [area_table(figures, area, published) for area in AREAS]


def _own_queue_links(common, cells):
    """``{column: URL}``: the queue page, own queue only, filtered by ``common`` plus each cell's own."""
    links = {}
    for key, filters in cells.items():
        query = urlencode({"queue": QUEUE_OWN, **common, **filters})
        links[key] = f"{reverse('queue')}?{query}"
    return links


def caseworker_table(caseworkers, own_queue_open=None):
    """Per caseworker of the own queue: the open cases split the own queue's published open cases
    (``own_queue_open``, from :func:`queue_table`), the other columns their own rounded sum."""
    columns = [
        Column("caseworker", _("Caseworker"), "text"),
        Column("open_cases", _("Open cases")),
        Column("overdue", _("Overdue")),
        Column("closed_this_week", _("Closed this week")),
    ]
    keys = [column.key for column in columns[1:]]
    wholes = {key: round_count(sum(row[key] for row in caseworkers)) for key in keys}
    if own_queue_open is not None:
        wholes["open_cases"] = own_queue_open
    published = _split_rows(caseworkers, wholes, keys)
    rows = [
        {
            "caseworker": (
                (row["caseworker"].get_full_name() or row["caseworker"].get_username())
                if row["caseworker"]
                else _("Unassigned")
            ),
            **values,
            "_links": _own_queue_links(
                {"assignee": str(row["caseworker"].pk) if row["caseworker"] else "none"},
                {"open_cases": {}, "overdue": {"overdue": "1"}},
            ),
        }
        for row, values in zip(caseworkers, published, strict=True)
    ]
    return Table(
        "caseworkers",
        _("Workload per caseworker, now"),
        columns,
        rows,
        Chart("bar", ("open_cases", "overdue"), horizontal=True),
        note=_("Open cases in your own queue; overdue: no contact attempt within 5 working days."),
    )


def queue_table(queues, partner=None):
    """Per queue the partner's cases are in: the queues split the rounded total of open cases, the
    states split their queue's published open cases. The own queue's cells link to the queue."""
    columns = [
        Column("queue", _("Queue"), "text"),
        *(Column(state.value, state.label) for state in OPEN_STATES),
        Column("open_cases", _("Open cases")),
    ]
    states = [state.value for state in OPEN_STATES]
    opens = split([row["open_cases"] for row in queues], round_count(sum(row["open_cases"] for row in queues)))
    rows = []
    for row, open_cases in zip(queues, opens, strict=True):
        parts = split([row[state] for state in states], open_cases)
        links = {}
        if row["queue"] == partner:  # the own queue: the queue page lists it exactly (others are lumped)
            links = _own_queue_links({}, {"open_cases": {}, **{state: {"state": state} for state in states}})
        rows.append(
            {
                "queue": row["queue"].name,
                **dict(zip(states, parts, strict=True)),
                "open_cases": open_cases,
                "_links": links,
            }
        )
    return Table(
        "queues",
        _("Workload per queue, now"),
        columns,
        rows,
        Chart("bar", tuple(state.value for state in OPEN_STATES), horizontal=True),
    )


def workload_tables(caseworkers, queues, partner):
    """The two workload tables, the caseworkers splitting what the queue table shows for the own queue."""
    queues_table = queue_table(queues, partner)
    own = next(
        (
            published["open_cases"]
            for row, published in zip(queues, queues_table.rows, strict=True)
            if row["queue"] == partner
        ),
        0,
    )
    return caseworker_table(caseworkers, own_queue_open=own), queues_table


__all__ = ["HIDDEN", "Column", "Table"]
