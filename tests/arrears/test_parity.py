"""Issue 13: the case page and the API let the same people do the same things, because the service
decides for both. The table-wide check is ``test_page_and_api_follow_the_matrix`` in
tests/arrears/test_permission_matrix.py; these are the mismatches it does not reach (a closed case, a
case someone works on)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.models import Note
from arrears.services import cases as case_services
from arrears.vocabularies import CorporationOutcome
from tests.arrears.factories import flagged_case
from tests.partners.factories import Api, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_no_note_on_a_closed_case_through_the_api(world):
    """The case page offers no note on a closed case; the API took one."""
    case = flagged_case(world.corp_a)
    case_services.case_close(case=case, by=world.alice, corporation_outcome=CorporationOutcome.ARREARS_PAID)
    response = Api(world.alice).post(reverse("api:case-notes", args=[case.pk]), {"text": "Nog iets"}, format="json")
    assert 400 <= response.status_code < 500
    assert "closed" in response.json()["detail"] or "gesloten" in response.json()["detail"]
    assert not Note.objects.filter(case=case).exists()


def test_the_queue_manager_is_offered_release_as_the_api_allows(client, world):
    """The service lets the assignee or a manager of the queue release a case; the case page offered
    it only to the assignee."""
    manager = UserFactory(username="lead")
    MembershipFactory(user=manager, partner=world.corp_a, role="manager")
    case = case_services.case_claim(case=flagged_case(world.corp_a), by=world.alice)
    client.force_login(manager)
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert "release" in page.context["forms"]
    client.post(reverse("case-action", args=[case.pk, "release"]), {})
    case.refresh_from_db()
    assert case.assignee_id is None
    # A colleague who is neither the assignee nor a manager is offered nothing and refused alike.
    other = UserFactory(username="colleague")
    MembershipFactory(user=other, partner=world.corp_a, role="caseworker")
    case = case_services.case_claim(case=case, by=world.alice)
    client.force_login(other)
    assert "release" not in client.get(reverse("case-detail", args=[case.pk])).context["forms"]
    assert Api(other).post(reverse("api:case-release", args=[case.pk]), {}, format="json").status_code >= 400


def test_the_objection_is_offered_while_a_signal_waits_as_the_api_allows(client, world):
    """A signal not yet taken up comes back when the tenant objects (the service's rule); the case page
    offered the objection only while the case was in the corporation's queue."""
    from tests.arrears.factories import move_case

    case = move_case(flagged_case(world.corp_a), queue_partner=world.sd, state="signalled", signalled_at=timezone.now())
    client.force_login(world.alice)
    assert "objection" in client.get(reverse("case-detail", args=[case.pk])).context["forms"]
    client.post(reverse("case-action", args=[case.pk, "objection"]), {"date": timezone.localdate().isoformat()})
    case.refresh_from_db()
    assert (case.objection_on, case.queue_partner_id) == (timezone.localdate(), world.corp_a.pk)
