import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from arrears import notifications, routing
from arrears.models import Case, CaseEvent, Note
from arrears.selectors import case_notes, case_timeline
from arrears.selectors.queue import home_figures
from arrears.services import respite as svc
from arrears.services.escalation import escalate_overdue
from arrears.tasks import respite_acknowledgements_due, respite_reminders
from arrears.workdays import add_working_days
from arrears.workflow import CaseState
from partners.errors import InvalidInput, NotAllowed
from tests.arrears.factories import checklist_done
from tests.partners.factories import RoutingRuleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate()


@pytest.fixture
def taken_up(world, flagged):
    return flagged(world.corp_a, days=130, queue_partner=world.sd, state=CaseState.TAKEN_UP, assignee=world.charlie)


def test_grant_defaults_to_thirty_days_and_is_shared(world, taken_up, settings):
    settings.TIJDIG = {**settings.TIJDIG, "RESPITE_DEFAULT_DAYS": 30}
    note = svc.respite_grant(case=taken_up, by=world.charlie)
    case = Case.objects.get(pk=taken_up.pk)
    assert case.respite_until == note.respite_until == TODAY + dt.timedelta(days=30)
    assert note.kind == Note.Kind.RESPITE_GRANTED and note.shareable
    assert "pauzeer" in note.text.lower() or "pause" in note.text.lower()
    # the corporation sees the respite plainly: the note, the timeline text, the figures
    assert list(case_notes(user=world.alice, case=case)) == [note]
    event = next(e for e in case_timeline(user=world.alice, case=case) if e.kind == "respite")
    assert event.note == note and not event.redacted
    assert home_figures(user=world.alice, social_service=False)["in_respite"]["count"] == 1


def test_only_the_social_service_grants_and_only_once(world, taken_up, flagged):
    with pytest.raises(NotAllowed):
        svc.respite_grant(case=taken_up, by=world.alice)
    with pytest.raises(NotAllowed):
        svc.respite_grant(case=flagged(world.corp_a), by=world.alice)
    with pytest.raises(InvalidInput):
        svc.respite_grant(case=taken_up, by=world.charlie, until=TODAY)
    svc.respite_grant(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=10), text="Budgetplan loopt")
    with pytest.raises(NotAllowed, match="extend"):
        svc.respite_grant(case=taken_up, by=world.charlie)


def test_extend_and_end_early_always_with_a_note(world, taken_up):
    with pytest.raises(NotAllowed):
        svc.respite_extend(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=40), text="x")
    svc.respite_grant(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=10))
    with pytest.raises(InvalidInput):
        svc.respite_extend(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=40), text=" ")
    with pytest.raises(InvalidInput):
        svc.respite_extend(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=5), text="korter")
    svc.respite_extend(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=40), text="Aanvraag BBZ loopt")
    assert Case.objects.get(pk=taken_up.pk).respite_until == TODAY + dt.timedelta(days=40)
    with pytest.raises(InvalidInput):
        svc.respite_end(case=taken_up, by=world.charlie, text="")
    svc.respite_end(case=taken_up, by=world.charlie, text="Betaalt niet meer")
    assert Case.objects.get(pk=taken_up.pk).respite_until is None
    assert list(taken_up.notes.values_list("kind", flat=True)) == [
        "respite_granted",
        "respite_extended",
        "respite_ended",
    ]
    assert taken_up.events.filter(kind="respite").count() == 3


def test_respite_holds_flagging_and_escalation(world, flagged):
    RoutingRuleFactory(agreement=world.corp_a.agreements.get(), name="Laat", min_days_overdue=101, mark_late=True)
    case = flagged(
        world.corp_a,
        days=130,
        respite_until=TODAY + dt.timedelta(days=3),
        opened_at=timezone.now() - dt.timedelta(days=60),
    )
    assert (
        routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])["skipped"]
        == 1
    )
    assert escalate_overdue(today=TODAY) == 0
    # the day after respite: both resume
    later = TODAY + dt.timedelta(days=4)
    assert svc.respite_expire_due(today=later) == 1
    assert escalate_overdue(today=later) == 1
    Case.objects.filter(pk=case.pk).update(**checklist_done())  # and routing, once the Besluit art. 2 steps are in
    assert (
        routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])["signalled"]
        == 1
    )


def test_reminder_fires_once_a_few_working_days_before_the_end(
    world, taken_up, settings, django_capture_on_commit_callbacks
):
    settings.TIJDIG = {**settings.TIJDIG, "RESPITE_REMINDER_WORKING_DAYS": 3}
    world.charlie.email = "charlie@sd.example"
    world.charlie.save()
    end = add_working_days(TODAY, 10)
    svc.respite_grant(case=taken_up, by=world.charlie, until=end)
    day = TODAY
    while add_working_days(day, 3) < end:
        assert svc.respite_remind_due(today=day) == 0
        day += dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.respite_remind_due(today=day) == 1
    assert svc.respite_remind_due(today=day) == 0  # once per end date
    event = taken_up.events.get(kind=CaseEvent.Kind.REMINDER)
    assert event.shared and event.partner is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["charlie@sd.example"]
    assert str(taken_up) in mail.outbox[0].subject and taken_up.household.surname not in mail.outbox[0].body
    # extending moves the end: a new reminder is due before the new end
    svc.respite_extend(case=taken_up, by=world.charlie, until=end + dt.timedelta(days=30), text="Verlengd")
    assert svc.respite_remind_due(today=day) == 0


def test_the_beat_task_expires_then_reminds(world, taken_up):
    Case.objects.filter(pk=taken_up.pk).update(respite_until=TODAY - dt.timedelta(days=1))
    assert respite_reminders.delay().get() == {"expired": 1, "reminded": 0}
    case = Case.objects.get(pk=taken_up.pk)
    assert case.respite_until is None and case.events.filter(kind="respite", data__has_key="expired").exists()


# --- The handshake (docs/adr/0082) --------------------------------------------------------------------


def test_granting_extending_and_ending_tell_the_corporations_caseworkers(
    world, people, taken_up, django_capture_on_commit_callbacks
):
    world.alice.email = "alice@corp-a.example"
    world.alice.save()
    world.bob.email = "bob@corp-b.example"
    world.bob.save()
    end = TODAY + dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        svc.respite_grant(case=taken_up, by=world.charlie, until=end, text="Schuldhulp loopt, mevrouw is ziek")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@corp-a.example"]  # not corp B, not managers
    message = mail.outbox[0]
    assert str(taken_up) in message.subject and end.strftime("%d-%m-%Y") in message.body
    assert taken_up.household.surname not in message.body + message.subject and "ziek" not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        svc.respite_extend(case=taken_up, by=world.charlie, until=end + dt.timedelta(days=10), text="Verlengd")
    with django_capture_on_commit_callbacks(execute=True):
        svc.respite_end(case=taken_up, by=world.charlie, text="Klaar")
    assert len(mail.outbox) == 3 and all(m.to == ["alice@corp-a.example"] for m in mail.outbox)
    assert (end + dt.timedelta(days=10)).strftime("%d-%m-%Y") in mail.outbox[1].body
    assert str(taken_up) in mail.outbox[2].subject


def test_the_corporation_acknowledges_and_the_social_service_sees_it(world, people, taken_up):
    with pytest.raises(NotAllowed):  # nothing to confirm yet
        svc.respite_acknowledge(case=taken_up, by=world.alice)
    end = TODAY + dt.timedelta(days=20)
    granted = svc.respite_grant(case=taken_up, by=world.charlie, until=end)
    assert svc.unacknowledged(Case.objects.get(pk=taken_up.pk)) == granted
    for outsider in (world.charlie, world.bob, people["corp_a", "admin"]):
        with pytest.raises(NotAllowed):
            svc.respite_acknowledge(case=taken_up, by=outsider)
    version = Case.objects.get(pk=taken_up.pk).version
    note = svc.respite_acknowledge(case=taken_up, by=world.alice, expected_version=version)
    assert note == granted and note.acknowledged_by == world.alice and note.acknowledged_at is not None
    case = Case.objects.get(pk=taken_up.pk)
    assert case.version == version + 1 and svc.unacknowledged(case) is None
    with pytest.raises(NotAllowed):  # once
        svc.respite_acknowledge(case=taken_up, by=world.alice)
    event = taken_up.events.get(kind="respite", data__has_key="acknowledged")
    assert event.partner == world.corp_a and event.actor == world.alice and end.strftime("%d-%m-%Y") in event.reason
    seen = next(e for e in case_timeline(user=world.charlie, case=case) if e.pk == event.pk)
    assert not seen.redacted
    # an extension asks again; a manager may confirm it, and it confirms an earlier unconfirmed note too
    extended = svc.respite_extend(case=taken_up, by=world.charlie, until=end + dt.timedelta(days=5), text="Langer")
    assert svc.unacknowledged(Case.objects.get(pk=taken_up.pk)) == extended
    svc.respite_acknowledge(case=taken_up, by=people["corp_a", "manager"])
    assert not Note.objects.filter(case=taken_up, kind__in=svc.ACKNOWLEDGED_KINDS, acknowledged_at=None).exists()
    # an ended respite needs no confirmation
    svc.respite_end(case=taken_up, by=world.charlie, text="Klaar")
    with pytest.raises(NotAllowed):
        svc.respite_acknowledge(case=taken_up, by=world.alice)


def test_an_unconfirmed_respite_is_escalated_to_the_corporations_managers_once(
    world, people, taken_up, settings, django_capture_on_commit_callbacks
):
    settings.TIJDIG = {**settings.TIJDIG, "RESPITE_ACKNOWLEDGE_WORKING_DAYS": 2}
    world.alice.email = "alice@corp-a.example"
    world.alice.save()
    svc.respite_grant(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=30), text="Ziek")
    deadline = add_working_days(TODAY, 2)
    day = TODAY
    while day <= deadline:
        assert svc.respite_acknowledgement_escalate_due(today=day) == 0
        day += dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.respite_acknowledgement_escalate_due(today=day) == 1
    assert svc.respite_acknowledgement_escalate_due(today=day) == 0  # once
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["corp-a-manager@example.org"]  # not sd, not corp B
    assert str(taken_up) in mail.outbox[0].subject and taken_up.household.surname not in mail.outbox[0].body
    assert "Ziek" not in mail.outbox[0].body
    event = taken_up.events.get(kind=CaseEvent.Kind.ESCALATED)
    assert event.partner == world.corp_a and "2" in event.reason
    assert Case.objects.get(pk=taken_up.pk).escalated_at is None  # the queue's own escalation is untouched
    # an extension asks again: escalated again if again not confirmed; a confirmed one never
    svc.respite_extend(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=40), text="Langer")
    svc.respite_acknowledge(case=taken_up, by=world.alice)
    assert svc.respite_acknowledgement_escalate_due(today=day + dt.timedelta(days=10)) == 0


def test_the_escalation_mail_is_not_sent_when_confirmed_in_between(world, people, taken_up, settings):
    svc.respite_grant(case=taken_up, by=world.charlie, until=TODAY + dt.timedelta(days=30))
    day = add_working_days(TODAY, settings.TIJDIG["RESPITE_ACKNOWLEDGE_WORKING_DAYS"]) + dt.timedelta(days=1)
    assert svc.respite_acknowledgement_escalate_due(today=day) == 1
    svc.respite_acknowledge(case=taken_up, by=world.alice)
    assert notifications.send(case_ids=[taken_up.pk], kind=notifications.RESPITE_UNACKNOWLEDGED) == 0


def test_the_acknowledgement_beat_job_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["respite-acknowledgements"]
    assert entry["task"] == "arrears.tasks.respite_acknowledgements_due"
    assert settings.TIJDIG["RESPITE_ACKNOWLEDGE_WORKING_DAYS"] == 2
    assert respite_acknowledgements_due.delay().get() == {"escalated": 0}
