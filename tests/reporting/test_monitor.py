"""Reach and help accepted (``reporting.monitor``) against hand-computed expectations on the fixed world of
``conftest.py``, their publication (rounding, "too little data" under 10 households), the quarters, and
the social service's quarter against the DDAS monitor export of the same quarter."""

import datetime as dt
from decimal import Decimal

import pytest

from partners.models import Municipality
from reporting import ddas, monitor
from reporting.forms import previous_quarter
from reporting.page import build
from reporting.suppression import HIDDEN
from reporting.tables import publish_monitor
from reporting.weeks import Quarter, Week, last_quarters
from tests.arrears.factories import SignalFactory
from tests.households.factories import TenancyFactory
from tests.reporting.conftest import NOW, at

pytestmark = pytest.mark.django_db

W02 = Week(dt.date(2026, 1, 5))
W09 = Week(dt.date(2026, 2, 23))
W10 = Week(dt.date(2026, 3, 2))
W11 = Week(dt.date(2026, 3, 9))
Q1 = Quarter(2026, 1)


def counts(signalled, reached, accepted):
    return {"signalled": signalled, "reached": reached, "accepted": accepted}


def test_corporation_reach_and_help_accepted_per_week(fixed):
    # Corporation A's cases by the week they were opened, reached = a successful attempt by A itself,
    # accepted = taken up by the social service:
    # W02 a10 (01-06 not reached), a11 (01-07 reached)
    # W09 a6 (03-02 reached), a7, a8, a12 (Sunday 23:59; 03-06 reached)
    # W10 a1 (03-06 reached), a2, a4 (03-05 reached), a5 (03-12 a letter, not reached), a9 (taken up 03-10;
    #     reached by the SD only, which is not A's contact)
    # W11 a3
    rows = monitor.per_period(fixed.world.corp_a, [W02, W09, W10, W11], now=NOW)
    assert rows == [counts(2, 1, 0), counts(4, 2, 0), counts(5, 2, 1), counts(1, 0, 0)]
    assert monitor.per_period(fixed.world.corp_a, [Q1], now=NOW) == [counts(12, 5, 1)]
    assert monitor.per_period(fixed.world.corp_b, [W10], now=NOW) == [counts(3, 0, 0)]


def test_figures_are_as_known_at_the_moment(fixed):
    """Before a1's successful visit (03-06) and a9's take-up (03-10), W10 had less of both."""
    assert monitor.per_period(fixed.world.corp_a, [W10], now=at(3, 5, 12)) == [counts(4, 1, 0)]  # a9 opens 03-05 09:00
    assert monitor.per_period(fixed.world.corp_a, [W10], now=at(3, 9, 12)) == [counts(5, 2, 0)]


def test_social_service_counts_what_reached_it(fixed):
    # Delivered to the SD (the export's rule): a5 referred 02-27 (pending); a6 referred 03-03 and b1 03-04
    # (accepted); a9 signalled 03-06. Not a7: its referral was declined. Reached by the SD: a9 (03-10);
    # taken up: a9.
    assert monitor.per_period(fixed.world.sd, [W09, W10, W11], now=NOW) == [
        counts(1, 0, 0),
        counts(3, 1, 1),
        counts(0, 0, 0),
    ]
    assert monitor.per_period(fixed.world.sd, [Q1], now=NOW) == [counts(4, 1, 1)]


def test_the_social_services_quarter_is_the_monitor_exports(fixed):
    """The same households, reached and taken up, as the DDAS export of the quarter over the social
    service's municipalities — the quarter the export form offers by default."""
    # Every delivered case carries a signal, as flagging makes them (this world left two without).
    for case in (fixed.cases.a5, fixed.cases.b1):
        SignalFactory(tenancy=TenancyFactory(household=case.household), case=case, opened_on=dt.date(2026, 2, 20))
    assert previous_quarter(dt.date(2026, 4, 2)) == (Q1.first_day, Q1.last_day)
    cases = reached = taken_up = 0
    for municipality in Municipality.objects.filter(social_services=fixed.world.sd):
        document, _households = ddas.build_document(
            municipality=municipality, date_from=Q1.first_day, date_to=Q1.last_day, social_service=fixed.world.sd
        )
        for case in document["leveringen"][0]["vroegsignaalzaken"]:
            cases += 1
            reached += any(attempt["bereikt"] for attempt in case["contactpogingen"])
            taken_up += "datum_opgepakt" in case
    assert (cases, reached, taken_up) == (4, 1, 1)
    assert monitor.per_period(fixed.world.sd, [Q1], now=NOW) == [counts(cases, reached, taken_up)]


@pytest.mark.parametrize(
    ("raw", "published"),
    [
        # Shares are computed from the rounded counts and shown from 10 signalled households (rounded).
        (counts(0, 0, 0), {"signalled": 0, "reach": None, "help_accepted": None}),
        (counts(4, 4, 4), {"signalled": 5, "reach": HIDDEN, "help_accepted": HIDDEN}),  # 4 households
        (counts(5, 5, 0), {"signalled": 5, "reach": HIDDEN, "help_accepted": HIDDEN}),  # 5: still under 10
        (counts(7, 3, 3), {"signalled": 5, "reach": HIDDEN, "help_accepted": HIDDEN}),  # 7 rounds to 5
        (counts(8, 4, 2), {"signalled": 10, "reach": Decimal("50.0"), "help_accepted": Decimal("0.0")}),  # 8 → 10
        (counts(12, 5, 1), {"signalled": 10, "reach": Decimal("50.0"), "help_accepted": Decimal("0.0")}),
        (counts(23, 18, 7), {"signalled": 25, "reach": Decimal("80.0"), "help_accepted": Decimal("20.0")}),
    ],
)
def test_publishing_rounds_the_counts_and_hides_small_shares(raw, published):
    result = publish_monitor(raw)
    assert {key: result[key] for key in published} == published
    assert all(result[key] % 5 == 0 for key in monitor.COUNTS)


def test_quarters_are_calendar_quarters():
    assert Quarter.containing(dt.date(2026, 3, 31)) == Q1
    assert (Q1.first_day, Q1.last_day, Q1.label) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026-Q1")
    assert Quarter(2025, 4).last_day == dt.date(2025, 12, 31)
    assert Q1.shifted(-1) == Quarter(2025, 4) and Quarter(2025, 4).shifted(1) == Q1
    assert [q.label for q in last_quarters(3, until=Q1)] == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert Quarter.parse("2026-Q1") == Q1
    for bad in ("2026-Q5", "2026-q1", "٢٠٢٦-Q1", "0000-Q1", "9999-Q4"):  # the last two have no dates
        with pytest.raises(ValueError, match="not a quarter"):
            Quarter.parse(bad)


def test_the_dashboard_shows_both_views_and_the_quarter_headlines(fixed):
    board = build(fixed.world.corp_a, now=NOW)
    quarters = board.tables["monitor-quarters"]
    # The quarters the 13 weeks shown reach into (from 2025-W52, in December), at least this one and the last.
    assert [row["quarter"] for row in quarters.rows] == ["2025-Q4", "2026-Q1"]
    year = build(fixed.world.corp_a, weeks=52, now=NOW).tables["monitor-quarters"]
    assert [row["quarter"] for row in year.rows] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    q1 = quarters.rows[-1]
    assert (q1["first_day"], q1["last_day"]) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    # 12 signalled, 5 reached, 1 accepted → 10, 5, 0 published → 50 % and 0 %.
    assert (q1["signalled"], q1["reached"], q1["accepted"]) == (10, 5, 0)
    assert (q1["reach"], q1["help_accepted"]) == (Decimal("50.0"), Decimal("0.0"))
    weeks = {row["week"]: row for row in board.tables["monitor-weeks"].rows}
    assert weeks["2026-W10"]["signalled"] == 5 and weeks["2026-W10"]["reach"] is HIDDEN
    headlines = {item["key"]: item for item in board.headlines()}
    assert headlines["reach"]["value"] == Decimal("50.0")
    assert headlines["reach"]["previous"] is None  # nothing signalled in 2025-Q4: no share
    assert "2026-Q1" in str(headlines["reach"]["period"])
