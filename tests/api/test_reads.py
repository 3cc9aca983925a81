"""Read endpoints per role: lists hold exactly the visible set, other partners' objects are 404, and a
social service sees only the fields it may."""

import pytest

from arrears.disclosure import SIGNAL_HOUSEHOLD_FIELDS
from ledger.models import LedgerImport
from partners.models import AuditEvent
from tests.arrears.factories import CaseFactory, SignalFactory
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    """Corporation A: one case in its own queue, one signalled to the social service; corporation B: one."""
    own = SignalFactory(tenancy=TenancyFactory(household=HouseholdFactory(corporation=world.corp_a)))
    routed = SignalFactory(tenancy=TenancyFactory(household=HouseholdFactory(corporation=world.corp_a)))
    other = SignalFactory(tenancy=TenancyFactory(household=HouseholdFactory(corporation=world.corp_b)))
    result = {}
    for key, signal, queue, state in [
        ("own", own, world.corp_a, "new"),
        ("routed", routed, world.sd, "signalled"),
        ("other", other, world.corp_b, "new"),
    ]:
        case = CaseFactory(household=signal.household, queue_partner=queue, state=state)
        signal.case = case
        signal.save()
        result[key] = case
    return result


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_corporation_sees_its_own_cases_only(world, api, cases):
    client = api(world.alice)
    assert ids(client.get("/api/v1/cases/")) == {cases["own"].pk, cases["routed"].pk}
    assert client.get(f"/api/v1/cases/{cases['own'].pk}/").status_code == 200
    response = client.get(f"/api/v1/cases/{cases['other'].pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden.", "errors": {}}


def test_social_service_sees_only_routed_cases_and_signal_fields(world, api, cases):
    client = api(world.charlie)
    assert ids(client.get("/api/v1/cases/")) == {cases["routed"].pk}
    assert client.get(f"/api/v1/cases/{cases['own'].pk}/").status_code == 404
    detail = client.get(f"/api/v1/cases/{cases['routed'].pk}/").json()
    household = detail["household"]
    assert set(household["visible_fields"]) == set(SIGNAL_HOUSEHOLD_FIELDS)
    assert set(household) == {"id", "corporation", "visible_fields", *SIGNAL_HOUSEHOLD_FIELDS}
    assert household["surname"] == cases["routed"].household.surname
    [signal] = detail["signals"]
    assert signal["whole_euros"] == 700 and "tenancy" not in signal and "months_of_rent" not in signal
    # Not taken up yet: the household is not the social service's to see in full.
    assert ids(client.get("/api/v1/households/")) == set()
    assert client.get(f"/api/v1/households/{cases['routed'].household_id}/").status_code == 404
    assert ids(client.get("/api/v1/signals/")) == {signal["id"]}


def test_corporation_sees_all_fields_of_its_own_tenants(world, api, cases):
    detail = api(world.alice).get(f"/api/v1/cases/{cases['routed'].pk}/").json()
    assert detail["household"]["name"] == cases["routed"].household.name
    assert detail["household"]["corporation"] == "corp-a"
    assert detail["signals"][0]["tenancy"] == cases["routed"].signals.get().tenancy_id
    assert detail["arrears_amount"] == "700.00"


def test_household_list_and_detail_are_audited_and_scoped(world, api, cases):
    client = api(world.alice)
    before = AuditEvent.objects.filter(channel="api").count()
    listed = ids(client.get("/api/v1/households/"))
    assert listed == {cases["own"].household_id, cases["routed"].household_id}
    assert AuditEvent.objects.filter(channel="api").count() == before + 2
    assert client.get(f"/api/v1/households/{cases['other'].household_id}/").status_code == 404
    body = client.get(f"/api/v1/households/{cases['own'].household_id}/").json()
    assert body["name"] == cases["own"].household.name and body["corporation"] == "corp-a"
    assert AuditEvent.objects.filter(channel="api", household_id=cases["own"].household_id, action="view").count() == 2
    assert api(world.bob).get(f"/api/v1/households/{cases['own'].household_id}/").status_code == 404


def test_tenancies_are_for_corporations_only(world, api, cases):
    tenancy = cases["own"].signals.get().tenancy
    assert ids(api(world.alice).get("/api/v1/tenancies/")) == {
        s.tenancy_id for s in cases["own"].household.signals.all()
    } | {cases["routed"].signals.get().tenancy_id}
    assert api(world.alice).get(f"/api/v1/tenancies/{tenancy.pk}/").json()["arrears"] is None
    assert api(world.bob).get(f"/api/v1/tenancies/{tenancy.pk}/").status_code == 404
    assert api(world.charlie).get("/api/v1/tenancies/").status_code == 403


def test_case_filters(world, api, cases):
    client = api(world.alice)
    assert ids(client.get("/api/v1/cases/", {"state": "signalled"})) == {cases["routed"].pk}
    assert ids(client.get("/api/v1/cases/", {"state": ["new", "signalled"]})) == {cases["own"].pk, cases["routed"].pk}
    assert ids(client.get("/api/v1/cases/", {"queue": "sd"})) == {cases["routed"].pk}
    assert ids(client.get("/api/v1/cases/", {"open": "false"})) == set()
    assert ids(client.get("/api/v1/cases/", {"unassigned": "true", "household": cases["own"].household_id})) == {
        cases["own"].pk
    }


def test_cursor_pagination_walks_every_visible_case_once(world, api):
    made = {CaseFactory(household=HouseholdFactory(corporation=world.corp_a)).pk for _ in range(5)}
    client = api(world.alice)
    seen, url = [], "/api/v1/cases/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert sorted(seen, reverse=True) == seen and set(seen) == made


def test_a_token_scoped_to_one_partner_sees_only_that_partners_cases(world, api, cases):
    MembershipFactory(user=world.alice, partner=world.sd, role="caseworker")
    assert ids(api(world.alice, partner=world.sd).get("/api/v1/cases/")) == {cases["routed"].pk}
    assert api(world.alice, partner=world.sd).get(f"/api/v1/cases/{cases['own'].pk}/").status_code == 404
    assert ids(api(world.alice, partner=world.corp_a).get("/api/v1/cases/")) == {cases["own"].pk, cases["routed"].pk}


def test_imports_are_read_by_the_corporations_admins_and_managers(world, api, people):
    mine = LedgerImport.objects.create(partner=world.corp_a, source="api", file_name="a.csv", sha256="a" * 64)
    theirs = LedgerImport.objects.create(partner=world.corp_b, source="api", file_name="b.csv", sha256="b" * 64)
    for role in ("admin", "manager"):
        client = api(people["corp_a", role])
        assert ids(client.get("/api/v1/imports/")) == {mine.pk}
        assert client.get(f"/api/v1/imports/{mine.pk}/").json()["url"].endswith(f"/api/v1/imports/{mine.pk}/")
        assert client.get(f"/api/v1/imports/{theirs.pk}/").status_code == 404
    for user in (world.alice, people["sd", "admin"], people["sd", "manager"]):
        assert api(user).get("/api/v1/imports/").status_code == 403


def test_case_read_is_audited_with_the_api_channel(world, api, cases):
    api(world.alice).get(f"/api/v1/cases/{cases['own'].pk}/")
    event = AuditEvent.objects.filter(channel="api", object_type="arrears.Case").get()
    assert (event.username, event.object_id, event.household_id) == (
        "alice",
        str(cases["own"].pk),
        cases["own"].household_id,
    )
