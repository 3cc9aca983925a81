import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from arrears import routing
from arrears.models import Case, CaseEvent, Note
from arrears.selectors import case_notes, case_timeline, partner_figures
from arrears.services import respite as svc
from arrears.services.escalation import escalate_overdue
from arrears.tasks import respite_reminders
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
    assert partner_figures(partner=world.corp_a)["in_respite"] == 1


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
