"""Small cells: the rule itself, then the rule as the dashboard tables apply it."""

from decimal import Decimal

import pytest

from arrears.dashboards import tables
from arrears.dashboards.figures import compute_week
from arrears.dashboards.suppression import SUPPRESSED, Rule, suppress
from arrears.vocabularies import FinalResult

from .conftest import NOW
from .test_figures import W10

S = SUPPRESSED


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, 0), (1, S), (4, S), (5, 5), (120, 120), (None, None)],
)
def test_counts_from_one_to_four_are_suppressed(value, shown):
    assert suppress([{"n": value}], Rule(counts=("n",), dependents={})) == [{"n": shown}]


def test_dependent_figures_follow_their_count():
    rows = [
        {"n": 3, "money": Decimal("950.00"), "share": Decimal("50.0")},
        {"n": 5, "money": Decimal("1200.00"), "share": None},
        {"n": 0, "money": Decimal("0.00"), "share": None},
    ]
    result = suppress(rows, Rule(counts=("n",), dependents={"money": "n", "share": "n"}))
    assert result == [
        {"n": S, "money": S, "share": S},
        {"n": 5, "money": Decimal("1200.00"), "share": None},
        {"n": 0, "money": Decimal("0.00"), "share": None},
    ]
    assert rows[0]["n"] == 3  # the input is left alone


def test_a_lone_suppressed_cell_takes_the_smallest_sibling_with_it():
    rows = [{"n": 30}, {"n": 2}, {"n": 9}, {"n": 0}]
    result = suppress(rows, Rule(counts=("n",), dependents={}, partitions=((0, 1, 2, 3),)))
    assert [row["n"] for row in result] == [30, S, S, 0]


def test_two_suppressed_siblings_need_no_complement():
    rows = [{"n": 30}, {"n": 2}, {"n": 1}]
    result = suppress(rows, Rule(counts=("n",), dependents={}, partitions=((0, 1, 2),)))
    assert [row["n"] for row in result] == [30, S, S]


def test_partitions_are_separate():
    rows = [{"n": 6}, {"n": 2}, {"n": 7}, {"n": 8}]
    result = suppress(rows, Rule(counts=("n",), dependents={}, partitions=((0, 1), (2, 3))))
    assert [row["n"] for row in result] == [S, S, 7, 8]


def _by_code(table):
    return {row["code"]: row for row in table.rows}


@pytest.mark.django_db
def test_neighbourhood_table_of_the_fixed_world(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    rows = _by_code(tables.area_table(figures, "neighbourhood"))
    n1, n2, n3, z1 = (rows[code] for code in ("BU05050101", "BU05050102", "BU05050201", "BU06420101"))
    # New signals: N1 4, Z1 1 → both hidden; N2/N3 0 are shown.
    assert (n1["new_signals"], n2["new_signals"], z1["new_signals"]) == (S, 0, S)
    # Open cases in district 01: N1 6 and N2 2 → N2 hidden, and N1 with it (else 8 − 6 gives N2 away).
    assert (n1["open_cases"], n2["open_cases"], n3["open_cases"]) == (S, S, 0)
    # Arrears sums hide with their (small) count of signals.
    assert (n1["arrears_total"], n2["arrears_total"], z1["arrears_total"]) == (S, S, S)
    assert n1["area"] == "Binnenstad (BU05050101)"


@pytest.mark.django_db
def test_municipality_table_of_the_fixed_world(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    rows = _by_code(tables.area_table(figures, "municipality"))
    dordrecht, zwijndrecht = rows["0505"], rows["0642"]
    assert (dordrecht["open_cases"], zwijndrecht["open_cases"]) == (S, S)  # 8 and 1: 9 − 8 would tell
    # Arrears: Zwijndrecht's one signal is hidden, so Dordrecht's five (and both sums) are hidden too.
    assert (dordrecht["arrears_signals"], dordrecht["arrears_total"]) == (S, S)
    assert (zwijndrecht["arrears_signals"], zwijndrecht["arrears_total"]) == (S, S)
    assert (dordrecht["due"], dordrecht["new_signals"]) == (S, S)
    districts = _by_code(tables.area_table(figures, "district"))
    assert districts["WK050501"]["area"] == "Wijk 01, Dordrecht (WK050501)"


@pytest.mark.django_db
def test_weekly_and_result_tables_suppress_too(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    cases = tables.weekly_tables([figures])[0].rows[0]
    assert (cases["new_signals"], cases["open_cases"], cases["cases_closed"], cases["overdue"]) == (5, 9, S, S)
    speed = tables.weekly_tables([figures])[3].rows[0]
    # 4 first attempts: their median and 90th percentile are hidden too.
    assert (speed["first_attempts"], speed["days_to_attempt_p50"], speed["share_in_time"]) == (S, S, S)
    outcomes = {row["outcome"]: row["cases"] for row in tables.outcome_table(figures).rows}
    assert outcomes[str(FinalResult.PAID.label)] is S
    assert set(outcomes.values()) == {0, S}
