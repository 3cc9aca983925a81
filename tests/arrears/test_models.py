import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from arrears.models import Case, Signal
from arrears.workflow import CaseState
from tests.arrears.factories import CaseFactory, SignalFactory

pytestmark = pytest.mark.django_db


def test_one_open_episode_per_tenancy_is_enforced_by_the_database():
    signal = SignalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalFactory(tenancy=signal.tenancy)
    signal.status = Signal.Status.CLOSED
    signal.closed_on = dt.date(2026, 11, 1)
    signal.save()
    assert SignalFactory(tenancy=signal.tenancy).status == Signal.Status.OPEN


def test_one_open_case_per_household():
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(household=case.household)


def test_closed_case_needs_a_closing_time():
    case = CaseFactory()
    case.state = CaseState.CLOSED
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()


def test_checklist_complete_needs_all_four_steps_and_no_objection():
    case = Case(
        reminder_sent_on=dt.date(2026, 10, 1),
        contact_attempted_on=dt.date(2026, 10, 2),
        pointed_to_help_on=dt.date(2026, 10, 2),
    )
    assert not case.checklist_complete
    case.offered_to_share_on = dt.date(2026, 10, 1)
    assert case.checklist_complete
    case.objection_on = dt.date(2026, 10, 3)
    assert not case.checklist_complete
