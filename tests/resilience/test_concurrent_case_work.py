"""Two caseworkers act on one case at the same moment, each in their own PostgreSQL connection (threads
released together by a barrier): one wins, the other gets a clear message, and no update is lost."""

import datetime as dt
import threading

import pytest
from django.db import connections

from arrears.models import Case, CaseEvent
from arrears.services import cases as case_services
from partners.errors import Conflict
from tests.arrears.factories import CaseFactory
from tests.households.factories import HouseholdFactory
from tests.partners.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run the calls at the same moment in separate threads; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # the outcome under test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def two_caseworkers(world):
    if connections["default"].vendor != "postgresql":
        pytest.fail("needs PostgreSQL row locks (make test-postgres)")
    ans = MembershipFactory(user=UserFactory(username="ans"), partner=world.corp_a, role="caseworker").user
    case = CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    return world.alice, ans, case


def test_two_claims_at_once_one_wins_the_other_is_told(two_caseworkers):
    alice, ans, case = two_caseworkers
    results = race(
        lambda: case_services.case_claim(case=case.pk, by=alice),
        lambda: case_services.case_claim(case=case.pk, by=ans),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "casus" in str(losers[0]) and str(winners[0].assignee) in str(losers[0])
    case.refresh_from_db()
    assert case.assignee_id == winners[0].assignee_id
    assert case.version == 2  # raised once
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ASSIGNED).count() == 1


def test_two_edits_of_the_same_version_lose_nothing(two_caseworkers):
    alice, _ans, case = two_caseworkers
    case_services.case_claim(case=case.pk, by=alice)
    version = Case.objects.get(pk=case.pk).version
    results = race(
        lambda: case_services.checklist_record(
            case=case.pk, by=alice, item="reminder_sent", date=dt.date(2026, 11, 2), expected_version=version
        ),
        lambda: case_services.checklist_record(
            case=case.pk, by=alice, item="pointed_to_help", date=dt.date(2026, 11, 3), expected_version=version
        ),
    )
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1, results
    assert str(conflicts[0]).startswith("Iemand anders heeft deze casus intussen gewijzigd.")
    case.refresh_from_db()
    assert case.version == version + 1
    # Exactly the winner's change is in, the loser's was refused rather than silently overwritten.
    assert bool(case.reminder_sent_on) != bool(case.pointed_to_help_on)
