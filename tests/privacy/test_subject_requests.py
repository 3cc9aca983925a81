"""Right of access and erasure for a corporation's partner admin."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.workflow import CaseState
from households.models import Household
from partners.models import AuditEvent
from privacy.models import PurgeRun
from tests.arrears.factories import CaseFactory, NoteFactory
from tests.households.factories import TenancyFactory
from tests.partners.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(world):
    return MembershipFactory(user=UserFactory(username="anna"), partner=world.corp_a, role="admin").user


@pytest.fixture
def tenancy(world):
    return TenancyFactory(household__corporation=world.corp_a, contract_number="HC-000123")


REFERENCE = "AVG-2026-014"


def look_up(client, tenancy, reference=REFERENCE):
    """The privacy request's lookup: contract number, postcode and the request's reference."""
    return client.post(
        reverse("privacy-find"),
        {"reference": reference, "contract_number": tenancy.contract_number, "postcode": tenancy.household.postcode},
    )


def test_admin_finds_household_by_contract_number_without_it_in_a_url(client, admin_a, tenancy):
    client.force_login(admin_a)
    assert client.get(reverse("privacy-find")).status_code == 200
    postcode = tenancy.household.postcode.replace(" ", "").lower()
    response = client.post(
        reverse("privacy-find"), {"reference": REFERENCE, "contract_number": " HC-000123 ", "postcode": postcode}
    )
    assert response.url == reverse("privacy-household", args=[tenancy.household_id])
    missing = client.post(
        reverse("privacy-find"), {"reference": REFERENCE, "contract_number": "HC-999", "postcode": postcode}
    )
    assert "Geen huishouden van uw corporatie" in missing.content.decode()

    page = client.get(response.url)
    assert page.status_code == 200
    assert tenancy.household.name in page.content.decode()
    assert AuditEvent.objects.filter(action="view", household_id=tenancy.household_id, user=admin_a).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reference": "", "contract_number": "HC-000123", "postcode": "3311 AA"}, "reference"),
        ({"reference": "   ", "contract_number": "HC-000123", "postcode": "3311 AA"}, "reference"),
        ({"reference": REFERENCE, "contract_number": "HC-000123", "postcode": ""}, "postcode"),
        ({"reference": REFERENCE, "contract_number": "HC-000123", "postcode": "33"}, "postcode"),
        ({"reference": REFERENCE, "contract_number": "HC-000123", "postcode": "9999 ZZ"}, None),  # another address
        ({"reference": REFERENCE, "contract_number": "HC-0001", "postcode": "3311 AA"}, None),  # no partial match
    ],
)
def test_a_lookup_needs_the_reference_and_the_exact_contract_number_and_postcode(client, admin_a, tenancy, data, field):
    client.force_login(admin_a)
    response = client.post(reverse("privacy-find"), data)
    assert response.status_code == 200  # the form again, with its error: no redirect to a household
    assert response.context["form"].errors
    if field:
        assert field in response.context["form"].errors
    assert client.get(reverse("privacy-household", args=[tenancy.household_id])).status_code == 302


def test_no_browsing_by_id_every_lookup_and_read_is_logged_with_the_reference(client, world, admin_a, tenancy):
    """A partner admin reaches a household only through a lookup for a privacy request; typing ids
    leads back to the lookup, exports and erasures without a lookup are not found. The lookup, the page
    and the export each leave an audit row with the request's reference."""
    other = TenancyFactory(household__corporation=world.corp_a, contract_number="HC-000999")
    client.force_login(admin_a)
    for pk in (tenancy.household_id, other.household_id, 10**9):
        assert client.get(reverse("privacy-household", args=[pk])).url == reverse("privacy-find")
        assert client.post(reverse("privacy-export", args=[pk])).status_code == 404
        assert client.post(reverse("privacy-erase", args=[pk]), {"confirm": "on"}).status_code == 404
    assert not AuditEvent.objects.filter(household_id__in=[tenancy.household_id, other.household_id]).exists()

    look_up(client, tenancy)
    assert client.get(reverse("privacy-household", args=[tenancy.household_id])).status_code == 200
    assert client.post(reverse("privacy-export", args=[tenancy.household_id])).status_code == 200
    # The lookup opened this household only.
    assert client.get(reverse("privacy-household", args=[other.household_id])).url == reverse("privacy-find")
    rows = AuditEvent.objects.filter(user=admin_a, household_id=tenancy.household_id)
    assert sorted(rows.values_list("channel", flat=True)) == ["privacy_export", "privacy_lookup", "privacy_page"]
    assert {row.detail["reference"] for row in rows} == {REFERENCE}
    client.post(
        reverse("privacy-find"), {"reference": "AVG-2026-015", "contract_number": "HC-404", "postcode": "3311 AA"}
    )
    miss = AuditEvent.objects.get(channel="privacy_lookup", detail__reference="AVG-2026-015")
    assert miss.detail["found"] is False and miss.household_id is None and "HC-404" not in str(miss.detail)


@pytest.mark.parametrize("who", ["alice", "bob-admin", "charlie"])
def test_nobody_else_finds_the_household(client, world, tenancy, who):
    user = {
        "alice": lambda: world.alice,  # caseworker of the same corporation
        "bob-admin": lambda: MembershipFactory(partner=world.corp_b, role="admin").user,
        "charlie": lambda: world.charlie,
    }[who]()
    client.force_login(user)
    pk = tenancy.household_id
    look_up(client, tenancy)
    page = client.get(reverse("privacy-household", args=[pk]))
    if who == "bob-admin":  # a partner admin: back to the lookup, as for any id (existence not disclosed)
        assert page.url == reverse("privacy-find")
    else:
        assert page.status_code == 404
    assert client.post(reverse("privacy-export", args=[pk])).status_code == 404
    assert client.post(reverse("privacy-erase", args=[pk]), {"confirm": "on"}).status_code == 404
    assert Household.objects.get(pk=pk).anonymised_at is None


def test_export_is_json_of_what_the_corporation_holds_and_is_logged(client, world, admin_a, tenancy):
    case = CaseFactory(household=tenancy.household)
    NoteFactory(case=case, partner=world.corp_a, text="eigen notitie")
    NoteFactory(case=case, partner=world.sd, text="notitie van de sociale dienst", shareable=False)
    NoteFactory(case=case, partner=world.sd, text="gedeelde notitie", shareable=True)
    client.force_login(admin_a)
    look_up(client, tenancy)
    assert client.get(reverse("privacy-export", args=[tenancy.household_id])).status_code == 405
    response = client.post(reverse("privacy-export", args=[tenancy.household_id]))
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
    look_up(client, tenancy)
    page = client.get(reverse("privacy-household", args=[tenancy.household_id]))
    assert "Er staat nog een casus over dit huishouden open" in page.content.decode()
    response = client.post(reverse("privacy-erase", args=[tenancy.household_id]), {"confirm": "on"}, follow=True)
    assert "Er staat nog een casus over dit huishouden open" in response.content.decode()
    assert Household.objects.get(pk=tenancy.household_id).anonymised_at is None
    assert not PurgeRun.objects.exists()


def test_erasure_needs_the_confirmation(client, admin_a, tenancy):
    client.force_login(admin_a)
    look_up(client, tenancy)
    client.post(reverse("privacy-erase", args=[tenancy.household_id]), {})
    assert Household.objects.get(pk=tenancy.household_id).anonymised_at is None


def test_erasure_removes_the_personal_data_and_is_logged(client, admin_a, tenancy):
    CaseFactory(household=tenancy.household, state=CaseState.CLOSED, closed_at=timezone.now())
    client.force_login(admin_a)
    look_up(client, tenancy)
    response = client.post(reverse("privacy-erase", args=[tenancy.household_id]), {"confirm": "on"}, follow=True)
    assert "zijn verwijderd" in response.content.decode()
    household = Household.objects.get(pk=tenancy.household_id)
    assert household.anonymised_at is not None and household.name == "" and not household.tenancies.exists()
    run = PurgeRun.objects.get()
    assert run.trigger == PurgeRun.Trigger.ERASURE and run.counts["households_anonymised"] == 1
    audit = AuditEvent.objects.get(object_type="privacy.PurgeRun")
    assert audit.user == admin_a and audit.household_id == household.pk and audit.action == "delete"
    assert audit.detail["reference"] == REFERENCE
    # Asked twice: refused with a clear reason, nothing more happens.
    again = client.post(reverse("privacy-erase", args=[household.pk]), {"confirm": "on"}, follow=True)
    assert "al verwijderd" in again.content.decode()
    assert PurgeRun.objects.count() == 1
