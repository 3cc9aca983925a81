"""Eviction steps from the ledger import (issue 15, docs/adr/0081-eviction-track.md, *Import*): both shapes,
profile mapping, idempotent, atomic with the file, bad values by line and column, crisis and respite."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from arrears.models import Case, CaseEvent, EvictionStep
from arrears.services import casework
from arrears.workflow import CaseState
from ledger.models import ArrearsState, LedgerImport
from partners.models import Destination, WebhookDelivery, WebhookSubscription
from tests.arrears.factories import checklist_done
from tests.ledger.factories import ImportProfileFactory, run_import
from tests.partners.factories import RoutingRuleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate()
Kind = EvictionStep.Kind
SNAPSHOT = "Contractnummer;Saldo;Oudste vervaldatum;"


def day(days):
    return (TODAY + dt.timedelta(days=days)).strftime("%d-%m-%Y")


def contract(case):
    return case.household.tenancies.get().contract_number


def arrears_list(columns, *rows):
    """An arrears list (snapshot) with eviction ``columns``; each row: (contract, cells…)."""
    lines = [SNAPSHOT + ";".join(columns)]
    lines += [f"{number};700,00;{day(-60)};" + ";".join(cells) for number, *cells in rows]
    return "\n".join(lines) + "\n"


def test_an_arrears_list_records_the_steps_on_the_open_case_once(world, flagged):
    case = flagged(world.corp_a)
    WebhookSubscription.objects.create(
        partner=world.corp_a, url="https://erp.example/hook", secret="s", events=["eviction.step_recorded"]
    )
    columns = ["Datum dagvaarding", "Zittingsdatum", "Vonnisdatum", "Vonnis", "Datum aanzegging", "Ontruimingsdatum"]
    text = arrears_list(columns, (contract(case), day(-40), day(-20), day(-10), "Toegewezen", day(-2), day(12)))
    imp = run_import(world.corp_a, text, as_of=TODAY)
    assert imp.status == "succeeded", imp.message
    assert imp.errors == []
    assert (imp.summary["eviction_steps"], imp.summary["eviction_steps_no_open_case"]) == (4, 0)
    steps = list(case.eviction_steps.order_by("id"))
    assert [s.kind for s in steps] == [Kind.SUMMONS, Kind.HEARING, Kind.JUDGMENT_GRANTED, Kind.ANNOUNCED]
    assert {(s.recorded_by, s.partner) for s in steps} == {(None, world.corp_a)}
    assert steps[3].note == f"From ledger import #{imp.pk}; announced on {day(-2)}"
    case.refresh_from_db()
    assert case.is_crisis and case.eviction_date == TODAY + dt.timedelta(days=12)
    events = case.events.filter(kind=CaseEvent.Kind.EVICTION)
    assert [e.data["ledger_import_id"] for e in events] == [imp.pk] * 4 and {e.actor for e in events} == {None}
    assert WebhookDelivery.objects.filter(event="eviction.step_recorded").count() == 4
    # The next night's export repeats the steps (another file: another content hash): nothing changes.
    again = run_import(world.corp_a, text + "\n", name="export-2.csv", as_of=TODAY)
    assert again.pk != imp.pk and again.status == "succeeded", again.message
    assert (again.summary["eviction_steps"], again.summary["eviction_steps_known"]) == (0, 4)
    assert EvictionStep.objects.count() == 4 and case.events.filter(kind=CaseEvent.Kind.EVICTION).count() == 4


def test_a_transaction_ledger_with_a_profile_s_headers_ends_the_crisis_and_skips_cases_that_are_not_open(
    world, flagged
):
    case = flagged(world.corp_a, eviction_date=TODAY + dt.timedelta(days=5), eviction_granted_on=TODAY)
    closed = flagged(world.corp_a, state=CaseState.CLOSED, closed_at=timezone.now())
    profile = ImportProfileFactory(
        partner=world.corp_a,
        column_mapping={"eviction_cancelled_date": "Uitzetting gestopt", "judgment": "Uitslag"},
    )
    head = "Contractnummer;Boekdatum;Bedrag;Vonnisdatum;Uitslag;Uitzetting gestopt\n"
    text = (
        head
        + f"{contract(case)};{day(-90)};700,00;{day(-30)};afgewezen;{day(-1)}\n"  # the last filled row counts
        + f"{contract(case)};{day(-60)};700,00;;;\n"
        + f"{contract(closed)};{day(-60)};700,00;;;{day(-3)}\n"
    )
    imp = run_import(world.corp_a, text, profile=profile, as_of=TODAY)
    assert imp.status == "succeeded", imp.message
    assert imp.summary["shape"] == "transactions"
    assert (imp.summary["eviction_steps"], imp.summary["eviction_steps_no_open_case"]) == (2, 1)
    assert list(case.eviction_steps.values_list("kind", flat=True)) == [Kind.JUDGMENT_REFUSED, Kind.CANCELLED]
    case.refresh_from_db()
    assert not case.is_crisis and not closed.eviction_steps.exists()


def test_bad_values_are_row_warnings_by_line_and_column_and_the_rows_are_imported(world, flagged):
    cases = [flagged(world.corp_a) for _ in range(4)]
    columns = ["Datum dagvaarding", "Vonnisdatum", "Vonnis", "Datum aanzegging", "Ontruimingsdatum"]
    text = arrears_list(
        columns,
        (contract(cases[0]), "31-02-2026", day(-5), "misschien", "", ""),
        (contract(cases[1]), "", day(-5), "", day(3), day(1)),
        (contract(cases[2]), day(30), "", "", "", ""),  # a summons in the future: the case app refuses it
        (contract(cases[3]), day(-9), "", "", "", ""),
    )
    imp = run_import(world.corp_a, text, as_of=TODAY)
    assert imp.status == "succeeded", imp.message
    assert imp.summary["rejected_rows"] == 0 and imp.summary["states"] == 4
    found = [(e["line"], e["column"], e["value"], e["code"], e["rejected"]) for e in imp.errors]
    assert found == [
        (2, "Datum dagvaarding", "31-02-2026", "bad_date", False),
        (2, "Vonnis", "misschien", "bad_judgment", False),
        (3, "Ontruimingsdatum", day(1), "eviction_before_announcement", False),
        (3, "Vonnis", "", "missing_value", False),
        (4, "Datum dagvaarding", day(30), "eviction_step_refused", False),
    ]
    reasons = [e["reason"] for e in imp.errors]
    assert reasons[0] == "no such date; the eviction step is not recorded"
    assert "lies in the future" in reasons[4]
    assert (imp.summary["eviction_steps"], imp.summary["eviction_steps_refused"]) == (1, 1)
    assert list(EvictionStep.objects.values_list("case", "kind")) == [(cases[3].pk, Kind.SUMMONS)]


def test_a_failure_while_recording_rolls_the_whole_file_back(world, flagged, monkeypatch):
    case = flagged(world.corp_a)
    record = casework.eviction_step_import
    calls = []

    def second_one_fails(**kwargs):
        calls.append(kwargs["kind"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return record(**kwargs)

    monkeypatch.setattr(casework, "eviction_step_import", second_one_fails)
    text = arrears_list(["Vonnisdatum", "Vonnis", "Ontruimingsdatum"], (contract(case), day(-3), "toegewezen", day(9)))
    with pytest.raises(RuntimeError):
        run_import(world.corp_a, text, as_of=TODAY)
    assert calls == [Kind.JUDGMENT_GRANTED, Kind.ANNOUNCED]
    assert LedgerImport.objects.get().status == "failed"
    assert not EvictionStep.objects.exists() and not case.events.filter(kind=CaseEvent.Kind.EVICTION).exists()
    case.refresh_from_db()
    assert not case.is_crisis
    assert ArrearsState.objects.get(tenancy__household=case.household).as_of != TODAY  # the file's state too


def test_a_judgment_granted_in_the_export_routes_a_ready_case_the_same_day(world, flagged):
    agreement = world.corp_a.agreements.get()
    agreement.default_destination = Destination.CORPORATION  # only a crisis goes to the social service
    agreement.save()
    RoutingRuleFactory(agreement=agreement, name="Ontruiming", crisis=True)
    case = flagged(world.corp_a, **checklist_done())
    text = arrears_list(["Vonnisdatum", "Vonnis"], (contract(case), day(-1), "toegewezen"))
    imp = run_import(world.corp_a, text, as_of=TODAY)
    assert imp.summary["eviction_steps"] == 1
    case.refresh_from_db()
    assert case.is_crisis and case.eviction_granted_on == TODAY - dt.timedelta(days=1)
    assert (case.queue_partner, case.state, case.routing_rule.name) == (world.sd, CaseState.SIGNALLED, "Ontruiming")


def test_during_respite_an_imported_step_is_recorded_with_the_import_as_its_reason(world, flagged):
    case = flagged(world.corp_a, respite_until=TODAY + dt.timedelta(days=20))
    text = arrears_list(["Ontruimingsdatum"], (contract(case), day(15)))
    imp = run_import(world.corp_a, text, as_of=TODAY)
    assert (imp.summary["eviction_steps"], imp.summary["eviction_steps_in_respite"]) == (1, 1)
    event = case.events.get(kind=CaseEvent.Kind.EVICTION)
    assert event.shared and event.data["in_respite"] is True
    assert event.data["respite_reason"] == str(casework.IMPORT_RESPITE_REASON)
    assert event.reason.startswith("During respite: recorded in the corporation's ledger export")


def test_a_file_without_eviction_columns_imports_as_before(world, flagged):
    case = flagged(world.corp_a)
    imp = run_import(world.corp_a, f"Contractnummer;Saldo\n{contract(case)};650,00\n", as_of=TODAY)
    assert imp.status == "succeeded", imp.message
    assert not [key for key in imp.summary if key.startswith("eviction")]
    assert ArrearsState.objects.get(tenancy__household=case.household).balance == Decimal("650.00")
    assert Case.objects.get().eviction_steps.count() == 0
