import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from arrears.models import Case
from arrears.selectors import case_timeline
from arrears.services import cases as case_services
from arrears.services.escalation import escalate_overdue
from arrears.tasks import escalate_overdue as escalate_task
from arrears.vocabularies import ContactKind
from arrears.workflow import CaseState
from tests.partners.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
WED_23_DEC = dt.datetime(2026, 12, 23, 12, tzinfo=AMS)


def test_no_contact_attempt_within_five_working_days_over_christmas(world, flagged, people):
    """Flagged Wed 23 Dec: working days 24, 28, 29, 30, 31 Dec; 25/26 Dec and the weekend do not count."""
    case = flagged(world.corp_a, opened_at=WED_23_DEC)
    assert escalate_overdue(today=dt.date(2026, 12, 31)) == 0
    assert escalate_overdue(today=dt.date(2027, 1, 1)) == 1
    assert escalate_overdue(today=dt.date(2027, 1, 4)) == 0  # once
    case.refresh_from_db()
    assert case.escalated_at and "5" in case.escalation_reason and "31-12-2026" in case.escalation_reason
    event = case.events.get(kind="escalated")
    assert event.partner == world.corp_a and not event.shared
    # a personal contact attempt resolves it
    case_services.contact_attempt_record(
        case=case, by=world.alice, kind=ContactKind.HOME_VISIT, reached=False, date=dt.date(2026, 11, 20)
    )
    case.refresh_from_db()
    assert case.escalated_at is None and case.escalation_reason == ""


def test_escalation_notifies_the_managers_without_personal_data(
    world, flagged, people, django_capture_on_commit_callbacks
):
    case = flagged(world.corp_a, opened_at=WED_23_DEC)
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(today=dt.date(2027, 1, 4))
    assert [m.to for m in mail.outbox] == [["corp-a-manager@example.org"]]
    assert str(case) in mail.outbox[0].subject
    assert case.household.surname not in mail.outbox[0].body and case.household.street not in mail.outbox[0].body


def test_signal_not_taken_up_escalates_for_the_social_service(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd, opened_at=WED_23_DEC)
    Case.objects.filter(pk=case.pk).update(signalled_at=WED_23_DEC)
    # ten working days after 23 Dec 2026: 24, 28, 29, 30, 31 Dec, 4, 5, 6, 7, 8 Jan
    assert escalate_overdue(today=dt.date(2027, 1, 8)) == 0
    assert escalate_overdue(today=dt.date(2027, 1, 9)) == 1
    case.refresh_from_db()
    assert "10" in case.escalation_reason
    # the corporation sees that it was escalated, not why
    event = next(e for e in case_timeline(user=world.alice, case=case) if e.kind == "escalated")
    assert event.redacted and event.reason == ""
    case = case_services.case_take_up(case=case, by=world.charlie)
    assert case.escalated_at is None


def test_deadlines_come_from_the_agreement_or_the_setting(world, flagged, settings):
    agreement = world.corp_a.agreements.get()
    agreement.contact_deadline_working_days = None
    agreement.save()
    flagged(world.corp_a, opened_at=WED_23_DEC)
    assert escalate_overdue(today=dt.date(2027, 2, 1)) == 0  # switched off for this pair
    settings.TIJDIG = {**settings.TIJDIG, "CONTACT_DEADLINE_WORKING_DAYS": 1}
    elsewhere = flagged(
        world.corp_a, opened_at=WED_23_DEC, household={"municipality": MunicipalityFactory(code="0610")}
    )
    assert escalate_overdue(today=dt.date(2026, 12, 28)) == 1
    assert Case.objects.get(escalated_at__isnull=False) == elsewhere


def test_closed_taken_up_and_contacted_cases_are_not_escalated(world, flagged):
    flagged(world.corp_a, opened_at=WED_23_DEC, state=CaseState.CLOSED)
    flagged(world.corp_a, opened_at=WED_23_DEC, queue_partner=world.sd, state=CaseState.TAKEN_UP)
    flagged(world.corp_a, opened_at=WED_23_DEC, contact_attempted_on=dt.date(2026, 12, 24))
    assert escalate_task.delay().get() == {"escalated": 0}
