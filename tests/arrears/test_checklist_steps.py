"""The Besluit art. 2 checklist on the case page (issue 16, docs/adr/0090): several steps in one submit,
each with its own date; the reminder's date offered from the ledger; the routing banner brought up to
date by the action that changes it; no timeline rows for non-changes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.models import Case, CaseEvent
from arrears.services import cases as case_services
from arrears.views.timeline import timeline_rows
from arrears.workflow import CaseState
from ledger.models import ArrearsState

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _post(client, case, data, **headers):
    data = {"expected_version": case.version, **data}
    return client.post(reverse("case-action", args=[case.pk, "checklist"]), data, **headers)


def test_several_steps_in_one_submit_each_with_its_own_date(client, world, flagged):
    case = flagged(world.corp_a, opened_days_ago=20)
    case_services.case_signal(case=case, by=world.alice)  # stays: nothing of the checklist is done
    case.refresh_from_db()
    assert "Wacht op de checklist" in case.routing_reason
    client.force_login(world.alice)
    reminder, call = TODAY() - dt.timedelta(days=9), TODAY() - dt.timedelta(days=2)
    response = _post(
        client,
        case,
        {
            "reminder_sent": "on",
            "reminder_sent_date": reminder.isoformat(),
            "contact_attempted": "on",
            "contact_attempted_date": call.isoformat(),
            # ticked off, so not recorded although it has a date
            "pointed_to_help_date": TODAY().isoformat(),
        },
        follow=True,
    )
    case.refresh_from_db()
    assert (case.reminder_sent_on, case.contact_attempted_on) == (reminder, call)
    assert case.pointed_to_help_on is None and case.offered_to_share_on is None
    steps = case.events.filter(kind=CaseEvent.Kind.CHECKLIST).order_by("pk")
    assert [(e.data["item"], e.data["date"]) for e in steps] == [
        ("reminder_sent", reminder.isoformat()),
        ("contact_attempted", call.isoformat()),
    ]
    # The banner now names only what is still missing, and says so on the page the action answered with.
    assert "Schriftelijke herinnering verstuurd" not in case.routing_reason
    assert "Persoonlijk contact geprobeerd" not in case.routing_reason
    assert "Gewezen op schuldhulp, Aangeboden gegevens door te geven" in case.routing_reason
    page = response.content.decode()
    assert case.routing_reason.split("(")[0] in page and "Stappen vastgelegd" in page
    # A reason that merely lists fewer missing steps is no timeline row: still the one routing row.
    assert case.events.filter(kind=CaseEvent.Kind.ROUTED).count() == 1


def test_the_last_steps_signal_the_case_in_the_same_submit(client, world, flagged):
    case = flagged(world.corp_a, opened_days_ago=20)
    client.force_login(world.alice)
    data = {}
    for item in ("reminder_sent", "contact_attempted", "pointed_to_help", "offered_to_share"):
        data.update({item: "on", f"{item}_date": TODAY().isoformat()})
    response = _post(client, case, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == CaseState.SIGNALLED and case.queue_partner == world.sd
    assert case.events.filter(kind=CaseEvent.Kind.CHECKLIST).count() == 4
    assert case.events.filter(kind=CaseEvent.Kind.ROUTED).count() == 1


def test_a_bad_date_records_nothing_and_says_which_step(client, world, flagged):
    case = flagged(world.corp_a)
    client.force_login(world.alice)
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    response = _post(
        client,
        case,
        {
            "reminder_sent": "on",
            "reminder_sent_date": TODAY().isoformat(),
            "pointed_to_help": "on",
            "pointed_to_help_date": future,
        },
    )
    assert response.status_code == 400  # bad input is a 4xx (docs/adr/0067)
    page = response.content.decode()
    assert "De datum kan niet in de toekomst liggen." in page
    case.refresh_from_db()
    assert case.reminder_sent_on is None and case.pointed_to_help_on is None  # all or nothing
    assert not case.events.filter(kind=CaseEvent.Kind.CHECKLIST).exists()


def test_a_ticked_step_needs_a_date_and_nothing_ticked_is_an_error(client, world, flagged):
    case = flagged(world.corp_a)
    client.force_login(world.alice)
    page = _post(client, case, {"offered_to_share": "on", "offered_to_share_date": ""}).content.decode()
    assert "Geef de datum waarop deze stap is gedaan." in page
    page = _post(client, case, {"reminder_sent_date": TODAY().isoformat()}).content.decode()
    assert "Vink minstens één stap aan." in page
    case.refresh_from_db()
    assert not case.events.filter(kind=CaseEvent.Kind.CHECKLIST).exists()


def test_the_reminder_date_is_offered_from_the_ledger(client, world, flagged):
    case = flagged(world.corp_a)
    signal = case.signals.get()
    ledger_day = signal.origin_date + dt.timedelta(days=14)
    ArrearsState.objects.filter(tenancy=signal.tenancy).update(reminder_date=ledger_day)
    Case.objects.filter(pk=case.pk).update(reminder_sent_on=None)
    client.force_login(world.alice)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f'name="reminder_sent_date" value="{ledger_day.isoformat()}"' in page
    assert f"Uit de export van de huuradministratie: {ledger_day:%d-%m-%Y}." in page
    # A reminder from before the episode began is not this episode's: today is offered instead.
    ArrearsState.objects.filter(tenancy=signal.tenancy).update(reminder_date=signal.origin_date - dt.timedelta(days=1))
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f'name="reminder_sent_date" value="{TODAY().isoformat()}"' in page
    assert "Uit de export van de huuradministratie" not in page


def test_the_timeline_shows_no_state_that_did_not_change(client, world, flagged):
    case = flagged(world.corp_a)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ROUTED,
        partner=world.corp_a,
        from_state=CaseState.NEW,
        to_state=CaseState.NEW,
        reason="Regel 1: blijft bij de corporatie.",
    )
    client.force_login(world.alice)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Regel 1: blijft bij de corporatie." in page
    assert "Nieuw → Nieuw" not in page


def test_a_step_on_the_timeline_says_its_name_once(world, flagged):
    case = flagged(world.corp_a)
    case_services.checklist_record(case=case, by=world.alice, item="pointed_to_help", date=TODAY())
    (row,) = [r for r in timeline_rows(case.events.filter(kind=CaseEvent.Kind.CHECKLIST)) if r.event.case_id == case.pk]
    assert row.detail == f"Gewezen op schuldhulp: {TODAY():%d-%m-%Y}"
    assert row.reason == ""  # not "Gewezen op schuldhulp" a second time under it
