"""The attacker: a manager who downloads every published table of a year and solves their identities.

A world with many small cells (seven neighbourhoods, a case or two per neighbourhood per week, 52 weeks) is
published through the real surfaces: the API dashboard endpoint for the 52-week trend and for the
breakdowns of every week, the CSV and the XLSX. The attacker writes down every linear identity the
figures obey — areas add up to their district, municipality and the total; open cases last week plus new
minus closed is open cases this week (per area and in total); the arrears buckets add up to the open
arrears signals; the queues' states add up to their open cases and the queues to the total; the
caseworkers add up to their own queue and the total overdue; outcomes never exceed the closures; respite,
overdue and contacted-in-time never exceed their base — and narrows every unknown to the tightest interval
those identities allow (bounds propagation to a fixpoint, exact over the integers; euro amounts in cents).

A protected cell is a count of 1 to 4 households (and the euro amount of a group of 1 to 4 households).
The attacker must determine none of them: on ``main`` before ADR 0044 it recovered dozens.
"""

import csv
import datetime as dt
import io
import itertools
import random
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from arrears.vocabularies import FinalResult
from arrears.workflow import OPEN_STATES, CaseState
from partners.models import Membership, Municipality, Neighbourhood
from reporting.figures import compute_week
from reporting.snapshots import snapshot_missing, week_figures
from reporting.tables import AREA_COUNTS, OUTCOMES
from reporting.weeks import current_week, last_weeks
from reporting.workload import workload
from tests.arrears.factories import CaseFactory, SignalFactory
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import MembershipFactory
from tests.reporting.test_views import _text  # a cell as text, from the table, the CSV or the XLSX

#: An exhaustive sweep: run once, on PostgreSQL (``make test-sqlite`` deselects ``sweep``).
pytestmark = [pytest.mark.django_db, pytest.mark.sweep]
INF = float("inf")
TOTAL_TABLES = ("weekly-cases", "weekly-arrears", "weekly-referrals", "weekly-speed", "weekly-evictions")
BUCKETS = ("arrears_lt1", "arrears_1_2", "arrears_2_3", "arrears_ge3")
LEVELS = {"municipalities": "mun", "districts": "dis", "neighbourhoods": "nbh"}
NEIGHBOURHOODS = {
    "BU05050101": "Binnenstad",
    "BU05050102": "Noordflank",
    "BU05050103": "Reeland",
    "BU05050201": "Stadspolder",
    "BU05050202": "Sterrenburg",
    "BU06420101": "Centrum",
    "BU06420102": "Walburg",
}


class Attacker:
    """Integer unknowns with bounds, and linear identities with coefficients ±1 (``= 0`` or ``<= 0``)."""

    def __init__(self):
        self.lo, self.hi = {}, {}
        self.equalities, self.inequalities = [], []

    def var(self, key):
        self.lo.setdefault(key, 0)
        self.hi.setdefault(key, INF)
        return key

    def observe(self, key, lo, hi):
        self.var(key)
        self.lo[key], self.hi[key] = max(self.lo[key], lo), min(self.hi[key], hi)

    def equal(self, terms):
        self.equalities.append([(coefficient, self.var(key)) for coefficient, key in terms])

    def at_most(self, terms):
        self.inequalities.append([(coefficient, self.var(key)) for coefficient, key in terms])

    def _range(self, terms, skip):
        low = high = 0
        for index, (coefficient, key) in enumerate(terms):
            if index == skip:
                continue
            if coefficient > 0:
                low, high = low + self.lo[key], high + self.hi[key]
            else:
                low, high = low - self.hi[key], high - self.lo[key]
        return low, high

    def _tighten(self, key, lo, hi):
        changed = False
        if lo > self.lo[key]:
            self.lo[key], changed = lo, True
        if hi < self.hi[key]:
            self.hi[key], changed = hi, True
        assert self.lo[key] <= self.hi[key], f"the identities contradict the published figures at {key}"
        return changed

    def solve(self):
        for _ in range(500):
            changed = False
            for terms in self.equalities:
                for index, (coefficient, key) in enumerate(terms):
                    low, high = self._range(terms, index)  # coefficient * x == -(others)
                    bounds = (-high, -low) if coefficient > 0 else (low, high)
                    changed |= self._tighten(key, *bounds)
            for terms in self.inequalities:
                for index, (coefficient, key) in enumerate(terms):
                    low, _high = self._range(terms, index)  # coefficient * x <= -(others)
                    bounds = (-INF, -low) if coefficient > 0 else (low, INF)
                    changed |= self._tighten(key, *bounds)
            if not changed:
                return
        raise AssertionError("bounds propagation did not settle")


def _world(world):
    """Seven neighbourhoods in three districts of two municipalities; every week each gets 0–3 new cases
    with an arrears signal each, most closed again after 0–5 weeks; the open ones spread over the states,
    the corporation's three caseworkers and the social service's queue."""
    rng = random.Random(20260313)
    now = timezone.now()
    zwijndrecht = Municipality.objects.create(code="0642", name="Zwijndrecht")
    municipalities = {"0505": world.dordrecht, "0642": zwijndrecht}
    places = {
        code: Neighbourhood.objects.create(code=code, name=name, municipality=municipalities[code[2:6]])
        for code, name in NEIGHBOURHOODS.items()
    }
    corp = world.corp_a
    workers = [
        MembershipFactory(user=get_user_model().objects.create(username=f"cw{n}"), partner=corp).user for n in range(3)
    ]
    weeks = last_weeks(52, until=current_week(now))
    for week in weeks:
        for place in places.values():
            for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
                opened = week.start_at + dt.timedelta(minutes=rng.randrange(7 * 24 * 60))
                if opened >= now:
                    continue
                closed = opened + dt.timedelta(weeks=rng.randrange(6), hours=rng.randrange(48))
                fields = {}
                if rng.random() < 0.75 and closed < now:
                    fields = {"state": CaseState.CLOSED, "closed_at": closed, "outcome": rng.choice(FinalResult.values)}
                else:
                    state = rng.choice(OPEN_STATES)
                    fields = {"state": state}
                    if state in (CaseState.SIGNALLED, CaseState.TAKEN_UP):
                        fields["queue_partner"] = world.sd
                    else:
                        fields["assignee"] = rng.choice([*workers, None])
                    if rng.random() < 0.2:
                        fields["respite_until"] = (now + dt.timedelta(days=30)).date()
                household = HouseholdFactory(corporation=corp, municipality=place.municipality, neighbourhood=place)
                case = CaseFactory(household=household, opened_at=opened, grant_access=False, **fields)
                amount = Decimal(rng.randrange(30000, 300000)) / 100
                rent = Decimal("650.00")
                day = timezone.localtime(opened).date()
                closed_on = timezone.localtime(fields["closed_at"]).date() if "closed_at" in fields else None
                SignalFactory(
                    tenancy=TenancyFactory(household=household, monthly_rent=rent),
                    case=case,
                    origin_date=day - dt.timedelta(days=35),
                    opened_on=day,
                    updated_on=day,
                    amount_at_open=amount,
                    amount=amount,
                    peak_amount=amount,
                    months_of_rent=(amount / rent).quantize(Decimal("0.01")),
                    status="closed" if closed_on else "open",
                    closed_on=closed_on,
                )
    manager = get_user_model().objects.create(username="manager")
    Membership.objects.create(user=manager, partner=corp, role="manager")
    snapshot_missing(partner=corp, weeks=52, now=now)
    return corp, manager, weeks


def _code(label):
    match = re.search(r"\(([^()]+)\)$", label)
    return match.group(1) if match else label


def _published(client, weeks):
    """Everything a manager can download: per week the API's tables, plus the CSV and XLSX (which must
    say the same as the API)."""
    url = "/api/v1/dashboard/"
    year = client.get(url, {"weeks": 52}).json()
    boards = {year["week"]: year}
    for week in weeks[:-1]:
        response = client.get(url, {"weeks": 13, "week": week.label})
        assert response.status_code == 200
        boards[week.label] = response.json()
    # The CSV and the XLSX are the same tables: read them back and compare with the API.
    live = weeks[-1].label
    for name in ("weekly-cases", "queues", "neighbourhoods"):
        body = client.get(reverse("dashboard-export", args=(name, "csv")), {"weeks": 52}).content
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        table = year["tables"][name]
        assert [[_text(cell) for cell in row] for row in rows[1:]] == [
            [_text(row[column["key"]]) for column in table["columns"]] for row in table["rows"]
        ], name
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("dashboard-export", args=("all", "xlsx")), {"weeks": 52}).content)
    )
    assert len(workbook.sheetnames) == len(year["tables"])
    for sheet, table in zip(workbook.worksheets, boards[live]["tables"].values(), strict=True):
        values = [[_text(cell) for cell in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values == [[_text(row[column["key"]]) for column in table["columns"]] for row in table["rows"]]
    return year, boards


def _count_bounds(value, slack):
    """What a published count tells: a number (give or take the rounding), or "<5": not zero (a cell
    hidden beside it to protect it reads "<5" too, whatever its size), or nothing."""
    if isinstance(value, int):
        return max(0, value - slack), value + slack
    if value == "<5":
        return 1, INF
    return 0, INF


def _all_counts(boards):
    for board in boards.values():
        for table in board["tables"].values():
            for column in table["columns"]:
                if column["kind"] == "count":
                    for row in table["rows"]:
                        yield row[column["key"]]


def _attack(year, boards, weeks, partner_name):
    """Write down the identities of everything published and solve them; ``(counts, euros)``."""
    rounded = all(value % 5 == 0 for value in _all_counts(boards) if isinstance(value, int))
    # The documented rounding, if every count is a multiple of 5: totals to the nearest multiple
    # (off by at most 2), their parts to one of the two multiples around them (off by at most 4).
    total_slack, part_slack = (2, 4) if rounded else (0, 0)
    counts, euros = Attacker(), Attacker()
    labels = [week.label for week in weeks]
    areas = {level: set() for level in LEVELS.values()}

    def total(board, week_label):
        for name in TOTAL_TABLES:
            table = board["tables"][name]
            for row in table["rows"]:
                if row["week"] != week_label:
                    continue
                for column in table["columns"][1:]:
                    key, value = column["key"], row[column["key"]]
                    if column["kind"] == "count":
                        slack = part_slack if key in BUCKETS else total_slack
                        counts.observe(("total", week_label, key), *_count_bounds(value, slack))
                    elif column["kind"] == "money" and isinstance(value, str) and re.fullmatch(r"[\d.]+", value):
                        cents = int(Decimal(value) * 100)
                        euros.observe(("total", week_label, key), cents, cents)

    for board in boards.values():
        for label in labels:
            total(board, label)
    for label, board in boards.items():
        for name, level in LEVELS.items():
            for row in board["tables"][name]["rows"]:
                code = _code(row["area"])
                areas[level].add(code)
                for key in AREA_COUNTS:
                    counts.observe((level, label, code, key), *_count_bounds(row[key], part_slack))
                money = row["arrears_total"]
                if isinstance(money, str) and re.fullmatch(r"[\d.]+", money):
                    cents = int(Decimal(money) * 100)
                    euros.observe((level, label, code, "arrears_total"), cents, cents)
                else:
                    euros.var((level, label, code, "arrears_total"))
        for row in board["tables"]["outcomes"]["rows"]:
            counts.observe(("outcome", label, row["outcome"]), *_count_bounds(row["cases"], part_slack))
        counts.at_most(
            [(1, ("outcome", label, row["outcome"])) for row in board["tables"]["outcomes"]["rows"]]
            + [(-1, ("total", label, "cases_closed"))]
        )
    for label in labels:
        for level in LEVELS.values():
            for code in areas[level]:  # a row that is not there was published as nothing: zero
                for key in AREA_COUNTS:
                    counts.var((level, label, code, key))
                    if not any(_code(r["area"]) == code for r in boards[label]["tables"][_name(level)]["rows"]):
                        counts.observe((level, label, code, key), 0, part_slack)
                euros.var((level, label, code, "arrears_total"))

    def parent(level, code):
        if level == "mun":
            return ("total",)
        if level == "dis":
            return ("mun", code[2:6])
        return ("dis", "WK" + code[2:8])

    for label in labels:
        nodes = [("total", label)] + [(level, label, code) for level in LEVELS.values() for code in areas[level]]
        for key in AREA_COUNTS:
            children = {}
            for level in LEVELS.values():
                for code in areas[level]:
                    children.setdefault(parent(level, code), []).append((level, label, code, key))
            for (kind, *rest), members in children.items():
                whole = ("total", label, key) if kind == "total" else (kind, label, rest[0], key)
                counts.equal([(1, whole)] + [(-1, member) for member in members])
        for node in nodes:
            counts.at_most([(1, (*node, "in_respite")), (-1, (*node, "open_cases"))])
            counts.at_most([(1, (*node, "overdue")), (-1, (*node, "open_cases"))])
            counts.at_most([(1, (*node, "contacted_in_time")), (-1, (*node, "due"))])
        counts.equal([(1, ("total", label, "arrears_signals"))] + [(-1, ("total", label, b)) for b in BUCKETS])
        money_children = {}
        for level in LEVELS.values():
            for code in areas[level]:
                money_children.setdefault(parent(level, code), []).append((level, label, code, "arrears_total"))
        for (kind, *rest), members in money_children.items():
            whole = ("total", label, "arrears_total") if kind == "total" else (kind, label, rest[0], "arrears_total")
            euros.equal([(1, whole)] + [(-1, member) for member in members])
    for before, label in itertools.pairwise(labels):
        for kind, *rest in [("total",)] + [(level, code) for level in LEVELS.values() for code in areas[level]]:
            counts.equal(
                [
                    (1, (kind, before, *rest, "open_cases")),
                    (1, (kind, label, *rest, "new_signals")),
                    (-1, (kind, label, *rest, "cases_closed")),
                    (-1, (kind, label, *rest, "open_cases")),
                ]
            )
    live = labels[-1]
    states = [state.value for state in OPEN_STATES]
    queues = year["tables"]["queues"]["rows"]
    for row in queues:
        for key in (*states, "open_cases"):
            counts.observe(("queue", row["queue"], key), *_count_bounds(row[key], part_slack))
        counts.equal([(1, ("queue", row["queue"], "open_cases"))] + [(-1, ("queue", row["queue"], s)) for s in states])
    counts.equal([(1, ("total", live, "open_cases"))] + [(-1, ("queue", row["queue"], "open_cases")) for row in queues])
    workers = year["tables"]["caseworkers"]["rows"]
    for row in workers:
        for key in ("open_cases", "overdue", "closed_this_week"):
            counts.observe(("worker", row["caseworker"], key), *_count_bounds(row[key], part_slack))
        counts.at_most(
            [(1, ("worker", row["caseworker"], "overdue")), (-1, ("worker", row["caseworker"], "open_cases"))]
        )
    own = ("queue", partner_name, "open_cases")
    counts.equal([(1, own)] + [(-1, ("worker", row["caseworker"], "open_cases")) for row in workers])
    counts.equal(
        [(1, ("total", live, "overdue"))] + [(-1, ("worker", row["caseworker"], "overdue")) for row in workers]
    )
    counts.solve()
    euros.solve()
    return counts, euros


def _name(level):
    return next(name for name, short in LEVELS.items() if short == level)


def _truth(partner, weeks, now):
    """The unrounded figures, from the snapshots and the live computation."""
    truth = {}
    for week in weeks:
        figures = week_figures(partner, week, now=now) if week != weeks[-1] else compute_week(partner, week, now=now)
        for key, value in figures.total.items():
            if isinstance(value, int):
                truth[("total", week.label, key)] = value
        truth[("total", week.label, "arrears_total")] = figures.total["arrears_total"]
        for result in OUTCOMES:
            truth[("outcome", week.label, str(result.label))] = figures.total["outcomes"].get(result.value, 0)
        for area, rows in figures.areas.items():
            level = {"municipality": "mun", "district": "dis", "neighbourhood": "nbh"}[area]
            for row in rows:
                for key in AREA_COUNTS:
                    truth[(level, week.label, row.code, key)] = row.figures[key]
                truth[(level, week.label, row.code, "arrears_total")] = row.figures["arrears_total"]
    caseworkers, queues = workload(partner, now=now)
    for row in queues:
        for key, value in row.items():
            if key != "queue":
                truth[("queue", row["queue"].name, key)] = value
    for row in caseworkers:
        name = (row["caseworker"].get_full_name() or row["caseworker"].get_username()) if row["caseworker"] else None
        for key in ("open_cases", "overdue", "closed_this_week"):
            truth[("worker", name, key)] = row[key]
    return truth


def test_no_small_cell_can_be_recovered_from_everything_published(client, world):
    """English labels throughout (restored afterwards: the middleware would leave English active)."""
    with translation.override("en"):
        _attack_a_year(client, world)


def _attack_a_year(client, world):
    partner, manager, weeks = _world(world)
    client.force_login(manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    year, boards = _published(client, weeks)
    counts, euros = _attack(year, boards, weeks, partner.name)
    truth = _truth(partner, weeks, timezone.now())
    for key, value in truth.items():
        if key[0] == "worker" and key[1] is None:
            continue  # "Unassigned": translated label, not matched here
        if key in counts.lo and key[-1] != "arrears_total":
            assert counts.lo[key] <= value <= counts.hi[key], (key, value, counts.lo[key], counts.hi[key])
    small = {key: value for key, value in truth.items() if isinstance(value, int) and 1 <= value <= 4}
    observed = {key: value for key, value in small.items() if key in counts.lo}
    assert len(observed) > 300, "the world should have many small cells"
    pinned = {key: value for key, value in observed.items() if counts.lo[key] == counts.hi[key]}
    assert not pinned, (
        f"{len(pinned)} of {len(observed)} small cells recovered exactly, e.g. {list(pinned.items())[:8]}"
    )
    # A euro amount of 1 to 4 households stays unknown too.
    small_groups = [key[:-1] for key, value in small.items() if key[-1] == "arrears_signals"]
    money = [(*group, "arrears_total") for group in small_groups if (*group, "arrears_total") in euros.lo]
    recovered = [key for key in money if euros.lo[key] == euros.hi[key]]
    assert money and not recovered, f"{len(recovered)} of {len(money)} small groups' arrears recovered: {recovered[:5]}"
