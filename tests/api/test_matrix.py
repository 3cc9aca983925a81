"""The permission matrix of the API: every endpoint × every role of every partner kind × an object of
the user's own partner and of another → exactly the expected status. Lists hold exactly the visible set.

A new API URL without a row here fails ``test_every_api_url_is_in_the_matrix``.
"""

import pytest
from django.urls import get_resolver, reverse

from arrears.models import LedgerImport

from ..factories import CaseFactory, HouseholdFactory, SignalFactory, TenancyFactory

pytestmark = pytest.mark.django_db

ROLES = ("caseworker", "manager", "admin")
PARTNERS = ("corp_a", "corp_b", "sd")

# Who may use the endpoint at all (else 403): every member, corporations only, or only some roles.
ANYONE, CORPORATION, CORPORATION_ADMIN, MANAGERS, PUBLIC = "anyone", "corporation", "corp-admin", "managers", "public"

#: URL name → (who may use it, the object kind a detail URL takes or None for a list/page).
MATRIX = {
    "me": (ANYONE, None),
    "dashboard": (MANAGERS, None),
    "household-list": (ANYONE, None),
    "household-detail": (ANYONE, "household"),
    "tenancy-list": (CORPORATION, None),
    "tenancy-detail": (CORPORATION, "tenancy"),
    "signal-list": (ANYONE, None),
    "signal-detail": (ANYONE, "signal"),
    "case-list": (ANYONE, None),
    "case-detail": (ANYONE, "case"),
    "import-list": (CORPORATION_ADMIN, None),
    "import-detail": (CORPORATION_ADMIN, "import"),
    "schema": (PUBLIC, None),
    "docs": (PUBLIC, None),
    "redoc": (PUBLIC, None),
}


def allowed(who, partner_key, role):
    corporation = partner_key != "sd"
    return {
        ANYONE: True,
        PUBLIC: True,
        CORPORATION: corporation,
        CORPORATION_ADMIN: corporation and role == "admin",
        MANAGERS: role in ("manager", "admin"),
    }[who]


@pytest.fixture
def objects(world):
    """For each corporation one case signalled to the social service (so each object is visible to its
    corporation and to the social service, never to the other corporation)."""
    made = {}
    for key in ("corp_a", "corp_b"):
        corporation = getattr(world, key)
        signal = SignalFactory(tenancy=TenancyFactory(household=HouseholdFactory(corporation=corporation)))
        case = CaseFactory(household=signal.household, queue_partner=world.sd, state="signalled")
        signal.case = case
        signal.save()
        ledger_import = LedgerImport.objects.create(
            partner=corporation, source="api", file_name="x.csv", sha256=key.ljust(64, "0")
        )
        made[key] = {
            "household": signal.household_id,
            "tenancy": signal.tenancy_id,
            "signal": signal.pk,
            "case": case.pk,
            "import": ledger_import.pk,
            "parties": {key, "sd"},
        }
    return made


def api_url_names():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["api"][1]
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    walk(namespace.url_patterns)
    return names


def test_every_api_url_is_in_the_matrix():
    assert api_url_names() == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, world, people, objects, api):
    who, kind = MATRIX[name]
    results = {}
    for partner_key in PARTNERS:
        for role in ROLES:
            client = api(people[partner_key, role])
            targets = (
                {owner: reverse(f"api:{name}", args=[objects[owner][kind]]) for owner in objects}
                if kind
                else {None: reverse(f"api:{name}")}
            )
            for owner, url in targets.items():
                status = client.get(url).status_code
                if not allowed(who, partner_key, role):
                    expected = 403
                elif owner is None or partner_key in objects[owner]["parties"]:
                    expected = 200
                else:
                    expected = 404
                results[partner_key, role, owner] = (status, expected)
    wrong = {key: got for key, got in results.items() if got[0] != got[1]}
    assert not wrong, f"(partner, role, object owner): (got, expected) → {wrong}"


def test_anonymous_gets_401_everywhere_but_the_docs(world, objects, api):
    for name, (who, kind) in MATRIX.items():
        args = [objects["corp_a"][kind]] if kind else []
        status = api().get(reverse(f"api:{name}", args=args)).status_code
        assert status == (200 if who == PUBLIC else 401), name


@pytest.mark.parametrize("name", ["household-list", "tenancy-list", "signal-list", "case-list", "import-list"])
def test_lists_hold_exactly_the_visible_set(name, world, people, objects, api):
    kind = MATRIX[name.replace("-list", "-detail")][1]
    for partner_key in PARTNERS:
        user = people[partner_key, "admin"]
        response = api(user).get(reverse(f"api:{name}"))
        if response.status_code == 403:
            continue
        got = {item["id"] for item in response.json()["results"]}
        expected = {o[kind] for o in objects.values() if partner_key in o["parties"]}
        if name in ("tenancy-list", "import-list"):  # the corporation's own only
            expected = {objects[partner_key][kind]}
        assert got == expected, (name, partner_key)
