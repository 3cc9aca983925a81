"""Arrears episodes: open, update, close, reopen; respite; the rule per corporation."""

import datetime as dt
from decimal import Decimal

import pytest

from arrears import routing
from arrears.models import Case, CaseEvent, Signal
from arrears.workflow import CaseState
from ledger.models import ArrearsState
from tests.arrears.factories import CaseFactory, FlaggingRuleFactory
from tests.ledger.factories import run_import

pytestmark = pytest.mark.django_db


def snapshot(corp, as_of, *rows, reminder=""):
    """rows: (contract, balance, oldest due date dd-mm-yyyy)."""
    lines = ["Contractnummer;Saldo;Oudste vervaldatum;Datum aanmaning;Peildatum"]
    lines += [f"{c};{b};{d};{reminder};{as_of}" for c, b, d in rows]
    imp = run_import(corp, "\n".join(lines) + "\n", name=f"achterstand-{as_of}.csv")
    assert imp.status == "succeeded", (imp.message, imp.errors)
    return imp


@pytest.fixture
def calls(monkeypatch):
    seen = []
    original = routing.route_flagged_cases

    def spy(**kwargs):
        seen.append(kwargs)
        original(**kwargs)

    monkeypatch.setattr(routing, "route_flagged_cases", spy)
    return seen


def test_an_episode_opens_a_signal_and_a_case_in_the_corporations_queue(corp, tenancy, calls):
    imp = snapshot(corp, "2026-10-31", ("HC1", "812,50", "15-09-2026"), reminder="06-10-2026")
    assert imp.summary["new_signals"] == 1 and imp.summary["new_cases"] == 1
    signal = Signal.objects.get()
    assert (signal.status, signal.origin_date, signal.opened_on) == (
        "open",
        dt.date(2026, 9, 15),
        dt.date(2026, 10, 31),
    )
    assert signal.amount == signal.amount_at_open == signal.peak_amount == Decimal("812.50")
    assert signal.days_overdue == 46 and signal.months_of_rent == Decimal("1.16")
    case = signal.case
    assert (case.state, case.queue_partner, case.corporation, case.household) == (
        CaseState.NEW, corp, corp, tenancy.household,
    )  # fmt: skip
    assert case.opened_at is not None
    assert case.reminder_sent_on == dt.date(2026, 10, 6)  # from the ledger
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count("signal") == 1 and kinds.count("checklist") == 1  # routing adds its own rows
    assert calls == [{"corporation": corp, "new_case_ids": [case.pk], "updated_case_ids": []}]


@pytest.mark.parametrize(
    ("balance", "oldest"),
    [("74,99", "01-09-2026"), ("800,00", "02-10-2026"), ("0,00", ""), ("-50,00", "")],
)
def test_below_the_default_rule_nothing_is_flagged(corp, tenancy, balance, oldest):
    snapshot(corp, "2026-10-31", ("HC1", balance, oldest))
    assert not Signal.objects.exists() and not Case.objects.exists()


def test_the_same_episode_is_updated_not_flagged_again_then_closes_and_reopens(corp, tenancy, calls):
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"))
    first = Signal.objects.get()
    imp = snapshot(corp, "2026-11-30", ("HC1", "1.500,00", "15-09-2026"))
    assert (imp.summary["new_signals"], imp.summary["updated_signals"]) == (0, 1)
    first.refresh_from_db()
    assert (first.amount, first.peak_amount, first.days_overdue) == (Decimal("1500"), Decimal("1500"), 76)
    assert calls[-1]["updated_case_ids"] == [first.case_id] and calls[-1]["new_case_ids"] == []
    imp = snapshot(corp, "2026-12-31", ("HC1", "100,00", "01-12-2026"))  # paying off: below, not cleared
    first.refresh_from_db()
    assert first.status == "open" and first.peak_amount == Decimal("1500") and first.amount == Decimal("100")
    imp = snapshot(corp, "2027-01-31", ("HC1", "0,00", ""))
    assert imp.summary["closed_signals"] == 1
    first.refresh_from_db()
    assert (first.status, first.closed_on) == ("closed", dt.date(2027, 1, 31))
    assert first.case.events.filter(kind=CaseEvent.Kind.SIGNAL).exists()
    # a later arrear is a new episode: a new signal, on the case if it is still open
    imp = snapshot(corp, "2027-03-31", ("HC1", "900,00", "01-02-2027"))
    assert imp.summary["new_signals"] == 1 and imp.summary["attached_to_open_case"] == 1
    second = Signal.objects.get(status="open")
    assert second.pk != first.pk and second.case_id == first.case_id
    assert second.origin_date == dt.date(2027, 2, 1)
    assert Case.objects.count() == 1
    first.case.refresh_from_db()
    assert first.case.version > 1


def test_a_new_episode_after_the_case_was_closed_opens_a_new_case(corp, tenancy):
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"))
    Case.objects.update(state=CaseState.CLOSED, closed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    snapshot(corp, "2026-11-30", ("HC1", "0,00", ""))
    snapshot(corp, "2027-01-31", ("HC1", "800,00", "01-12-2026"))
    assert Case.objects.count() == 2
    assert Signal.objects.filter(status="open").get().case.state == CaseState.NEW


def test_nothing_past_due_counts_as_cleared(corp, tenancy):
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"))
    snapshot(corp, "2026-11-01", ("HC1", "700,00", "01-11-2026"))  # only November's rent, due today
    assert Signal.objects.get().status == "closed"


def test_respite_tracks_but_does_not_re_escalate(corp, tenancy):
    case = CaseFactory(household=tenancy.household, respite_until=dt.date(2026, 11, 15))
    imp = snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"))
    assert imp.summary["not_escalated_respite"] == 1
    assert not Signal.objects.exists()
    assert ArrearsState.objects.get().balance == Decimal("800")  # still tracked
    imp = snapshot(corp, "2026-11-30", ("HC1", "900,00", "15-09-2026"))  # respite over
    signal = Signal.objects.get()
    assert signal.case == case and imp.summary["attached_to_open_case"] == 1
    case.respite_until = dt.date(2027, 1, 31)
    case.save()
    imp = snapshot(corp, "2026-12-31", ("HC1", "1.000,00", "15-09-2026"))
    signal.refresh_from_db()
    assert signal.amount == Decimal("1000") and imp.summary["updated_signals"] == 1  # updated during respite


def test_the_reminder_date_fills_an_empty_checklist_step_of_this_episode_only(corp, tenancy):
    case = CaseFactory(household=tenancy.household)
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"), reminder="01-08-2026")  # an older episode's
    case.refresh_from_db()
    assert case.reminder_sent_on is None
    snapshot(corp, "2026-11-30", ("HC1", "900,00", "15-09-2026"), reminder="01-10-2026")
    case.refresh_from_db()
    assert case.reminder_sent_on == dt.date(2026, 10, 1)
    case.reminder_sent_on = dt.date(2026, 9, 30)
    case.save()
    snapshot(corp, "2026-12-31", ("HC1", "950,00", "15-09-2026"), reminder="20-12-2026")
    case.refresh_from_db()
    assert case.reminder_sent_on == dt.date(2026, 9, 30)  # never overwritten


def test_corporation_rule_amount_months_and_close_after_days_below(corp, tenancy):
    FlaggingRuleFactory(
        partner=corp, min_days_overdue=10, min_amount=200, min_months_of_rent=Decimal("1.5"), close_after_days_below=20
    )
    snapshot(corp, "2026-10-31", ("HC1", "900,00", "15-10-2026"))  # 1.29 months: not yet
    assert not Signal.objects.exists()
    snapshot(corp, "2026-11-05", ("HC1", "1.100,00", "15-10-2026"))  # 1.57 months, 21 days
    signal = Signal.objects.get()
    snapshot(corp, "2026-11-10", ("HC1", "150,00", "15-10-2026"))  # below, not cleared
    assert ArrearsState.objects.get().below_threshold_since == dt.date(2026, 11, 10)
    snapshot(corp, "2026-11-20", ("HC1", "150,00", "15-10-2026"))
    signal.refresh_from_db()
    assert signal.status == "open"
    snapshot(corp, "2026-11-30", ("HC1", "150,00", "15-10-2026"))  # 20 days below
    signal.refresh_from_db()
    assert (signal.status, signal.closed_on) == ("closed", dt.date(2026, 11, 30))
    assert ArrearsState.objects.get().below_threshold_since is None


def test_two_tenancies_of_one_household_share_one_new_case(corp, tenancy):
    from tests.households.factories import TenancyFactory

    TenancyFactory(household=tenancy.household, contract_number="HC1-P", monthly_rent=50)
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"), ("HC1-P", "100,00", "15-09-2026"))
    assert Signal.objects.count() == 2 and Case.objects.count() == 1
