"""The weekly figures against hand-computed expectations (the world is described in ``conftest.py``)."""

import datetime as dt
from decimal import Decimal

import pytest

from arrears.vocabularies import FinalResult
from reporting.figures import compute_week
from reporting.weeks import Week
from tests.reporting.conftest import NOW

pytestmark = pytest.mark.django_db

W10 = Week(dt.date(2026, 3, 2))
W11 = Week(dt.date(2026, 3, 9))
W12 = Week(dt.date(2026, 3, 16))


def areas(figures, area):
    return {row.code: row.figures for row in figures.areas[area]}


def test_corporation_week_totals(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    assert not figures.live
    total = figures.total
    assert {key: total[key] for key in ("new_signals", "cases_closed", "open_cases", "in_respite", "overdue")} == {
        "new_signals": 5,  # a1 (Mon 00:00), a2 (Sun 23:30), a4, a5, a9 — not a12 (Sun 23:59 before) nor a3
        "cases_closed": 2,  # a4, a8 (Sun 23:30)
        "open_cases": 9,  # a1 a2 a5 a6 a7 a9 a10 a11 a12
        "in_respite": 2,  # a6 (note), a11 (granted until 03-20, ended only on 03-10); a10 ran out 03-07
        "overdue": 1,  # a7: deadline Tue 03-03, never attempted
    }
    assert total["outcomes"] == {FinalResult.PAID.value: 1, FinalResult.NO_CONTACT.value: 1}
    # Open signals on Sunday 03-08: s1 700, s2 1400, s4 1950 (balance then, not today's 2000), s5 300,
    # s6 900, s7 500.50; s3 closed, s8 opened later.
    assert total["arrears_signals"] == 6
    assert total["arrears_total"] == Decimal("5750.50")
    assert (total["arrears_lt1"], total["arrears_1_2"], total["arrears_2_3"], total["arrears_ge3"]) == (2, 2, 1, 1)
    assert (total["referrals_sent"], total["referrals_accepted"], total["referrals_declined"]) == (2, 1, 0)
    # Deadlines in W10 for starts 02-23..03-01: a6 (in time), a7, a8 (late), a12 (in time, on the deadline).
    assert (total["due"], total["contacted_in_time"]) == (4, 2)
    # First attempts in W10: a1 2 days, a4 2, a12 5, a6 7 → median 3.5, p90 5 + 0.7 × 2 = 6.4.
    assert total["first_attempts"] == 4
    assert (total["days_to_attempt_p50"], total["days_to_attempt_p90"]) == (Decimal("3.50"), Decimal("6.40"))
    # First successful contacts: a4 2, a1 4, a12 5, a6 7.
    assert total["first_reached"] == 4
    assert (total["days_to_reached_p50"], total["days_to_reached_p90"]) == (Decimal("4.50"), Decimal("6.40"))


def test_iso_week_boundary_is_local_time(fixed):
    """Sunday 23:30 and Monday 00:30 in Amsterdam are 22:30 and 23:30 UTC on the same Sunday."""
    corp_a = fixed.world.corp_a
    assert compute_week(corp_a, W11, now=NOW).total["new_signals"] == 1  # a3 only
    assert compute_week(corp_a, Week(dt.date(2026, 2, 23)), now=NOW).total["new_signals"] == 4  # a6 a7 a8 a12


def test_corporation_week_per_area(fixed):
    figures = compute_week(fixed.world.corp_a, W10, now=NOW)
    neighbourhoods = areas(figures, "neighbourhood")
    assert set(neighbourhoods) == {"BU05050101", "BU05050102", "BU05050201", "BU06420101"}
    n1, n2, n3, z1 = (neighbourhoods[code] for code in ("BU05050101", "BU05050102", "BU05050201", "BU06420101"))
    assert (n1["new_signals"], n1["open_cases"], n1["cases_closed"], n1["in_respite"]) == (4, 6, 1, 1)
    assert (n1["arrears_signals"], n1["arrears_total"], n1["due"], n1["contacted_in_time"]) == (
        3,
        Decimal("3000.00"),
        1,
        1,
    )
    assert (n2["open_cases"], n2["in_respite"], n2["overdue"], n2["due"], n2["contacted_in_time"]) == (2, 1, 1, 2, 1)
    assert (n2["arrears_signals"], n2["arrears_total"], n2["referrals_sent"], n2["referrals_accepted"]) == (
        2,
        Decimal("2250.00"),
        2,
        1,
    )
    assert (n3["cases_closed"], n3["due"], n3["open_cases"]) == (1, 1, 0)
    assert (z1["new_signals"], z1["open_cases"], z1["arrears_total"]) == (1, 1, Decimal("500.50"))
    districts = areas(figures, "district")
    assert districts["WK050501"]["open_cases"] == 8 and districts["WK050502"]["cases_closed"] == 1
    municipalities = areas(figures, "municipality")
    assert municipalities["0505"]["arrears_total"] == Decimal("5250.00")
    assert municipalities["0642"]["new_signals"] == 1
    # The areas add up to the total.
    for key in ("new_signals", "open_cases", "arrears_total", "due", "overdue"):
        assert sum(row[key] for row in municipalities.values()) == figures.total[key]


def test_live_week_is_now(fixed):
    figures = compute_week(fixed.world.corp_a, W12, now=NOW)
    assert figures.live
    assert figures.total["open_cases"] == 10  # W10's nine less nothing closed, plus a3
    assert figures.total["in_respite"] == 1  # a6; a11's respite ended 03-10
    # Deadlines before today (Wed 03-18) are for starts up to Tue 03-10: a2, a3 and a7 were never attempted.
    assert figures.total["overdue"] == 3
    assert figures.total["new_signals"] == 0


def test_social_service_counts_cases_routed_or_referred_to_it(fixed):
    figures = compute_week(fixed.world.sd, W10, now=NOW)
    total = figures.total
    # Started for the SD in W10: a9 signalled 03-06; a6, a7, b1 referred 03-03, 03-05, 03-04 (a5 in W09).
    assert total["new_signals"] == 4
    # Held on Sunday evening (ADR 0092): a9 in its queue; a5 and a7, whose referrals still waited for its
    # answer (a7's was declined on Monday 03-09). Not a6 and b1: their referrals were accepted, but this world
    # left them in the corporations' queues.
    assert total["open_cases"] == 3
    assert (total["referrals_sent"], total["referrals_accepted"], total["referrals_declined"]) == (3, 2, 0)
    # a5 reached the SD on 02-27 (deadline 03-06) and the SD never tried: due, not in time; not in its queue.
    assert (total["due"], total["contacted_in_time"], total["overdue"]) == (1, 0, 0)
    assert total["first_attempts"] == 0  # a9's first SD attempt is in W11
    w11 = compute_week(fixed.world.sd, W11, now=NOW).total
    assert (w11["first_attempts"], w11["days_to_attempt_p50"], w11["days_to_reached_p50"]) == (
        1,
        Decimal("3.00"),
        Decimal("4.00"),
    )
    # The SD sees the arrears of its cases only: s4 (a6), s5 (a7), s7 (a9).
    assert (total["arrears_signals"], total["arrears_total"]) == (3, Decimal("2750.50"))


def test_partners_never_count_each_other(fixed):
    a = compute_week(fixed.world.corp_a, W10, now=NOW).total
    b = compute_week(fixed.world.corp_b, W10, now=NOW).total
    assert (b["new_signals"], b["open_cases"], b["referrals_sent"], b["referrals_accepted"]) == (3, 3, 1, 1)
    assert b["arrears_signals"] == 0 and b["due"] == 0
    assert a["new_signals"] == 5  # not 8


@pytest.mark.postgres
@pytest.mark.parametrize("values", [[7], [2, 2, 5, 7], [1, 9, 3, 3, 8, 4, 12, 0, 6]])
def test_portable_percentiles_equal_postgresqls_percentile_cont(fixed, values):
    """The SQLite path (sort, read two rows) against PostgreSQL's own ``percentile_cont``."""
    from django.db.models import F

    from arrears.models import Case
    from reporting.sql import DaysBetween, percentiles, sorted_percentiles

    cases = list(Case.objects.order_by("pk")[: len(values)])
    for case, days in zip(cases, values, strict=True):
        Case.objects.filter(pk=case.pk).update(opened_at=NOW - dt.timedelta(days=days))
    queryset = (
        Case.objects.filter(pk__in=[case.pk for case in cases])
        .annotate(opened_on=F("opened_at__date"), today=F("updated_at__date"))
        .annotate(days=DaysBetween(F("today"), F("opened_on")))
    )
    fractions = (0.1, 0.5, 0.9)
    assert sorted_percentiles(queryset, "days", fractions) == percentiles(queryset, "days", fractions)
