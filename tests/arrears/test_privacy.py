"""Right of access and erasure for a corporation's partner admin."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.models import PurgeRun
from arrears.workflow import CaseState
from households.models import Household
from partners.models import AuditEvent

from ..factories import CaseFactory, MembershipFactory, NoteFactory, TenancyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(world):
    return MembershipFactory(user=UserFactory(username="anna"), partner=world.corp_a, role="admin").user


@pytest.fixture
def tenancy(world):
    return TenancyFactory(household__corporation=world.corp_a, contract_number="HC-000123")


def test_admin_finds_household_by_contract_number_without_it_in_a_url(client, admin_a, tenancy):
    client.force_login(admin_a)
    assert client.get(reverse("privacy_find")).status_code == 200
    response = client.post(reverse("privacy_find"), {"contract_number": " HC-000123 "})
    assert response.url == reverse("privacy_household", args=[tenancy.household_id])
    missing = client.post(reverse("privacy_find"), {"contract_number": "HC-999"})
    assert "Geen huishouden van uw corporatie" in missing.content.decode()

    page = client.get(response.url)
    assert page.status_code == 200
    assert tenancy.household.name in page.content.decode()
    assert AuditEvent.objects.filter(action="view", household_id=tenancy.household_id, user=admin_a).exists()


@pytest.mark.parametrize("who", ["alice", "bob-admin", "charlie"])
def test_nobody_else_finds_the_household(client, world, tenancy, who):
    user = {
        "alice": lambda: world.alice,  # caseworker of the same corporation
        "bob-admin": lambda: MembershipFactory(partner=world.corp_b, role="admin").user,
        "charlie": lambda: world.charlie,
    }[who]()
    client.force_login(user)
    pk = tenancy.household_id
    assert client.post(reverse("privacy_find"), {"contract_number": "HC-000123"}).status_code in (200, 404)
    assert client.get(reverse("privacy_household", args=[pk])).status_code == 404
    assert client.post(reverse("privacy_export", args=[pk])).status_code == 404
    assert client.post(reverse("privacy_erase", args=[pk]), {"confirm": "on"}).status_code == 404
    assert Household.objects.get(pk=pk).anonymised_at is None


def test_export_is_json_of_what_the_corporation_holds_and_is_logged(client, world, admin_a, tenancy):
    case = CaseFactory(household=tenancy.household)
    NoteFactory(case=case, partner=world.corp_a, text="eigen notitie")
    NoteFactory(case=case, partner=world.sd, text="notitie van de sociale dienst", shareable=False)
    NoteFactory(case=case, partner=world.sd, text="gedeelde notitie", shareable=True)
    client.force_login(admin_a)
    assert client.get(reverse("privacy_export", args=[tenancy.household_id])).status_code == 405
    response = client.post(reverse("privacy_export", args=[tenancy.household_id]))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["household"]["name"] == tenancy.household.name
    assert data["tenancies"][0]["contract_number"] == "HC-000123"
    notes = [n["text"] for n in data["cases"][0]["notes"]]
    assert sorted(notes) == ["eigen notitie", "gedeelde notitie"]
    assert AuditEvent.objects.filter(action="export", household_id=tenancy.household_id, user=admin_a).count() == 1


def test_erasure_is_refused_while_a_case_is_open(client, admin_a, tenancy):
    CaseFactory(household=tenancy.household, state=CaseState.IN_PROGRESS)
    client.force_login(admin_a)
    page = client.get(reverse("privacy_household", args=[tenancy.household_id]))
    assert "Er staat nog een casus over dit huishouden open" in page.content.decode()
    response = client.post(reverse("privacy_erase", args=[tenancy.household_id]), {"confirm": "on"}, follow=True)
    assert "Er staat nog een casus over dit huishouden open" in response.content.decode()
    assert Household.objects.get(pk=tenancy.household_id).anonymised_at is None
    assert not PurgeRun.objects.exists()


def test_erasure_needs_the_confirmation(client, admin_a, tenancy):
    client.force_login(admin_a)
    client.post(reverse("privacy_erase", args=[tenancy.household_id]), {})
    assert Household.objects.get(pk=tenancy.household_id).anonymised_at is None


def test_erasure_removes_the_personal_data_and_is_logged(client, admin_a, tenancy):
    CaseFactory(household=tenancy.household, state=CaseState.CLOSED, closed_at=timezone.now())
    client.force_login(admin_a)
    response = client.post(reverse("privacy_erase", args=[tenancy.household_id]), {"confirm": "on"}, follow=True)
    assert "zijn verwijderd" in response.content.decode()
    household = Household.objects.get(pk=tenancy.household_id)
    assert household.anonymised_at is not None and household.name == "" and not household.tenancies.exists()
    run = PurgeRun.objects.get()
    assert run.trigger == PurgeRun.Trigger.ERASURE and run.counts["households_anonymised"] == 1
    audit = AuditEvent.objects.get(object_type="arrears.PurgeRun")
    assert audit.user == admin_a and audit.household_id == household.pk and audit.action == "delete"
    # Asked twice: refused with a clear reason, nothing more happens.
    again = client.post(reverse("privacy_erase", args=[household.pk]), {"confirm": "on"}, follow=True)
    assert "al verwijderd" in again.content.decode()
    assert PurgeRun.objects.count() == 1
