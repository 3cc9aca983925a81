"""Past weeks come from the nightly snapshots and stay the same after the personal data is gone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from arrears.models import Case, Signal
from households.models import Household
from reporting.models import WeeklyFigures
from reporting.snapshots import snapshot_missing, snapshot_week, trend, week_figures
from reporting.tasks import snapshot_weekly_figures
from reporting.weeks import last_weeks
from tests.reporting.conftest import NOW
from tests.reporting.test_figures import W10, W11, W12

pytestmark = pytest.mark.django_db


def test_snapshot_stores_the_week_once(fixed):
    corp_a = fixed.world.corp_a
    assert snapshot_week(partner=corp_a, week=W10, now=NOW) is True
    assert snapshot_week(partner=corp_a, week=W10, now=NOW) is False  # idempotent
    total = WeeklyFigures.objects.get(partner=corp_a, week_start=W10.start, area="total")
    assert (total.new_signals, total.open_cases, total.arrears_total) == (5, 9, Decimal("5750.50"))
    assert total.days_to_attempt_p90 == Decimal("6.40")
    assert WeeklyFigures.objects.get(partner=corp_a, week_start=W10.start, area_code="BU05050101").open_cases == 6
    with pytest.raises(ValueError, match="has not ended"):
        snapshot_week(partner=corp_a, week=W12, now=NOW)


def test_history_survives_the_purge_of_personal_data(fixed):
    corp_a = fixed.world.corp_a
    snapshot_missing(partner=corp_a, weeks=3, now=NOW)  # W09, W10, W11
    before = week_figures(corp_a, W10, now=NOW)
    # The retention purge removes cases, signals and households; the snapshot table is kept.
    Signal.objects.all().delete()
    Case.objects.all().delete()
    Household.objects.all().delete()
    after = week_figures(corp_a, W10, now=NOW)
    assert after.total == before.total
    assert {row.code: row.figures for row in after.areas["neighbourhood"]} == {
        row.code: row.figures for row in before.areas["neighbourhood"]
    }
    series = trend(corp_a, [W10, W11, W12], now=NOW)
    assert [figures.total["new_signals"] for figures in series] == [5, 1, 0]
    assert series[-1].live and series[-1].total["open_cases"] == 0  # the live week is computed: nothing left


def test_a_week_without_snapshot_is_computed_not_stored(fixed):
    figures = week_figures(fixed.world.corp_a, W10, now=NOW)
    assert figures.total["new_signals"] == 5
    assert not WeeklyFigures.objects.exists()


def test_missing_weeks_only(fixed):
    corp_a = fixed.world.corp_a
    snapshot_week(partner=corp_a, week=W10, now=NOW)
    assert snapshot_missing(partner=corp_a, weeks=4, now=NOW) == 3  # W08, W09, W11
    weeks = {row.week_start for row in WeeklyFigures.objects.filter(partner=corp_a, area="total")}
    assert weeks == {week.start for week in last_weeks(4, until=W11)}


def test_nightly_task_snapshots_every_active_partner(fixed, monkeypatch):
    fixed.world.corp_b.is_active = False
    fixed.world.corp_b.save()
    assert snapshot_weekly_figures.delay(weeks=3).get() == {"corp-a": 3, "sd": 3}
    assert snapshot_weekly_figures.delay(weeks=3).get() == {"corp-a": 0, "sd": 0}
    assert snapshot_weekly_figures.delay(partner_id=fixed.world.sd.pk, weeks=4).get() == {"sd": 1}


def test_snapshot_command_replaces_on_request(fixed, capsys):
    call_command("dashboard_snapshot", "--partner", "corp-a", "--weeks", "2")
    assert "corp-a: 2 weeks stored" in capsys.readouterr().out
    call_command("dashboard_snapshot", "--partner", "corp-a", "--weeks", "2", "--replace")
    assert "corp-a: 2 weeks stored" in capsys.readouterr().out
    assert WeeklyFigures.objects.filter(partner=fixed.world.corp_a, area="total").count() == 2


def test_week_start_must_be_a_monday(fixed):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        WeeklyFigures.objects.create(partner=fixed.world.corp_a, week_start=dt.date(2026, 3, 3), computed_at=NOW)
