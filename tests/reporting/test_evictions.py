"""Evictions prevented versus executed per ISO week (issue 15): live, stored and as published."""

import pytest
from django.urls import reverse

from arrears.models import EvictionStep
from reporting.figures import compute_week
from reporting.models import WeeklyFigures
from reporting.snapshots import snapshot_week, week_figures
from reporting.tables import weekly_tables
from tests.reporting.conftest import NOW, d
from tests.reporting.test_figures import W10, W11, W12, areas

pytestmark = pytest.mark.django_db
Kind = EvictionStep.Kind


@pytest.fixture
def evictions(fixed):
    def step(case, kind, date):
        return EvictionStep.objects.create(case=case, kind=kind, date=date, partner=case.corporation)

    c = fixed.cases
    step(c.a1, Kind.JUDGMENT_GRANTED, d(2, 20))
    step(c.a1, Kind.CANCELLED, d(3, 2))  # W10, Monday
    step(c.a2, Kind.EXECUTED, d(3, 8))  # W10, Sunday
    step(c.a5, Kind.CANCELLED, d(3, 9))  # W11
    step(c.a7, Kind.SUMMONS, d(3, 4))  # not an outcome
    step(c.a9, Kind.EXECUTED, d(3, 5))  # W10; a9 is in the social service's queue
    step(c.a3, Kind.CANCELLED, d(3, 17))  # the live week
    return fixed


def test_prevented_and_executed_per_week(evictions):
    corp_a = evictions.world.corp_a
    w10 = compute_week(corp_a, W10, now=NOW)
    assert (w10.total["evictions_prevented"], w10.total["evictions_executed"]) == (1, 2)  # a1; a2, a9
    assert areas(w10, "neighbourhood")["BU05050101"]["evictions_executed"] == 1  # a2 (a9 lives in Zwijndrecht)
    w11 = compute_week(corp_a, W11, now=NOW).total
    assert (w11["evictions_prevented"], w11["evictions_executed"]) == (1, 0)
    live = compute_week(corp_a, W12, now=NOW)
    assert live.live and live.total["evictions_prevented"] == 1
    # The social service counts the cases it works (a9), a corporation only its own.
    sd = compute_week(evictions.world.sd, W10, now=NOW).total
    assert (sd["evictions_prevented"], sd["evictions_executed"]) == (0, 1)
    corp_b = compute_week(evictions.world.corp_b, W10, now=NOW).total
    assert (corp_b["evictions_prevented"], corp_b["evictions_executed"]) == (0, 0)


def test_the_snapshot_stores_them(evictions):
    corp_a = evictions.world.corp_a
    snapshot_week(partner=corp_a, week=W10, now=NOW)
    total = WeeklyFigures.objects.get(partner=corp_a, week_start=W10.start, area="total")
    assert (total.evictions_prevented, total.evictions_executed) == (1, 2)
    EvictionStep.objects.all().delete()  # the stored week does not change afterwards
    assert week_figures(corp_a, W10, now=NOW).total["evictions_executed"] == 2


def test_published_rounded_like_every_count(evictions):
    """Small numbers are rounded to multiples of 5 (ADR 0044): 1 and 2 are published as 0."""
    corp_a = evictions.world.corp_a
    table = next(t for t in weekly_tables([compute_week(corp_a, W10, now=NOW)]) if t.name == "weekly-evictions")
    assert [column.key for column in table.columns] == ["week", "evictions_prevented", "evictions_executed"]
    assert table.rows == [{"week": "2026-W10", "evictions_prevented": 0, "evictions_executed": 0}]


def test_on_the_dashboard(client, evictions):
    client.force_login(evictions.managers.a)
    page = client.get(reverse("dashboard"), {"week": "2026-W10"})
    assert page.status_code == 200
    table = page.context["board"].tables["weekly-evictions"]
    assert [column.key for column in table.columns] == ["week", "evictions_prevented", "evictions_executed"]
    assert len(table.rows) == 13  # the trend's weeks, like the other weekly tables
    assert str(table.title) in page.content.decode()
    response = client.get(reverse("dashboard-export", args=("weekly-evictions", "csv")), {"week": "2026-W10"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
