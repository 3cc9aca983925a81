"""The eviction track (issue 15): steps on the case, the crisis rule in one place, routing the same day."""

import datetime as dt

import pytest
from django.utils import timezone

from arrears import eviction
from arrears.models import Case, CaseEvent, EvictionStep
from arrears.services import cases as svc
from arrears.workflow import CaseState
from partners.errors import InvalidInput, NotAllowed
from partners.models import AuditEvent
from tests.arrears.factories import checklist_done

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate()
Kind = EvictionStep.Kind


def test_the_crisis_rule_reads_cases_rows_and_filters_alike(world, flagged):
    calm = flagged(world.corp_a)
    announced = flagged(world.corp_b, eviction_date=TODAY + dt.timedelta(days=20))
    assert not calm.is_crisis and announced.is_crisis
    assert eviction.is_crisis({"eviction_date": None, "eviction_granted_on": TODAY})
    assert not eviction.is_crisis({"eviction_date": None, "eviction_granted_on": None})
    assert list(Case.objects.filter(eviction.crisis_q())) == [announced]


def test_steps_record_history_and_only_judgment_granted_or_announced_make_a_crisis(world, flagged):
    case = flagged(world.corp_a)
    step = svc.eviction_step_record(case=case, by=world.alice, kind=Kind.SUMMONS, date=TODAY, note="deurwaarder")
    assert (step.recorded_by, step.partner, step.note) == (world.alice, world.corp_a, "deurwaarder")
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.HEARING, date=TODAY + dt.timedelta(days=14))
    case.refresh_from_db()
    assert not case.is_crisis
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.JUDGMENT_GRANTED, date=TODAY)
    case.refresh_from_db()
    assert case.is_crisis and case.eviction_granted_on == TODAY and case.eviction_date is None
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.ANNOUNCED, date=TODAY + dt.timedelta(days=30))
    case.refresh_from_db()
    assert case.eviction_date == TODAY + dt.timedelta(days=30)
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.CANCELLED, date=TODAY)
    case.refresh_from_db()
    assert not case.is_crisis and (case.eviction_date, case.eviction_granted_on) == (None, None)
    assert list(case.eviction_steps.values_list("kind", flat=True)) == [
        Kind.SUMMONS,
        Kind.JUDGMENT_GRANTED,
        Kind.CANCELLED,
        Kind.HEARING,
        Kind.ANNOUNCED,
    ]  # by date
    events = case.events.filter(kind=CaseEvent.Kind.EVICTION)
    assert events.count() == 5 and events.first().reason == "deurwaarder"
    assert AuditEvent.objects.filter(object_type="arrears.EvictionStep").count() == 5


@pytest.mark.parametrize("kind", [Kind.JUDGMENT_REFUSED, Kind.EXECUTED])
def test_a_refusal_or_an_executed_eviction_ends_the_crisis(world, flagged, kind):
    case = flagged(world.corp_a, eviction_date=TODAY + dt.timedelta(days=3), eviction_granted_on=TODAY)
    svc.eviction_step_record(case=case, by=world.alice, kind=kind, date=TODAY)
    case.refresh_from_db()
    assert not case.is_crisis


def test_a_crisis_step_routes_the_case_the_same_day_when_the_checklist_allows(world, flagged):
    from tests.partners.factories import RoutingRuleFactory

    RoutingRuleFactory(agreement=world.corp_a.agreements.get(), name="Ontruiming", crisis=True)
    bare = flagged(world.corp_a)
    svc.eviction_step_record(case=bare, by=world.alice, kind=Kind.JUDGMENT_GRANTED, date=TODAY)
    bare.refresh_from_db()
    assert bare.is_crisis and bare.queue_partner == world.corp_a  # a crisis does not waive Besluit art. 2
    case = flagged(world.corp_a, **checklist_done())
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.ANNOUNCED, date=TODAY + dt.timedelta(days=10))
    case.refresh_from_db()
    assert (case.queue_partner, case.state, case.routing_rule.name) == (world.sd, CaseState.SIGNALLED, "Ontruiming")


def test_only_the_corporation_on_an_open_case_with_sound_input(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd, state=CaseState.TAKEN_UP)
    with pytest.raises(NotAllowed):
        svc.eviction_step_record(case=case, by=world.charlie, kind=Kind.SUMMONS, date=TODAY)
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.SUMMONS, date=TODAY)  # also with the sd
    with pytest.raises(InvalidInput, match="not a step"):
        svc.eviction_step_record(case=case, by=world.alice, kind="eviction", date=TODAY)
    with pytest.raises(InvalidInput, match="future"):
        svc.eviction_step_record(case=case, by=world.alice, kind=Kind.EXECUTED, date=TODAY + dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="at most 500"):
        svc.eviction_step_record(case=case, by=world.alice, kind=Kind.SUMMONS, date=TODAY, note="x" * 501)
    closed = flagged(world.corp_b, state=CaseState.CLOSED, closed_at=timezone.now())
    with pytest.raises(NotAllowed):
        svc.eviction_step_record(case=closed, by=world.bob, kind=Kind.SUMMONS, date=TODAY)


def _in_respite(world, flagged, **extra):
    case = flagged(world.corp_a, **extra)
    case.respite_until = TODAY + dt.timedelta(days=30)
    case.save()
    return case


def test_during_respite_a_step_is_refused_unless_a_reason_is_stated_which_the_social_service_reads(world, flagged):
    from arrears.selectors.cases import case_timeline

    case = _in_respite(world, flagged, queue_partner=world.sd, state=CaseState.TAKEN_UP, taken_up_at=timezone.now())
    when = TODAY + dt.timedelta(days=20)
    with pytest.raises(NotAllowed, match="respite"):
        svc.eviction_step_record(case=case, by=world.alice, kind=Kind.ANNOUNCED, date=when)
    with pytest.raises(NotAllowed, match="respite"):
        svc.eviction_step_record(case=case, by=world.alice, kind=Kind.ANNOUNCED, date=when, respite_reason="  ")
    assert not case.eviction_steps.exists()
    svc.eviction_step_record(
        case=case, by=world.alice, kind=Kind.ANNOUNCED, date=when, note="brief", respite_reason="Datum door rechter"
    )
    event = case.events.get(kind=CaseEvent.Kind.EVICTION)
    assert event.shared and event.data["in_respite"] is True and event.data["respite_reason"] == "Datum door rechter"
    seen = [e for e in case_timeline(user=world.charlie, case=case) if e.kind == CaseEvent.Kind.EVICTION]
    assert [(e.redacted, e.data["respite_reason"]) for e in seen] == [(False, "Datum door rechter")]
    assert "Datum door rechter" in seen[0].reason and "brief" in seen[0].reason


def test_outside_respite_the_reason_is_not_needed_nor_kept(world, flagged):
    case = flagged(world.corp_a)
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.SUMMONS, date=TODAY, respite_reason="ignored")
    event = case.events.get(kind=CaseEvent.Kind.EVICTION)
    assert "in_respite" not in event.data and "respite_reason" not in event.data


def test_during_respite_a_reminder_needs_a_reason_other_checklist_steps_do_not(world, flagged):
    case = _in_respite(world, flagged)
    with pytest.raises(NotAllowed, match="respite"):
        svc.checklist_record(case=case, by=world.alice, item="reminder_sent", date=TODAY)
    case.refresh_from_db()
    assert case.reminder_sent_on is None
    svc.checklist_record(case=case, by=world.alice, item="contact_attempted", date=TODAY)
    svc.checklist_record(
        case=case, by=world.alice, item="reminder_sent", date=TODAY, respite_reason="Wettelijk vereist"
    )
    case.refresh_from_db()
    assert case.reminder_sent_on == TODAY
    event = case.events.get(kind=CaseEvent.Kind.CHECKLIST, data__item="reminder_sent")
    assert event.shared and event.data["respite_reason"] == "Wettelijk vereist"
    assert "Wettelijk vereist" in event.reason


def test_the_page_and_the_api_take_the_reason_during_respite(client, world, flagged, api):
    from django.urls import reverse

    case = _in_respite(world, flagged)
    client.force_login(world.alice)
    url = reverse("case-action", args=[case.pk, "eviction"])
    client.post(url, {"kind": Kind.SUMMONS, "date": TODAY.isoformat(), "expected_version": 1}, follow=True)
    assert not case.eviction_steps.exists()
    response = client.post(
        url,
        {
            "kind": Kind.SUMMONS,
            "date": TODAY.isoformat(),
            "respite_reason": "Dagvaarding al betekend",
            "expected_version": 1,
        },
        follow=True,
    )
    assert "Dagvaarding al betekend" in response.content.decode()
    assert case.eviction_steps.count() == 1
    checklist_url = reverse("case-action", args=[case.pk, "checklist"])
    client.post(checklist_url, {"reminder_sent": "on", "reminder_sent_date": TODAY.isoformat()}, follow=True)
    case.refresh_from_db()
    assert case.reminder_sent_on is None
    client.post(
        checklist_url,
        {"reminder_sent": "on", "reminder_sent_date": TODAY.isoformat(), "respite_reason": "Per abuis"},
        follow=True,
    )
    case.refresh_from_db()
    assert case.reminder_sent_on == TODAY
    other = _in_respite(world, flagged)
    endpoint = reverse("api:case-eviction-steps", args=[other.pk])
    refused = api(world.alice).post(endpoint, {"kind": "summons", "date": TODAY.isoformat()}, format="json")
    assert refused.status_code in (403, 409), refused.json()
    done = api(world.alice).post(
        endpoint, {"kind": "summons", "date": TODAY.isoformat(), "respite_reason": "Kan niet wachten"}, format="json"
    )
    assert done.status_code == 200, done.json()
    endpoint = reverse("api:case-checklist", args=[other.pk])
    refused = api(world.alice).post(endpoint, {"item": "reminder_sent", "date": TODAY.isoformat()}, format="json")
    assert refused.status_code in (403, 409), refused.json()
    done = api(world.alice).post(
        endpoint, {"item": "reminder_sent", "date": TODAY.isoformat(), "respite_reason": "Wet"}, format="json"
    )
    assert done.status_code == 200, done.json()
    assert other.events.filter(data__respite_reason="Wet").exists()


def test_working_days_left():
    monday = dt.date(2026, 11, 2)
    assert eviction.working_days_left(monday + dt.timedelta(days=7), monday) == 5
    assert eviction.working_days_left(monday - dt.timedelta(days=1), monday) == 0
    assert eviction.working_days_left(None, monday) is None


# --- the case page and the API ---------------------------------------------------------------------


def test_the_page_records_a_step_and_shows_the_track_and_the_countdown(client, world, flagged):
    from django.urls import reverse

    case = flagged(world.corp_a)
    client.force_login(world.alice)
    when = eviction_day = TODAY + dt.timedelta(days=21)  # three weeks ahead: several working days
    response = client.post(
        reverse("case-action", args=[case.pk, "eviction"]),
        {"kind": Kind.ANNOUNCED, "date": when.isoformat(), "note": "Brief deurwaarder", "expected_version": 1},
        follow=True,
    )
    page = response.content.decode()
    assert f"Ontruimingsstap “Ontruiming aangezegd” van {when:%d-%m-%Y} vastgelegd." in page
    case.refresh_from_db()
    assert case.eviction_date == eviction_day
    left = eviction.working_days_left(eviction_day, TODAY)
    assert f"Crisis: ontruiming op {when:%d-%m-%Y}, nog {left} werkdagen" in page
    assert "Ontruimingstraject" in page and "Brief deurwaarder" in page
    assert "Ontruiming aangezegd: " + f"{when:%d-%m-%Y}" in page  # the timeline line


def test_the_social_service_sees_the_crisis_but_not_the_corporations_track(client, world, flagged):
    from django.urls import reverse

    case = flagged(world.corp_a, queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now())
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.JUDGMENT_GRANTED, date=TODAY, note="geheim")
    client.force_login(world.charlie)
    response = client.get(reverse("case-detail", args=[case.pk]))
    page = response.content.decode()
    assert "Crisis: ontruiming toegewezen" in page
    assert response.context["eviction_steps"] == [] and "geheim" not in page
    assert "eviction" not in response.context["forms"]


def test_the_api_records_a_step_and_the_detail_carries_the_track(world, flagged, api):
    from django.urls import reverse

    case = flagged(world.corp_a)
    response = api(world.alice).post(
        reverse("api:case-eviction-steps", args=[case.pk]),
        {"kind": "judgment_granted", "date": TODAY.isoformat(), "note": "Vonnis"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["crisis"] is True and body["eviction_granted_on"] == TODAY.isoformat()
    assert [(s["kind"], s["note"], s["recorded_by"], s["partner"]) for s in body["eviction_steps"]] == [
        ("judgment_granted", "Vonnis", "alice", "corp-a")
    ]
    read = AuditEvent.objects.get(action="view", object_type="arrears.EvictionStep", user=world.alice)
    assert (read.object_id, read.household_id, read.channel) == (
        str(body["eviction_steps"][0]["id"]),
        case.household_id,
        "api",
    )
    bad = api(world.alice).post(
        reverse("api:case-eviction-steps", args=[case.pk]), {"kind": "later", "date": TODAY.isoformat()}, format="json"
    )
    assert bad.status_code == 400
    listed = api(world.alice).get(reverse("api:case-list"), {"crisis": "true"}).json()["results"]
    assert [c["id"] for c in listed] == [case.pk]


# --- the queue -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["urgency", "amount", "-amount", "household"])
def test_crisis_cases_lead_the_queue_whatever_the_sort(world, flagged, sort):
    from arrears.selectors.queue import QueueFilters, queue_list, queue_page

    overdue = flagged(world.corp_a, opened_days_ago=30, amount="900.00")
    granted = flagged(world.corp_a, opened_days_ago=1, amount="100.00", eviction_granted_on=TODAY)
    soon = flagged(world.corp_a, opened_days_ago=1, amount="200.00", eviction_date=TODAY + dt.timedelta(days=5))
    later = flagged(world.corp_a, opened_days_ago=1, amount="300.00", eviction_date=TODAY + dt.timedelta(days=40))
    rows = list(queue_list(user=world.alice, filters=QueueFilters(sort=sort)))
    assert rows[:3] == [soon, later, granted] and rows[3] == overdue
    assert [row.crisis for row in rows] == [True, True, True, False]
    page = queue_page(user=world.alice, filters=QueueFilters(sort=sort))
    assert list(page.object_list) == rows


def test_the_queue_row_shows_the_crisis(client, world, flagged):
    from django.urls import reverse

    flagged(world.corp_a, eviction_date=dt.date(2027, 1, 15))
    client.force_login(world.alice)
    assert "Crisis: ontruiming 15-01-2027" in client.get(reverse("queue")).content.decode()


# --- the daily alert -------------------------------------------------------------------------------


def test_the_alert_goes_to_the_queues_managers_once_near_the_date_and_once_past_it(
    world, flagged, people, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from arrears.services.eviction_alerts import eviction_alert_due
    from arrears.workdays import add_working_days

    settings.TIJDIG = {**settings.TIJDIG, "EVICTION_ALERT_WORKING_DAYS": 10}
    case = flagged(world.corp_a)
    day = add_working_days(TODAY, 15)
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.ANNOUNCED, date=day)
    calm = flagged(world.corp_b)  # no crisis: never alerted
    assert calm.pk
    assert eviction_alert_due(today=TODAY) == {"soon": 0, "passed": 0}  # 15 working days away
    near = add_working_days(TODAY, 5)  # 10 working days before the eviction
    with django_capture_on_commit_callbacks(execute=True):
        assert eviction_alert_due(today=near) == {"soon": 1, "passed": 0}
    assert eviction_alert_due(today=near) == {"soon": 0, "passed": 0}  # once per eviction date
    assert [m.to for m in mail.outbox] == [["corp-a-manager@example.org"]]
    assert str(case) in mail.outbox[0].subject and day.strftime("%d-%m-%Y") in mail.outbox[0].subject
    assert case.household.surname not in mail.outbox[0].body and case.household.street not in mail.outbox[0].body
    event = case.events.get(kind=CaseEvent.Kind.REMINDER)
    assert event.data == {"eviction_alert": "soon", "eviction_date": day.isoformat()}
    after = day + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert eviction_alert_due(today=after) == {"soon": 0, "passed": 1}
    assert eviction_alert_due(today=after) == {"soon": 0, "passed": 0}
    assert len(mail.outbox) == 2 and "passed" in mail.outbox[1].subject
    # an outcome ends the alerts
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.CANCELLED, date=TODAY)
    assert eviction_alert_due(today=after + dt.timedelta(days=1)) == {"soon": 0, "passed": 0}


def test_no_alert_when_the_household_was_reached_after_the_announcement(world, flagged, people):
    from arrears.services.eviction_alerts import eviction_alert_due
    from arrears.vocabularies import ContactKind

    case = flagged(world.corp_a)
    svc.contact_attempt_record(case=case, by=world.alice, kind=ContactKind.PHONE, reached=True, date=TODAY)
    svc.eviction_step_record(case=case, by=world.alice, kind=Kind.ANNOUNCED, date=TODAY + dt.timedelta(days=3))
    assert eviction_alert_due(today=TODAY) == {"soon": 0, "passed": 0}  # reached the same day


def test_the_beat_job_is_scheduled_and_runs_the_alert(settings):
    from arrears import tasks

    assert settings.CELERY_BEAT_SCHEDULE["eviction-alerts"]["task"] == "arrears.tasks.eviction_alerts_due"
    assert settings.TIJDIG["EVICTION_ALERT_WORKING_DAYS"] == 10
    assert tasks.eviction_alerts_due() == {"soon": 0, "passed": 0}
