"""Small numbers (ADR 0044): the rounding itself, then as the dashboard tables apply it.

Before ADR 0044 these tests expected "<5" for counts of 1 to 4 and a complementary "<5" beside a lone
one; now every count is a multiple of 5 and the parts add up to their rounded whole, so the expected
values below are the rounded ones (worked out from the hand-counted figures of ``test_figures.py``).
"""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from arrears.vocabularies import FinalResult
from reporting import tables
from reporting.figures import compute_week
from reporting.suppression import BASE, HIDDEN, dependent, round_count, share, split
from tests.reporting.conftest import NOW
from tests.reporting.test_figures import W10

X = HIDDEN


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, 0), (1, 0), (2, 0), (3, 5), (4, 5), (5, 5), (7, 5), (8, 10), (122, 120), (123, 125), (None, None)],
)
def test_a_count_on_its_own_goes_to_the_nearest_multiple_of_5(value, shown):
    assert round_count(value) == shown


@given(st.lists(st.integers(min_value=0, max_value=60), max_size=12), st.booleans())
def test_parts_are_rounded_to_a_neighbouring_multiple_and_add_up_to_their_rounded_whole(values, up):
    """Controlled rounding: whichever neighbouring multiple of 5 the whole was rounded to, the parts
    reach it exactly, each part moves by less than 5 and a multiple of 5 (zero above all) stays put."""
    whole = sum(values)
    rounded = BASE * (whole // BASE + (1 if up and whole % BASE else 0))
    parts = split(values, rounded)
    assert sum(parts) == rounded
    for value, part in zip(values, parts, strict=True):
        assert part % BASE == 0 and abs(part - value) < BASE
        if value % BASE == 0:
            assert part == value
        # The protected fact: a count of 1 to 4 is never published as itself.
        assert not 1 <= part <= 4


def test_the_largest_remainders_go_up():
    assert split([2, 2, 1, 1], 5) == [5, 0, 0, 0]  # 6 → 5: one of the 2s, the first
    assert split([8, 1], 10) == [10, 0]  # Dordrecht's 8 and Zwijndrecht's 1 open cases
    assert split([4, 4, 4], 10) == [5, 5, 0]


def test_sums_medians_and_shares_only_for_a_large_enough_published_group():
    assert dependent(Decimal("950.00"), 5) is X
    assert dependent(Decimal("950.00"), 0) is None
    assert dependent(Decimal("950.00"), 10) == Decimal("950.00")
    assert share(5, 5) is X  # 5 of 5 (could be 3 of 4): too small a group for a percentage
    assert share(0, 0) is None
    assert share(15, 20) == Decimal("75.0")  # from the published counts, not the true ones


def _by_code(table):
    return {row["code"]: row for row in table.rows}


@pytest.mark.django_db
def test_neighbourhood_table_of_the_fixed_world(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    rows = _by_code(tables.area_table(figures, "neighbourhood"))
    # N3 (1 closed, 1 due) and Z1 (1 of each) round to nothing: no row says something small happened there.
    assert set(rows) == {"BU05050101", "BU05050102"}
    n1, n2 = rows["BU05050101"], rows["BU05050102"]
    # New signals: N1 4 → 5, N2 0. Open cases: N1 6 and N2 2 split their district's 10 (8 rounded).
    assert (n1["new_signals"], n2["new_signals"]) == (5, 0)
    assert (n1["open_cases"], n2["open_cases"]) == (5, 5)
    # Arrears sums of 3 and 2 signals are never shown.
    assert (n1["arrears_total"], n2["arrears_total"]) == (X, None)
    assert n1["area"] == "Binnenstad (BU05050101)"


@pytest.mark.django_db
def test_municipality_table_of_the_fixed_world(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    rows = _by_code(tables.area_table(figures, "municipality"))
    assert set(rows) == {"0505"}  # Zwijndrecht's ones all round to 0
    dordrecht = rows["0505"]
    # 8 and 1 open cases split the total's 10 (9 rounded): 10 and 0, never "9 − 8".
    assert dordrecht["open_cases"] == 10
    assert (dordrecht["arrears_signals"], dordrecht["arrears_total"]) == (5, X)
    assert (dordrecht["due"], dordrecht["new_signals"]) == (5, 5)
    districts = _by_code(tables.area_table(figures, "district"))
    assert districts["WK050501"]["area"] == "Wijk 01, Dordrecht (WK050501)"


@pytest.mark.django_db
def test_parts_add_up_to_the_total_at_every_level(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    (total,) = tables.weekly_tables([figures])[0].rows
    for area in ("municipality", "district", "neighbourhood"):
        rows = tables.area_table(figures, area).rows
        for key in ("new_signals", "open_cases", "cases_closed"):
            assert sum(row[key] for row in rows) == total[key], (area, key)


@pytest.mark.django_db
def test_weekly_and_result_tables_round_too(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    cases = tables.weekly_tables([figures])[0].rows[0]
    assert (cases["new_signals"], cases["open_cases"], cases["cases_closed"], cases["overdue"]) == (5, 10, 0, 0)
    arrears = tables.weekly_tables([figures])[1].rows[0]
    # 6 open signals → 5; the buckets 2, 2, 1, 1 split those 5; the sum of 6 signals is not shown.
    assert [arrears[key] for key in tables.BUCKETS] == [5, 0, 0, 0]
    assert arrears["arrears_total"] is X
    speed = tables.weekly_tables([figures])[3].rows[0]
    # 4 first attempts → 5: their median and 90th percentile are hidden, like the share of 2 out of 4.
    assert (speed["first_attempts"], speed["days_to_attempt_p50"], speed["share_in_time"]) == (5, X, X)
    outcomes = {row["outcome"]: row["cases"] for row in tables.outcome_table(figures).rows}
    assert outcomes[str(FinalResult.PAID.label)] == 0  # two results of one case each: 2 → 0
    assert set(outcomes.values()) == {0}


@pytest.mark.django_db
def test_charts_leave_a_gap_for_a_hidden_figure(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    arrears = tables.weekly_tables([figures])[1].chart_data()
    assert arrears["datasets"][0]["data"] == [None]  # not 0: the sum is hidden, not zero
    with translation.override("en"):
        assert tables.weekly_tables([figures])[1].chart_data()["hidden"] == "too little data"  # in its tooltip


CODES = ("BU05050101", "BU05050102", "BU05050201", "BU06420101", "")  # "" = no known neighbourhood
MUNICIPALITY_OF = {"BU05050101": "0505", "BU05050102": "0505", "BU05050201": "0505", "BU06420101": "0642"}


def _figures(cells):
    """WeekFigures for ``{(municipality, neighbourhood): figures}``, rolled up as ``areas.roll_up`` does."""
    from reporting.areas import AreaRow, district_code, parent_code
    from reporting.figures import WeekFigures

    keys = (*tables.AREA_COUNTS, "arrears_total")
    levels = {"municipality": {}, "district": {}, "neighbourhood": {}}
    total = dict.fromkeys(keys, 0)
    for (municipality, neighbourhood), values in cells.items():
        for area, code in (
            ("municipality", municipality),
            ("district", district_code(neighbourhood)),
            ("neighbourhood", neighbourhood),
        ):
            row = levels[area].setdefault(
                code, AreaRow(area, code, "", parent_code(area, code), dict.fromkeys(keys, 0))
            )
            for key in keys:
                row.figures[key] += values[key]
        for key in keys:
            total[key] += values[key]
    total.update(dict.fromkeys((*tables.BUCKETS, "first_attempts", "first_reached"), 0), outcomes={})
    total["arrears_lt1"] = total["arrears_signals"]
    areas = {area: sorted(rows.values(), key=lambda row: row.code) for area, rows in levels.items()}
    return WeekFigures(partner_id=1, week=W10, live=False, total=total, areas=areas)


counts_strategy = st.fixed_dictionaries({key: st.integers(0, 14) for key in tables.AREA_COUNTS})


@given(st.dictionaries(st.sampled_from(CODES), counts_strategy, min_size=1), st.sampled_from(("0505", "0642", "")))
def test_every_area_level_adds_up_to_its_published_parent(places, home):
    """Whatever the figures: at every level the published parts add up to the published parent, each
    within 5 of the truth; an amount is shown only if every part of its partition has 10 or more."""
    cells = {}
    for code, values in places.items():
        municipality = MUNICIPALITY_OF.get(code, home)
        cells[(municipality, code)] = {**values, "arrears_total": Decimal(values["arrears_signals"] * 100)}
    figures = _figures(cells)
    published = tables.publish_areas(figures)
    total = tables.publish_total(figures.total)
    for key in tables.AREA_COUNTS:
        assert sum(part[key] for part in published["municipality"].values()) == total[key]
        for area in ("municipality", "district", "neighbourhood"):
            for row in figures.areas[area]:
                part = published[area][row.code][key]
                assert part % BASE == 0 and abs(part - row.figures[key]) < BASE
        for municipality, part in published["municipality"].items():
            districts = [d for code, d in published["district"].items() if code and code[2:6] == municipality]
            if municipality and not any(m == municipality for m, n in cells if not n):
                assert sum(d[key] for d in districts) == part[key]
        for district, part in published["district"].items():
            if district:
                nbhs = [
                    n for code, n in published["neighbourhood"].items() if code and code[:8] == "BU" + district[2:8]
                ]
                assert sum(n[key] for n in nbhs) == part[key]
        assert published["neighbourhood"].get("", {}).get(key) == published["district"].get("", {}).get(key)
    for area in ("municipality", "district", "neighbourhood"):
        for part in published[area].values():
            if part["arrears_total"] not in (None, X):
                assert part["arrears_signals"] >= 10
    municipalities = published["municipality"].values()
    if any(part["arrears_total"] not in (None, X) for part in municipalities):  # no subtracting from the total
        assert all(part["arrears_signals"] >= 10 for part in municipalities)
