import pytest
from django.urls import reverse

from partners.models import AuditEvent
from tests.arrears.factories import CaseFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_caseworker_sees_own_queue_only(client, world):
    own = CaseFactory(household=HouseholdFactory(corporation=world.corp_a, street="Eigenstraat"))
    CaseFactory(household=HouseholdFactory(corporation=world.corp_b, street="Vreemdestraat"))
    client.force_login(world.alice)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Eigenstraat" in body
    assert "Vreemdestraat" not in body
    assert list(response.context["queue"]) == [own]
    assert {figure["key"]: figure["count"] for figure in response.context["figures"]}["open_cases"] == 1
    # the addresses on the page are reads of personal data
    read = AuditEvent.objects.get()
    assert (read.user, read.action, read.object_id, read.household_id, read.channel) == (
        world.alice,
        "view",
        str(own.pk),
        own.household_id,
        "page:home",
    )
