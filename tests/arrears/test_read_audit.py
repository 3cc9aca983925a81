"""Every read of personal data leaves an audit row, structurally (docs/adr/0026).

The walk: every URL pattern of the site (the resolver) and every operation of the API (its OpenAPI
schema) is either called as a user who sees personal data there and must leave a ``view``/``export``
row, or is on a reviewed allow-list of endpoints that return no personal data (or only write, with the
service's own change row). A new endpoint in neither table fails the suite. The Django admin's pages of
personal-data models are walked the same way, as the platform administrator.
"""

import pytest
from django.contrib import admin
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from arrears.services import cases as case_services
from arrears.services import notes, referrals
from outreach.services import letter_send, outreach_defaults_install
from partners import audit, readaudit, readscope
from partners.models import AuditEvent
from tests.arrears.test_permission_matrix import _url_names  # the one walk of the URL resolver
from tests.ledger.factories import ArrearsSnapshotFactory, LedgerLineFactory
from tests.partners.factories import Api, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate

#: URL names that return no personal data, with the reason (reviewed; keep it short and true).
NO_PERSONAL_DATA = {
    "login": "the login form",
    "logout": "signs out",
    "set_language": "sets the language",
    "health": "service status and import times",
    "two-factor-setup": "the user's own second factor",
    "two-factor-qr": "the user's own second factor",
    "two-factor-recovery-codes": "the user's own recovery codes",
    "two-factor-verify": "the user's own second factor",
    "imports": "file names and statuses of the partner's imports (the error report is a read: import-detail)",
    "privacy-find": "the lookup form; the lookup itself is audited (tests/privacy/test_subject_requests.py)",
    "privacy-erase": "a write: the erasure's own delete row, with the request's reference",
    "queue-bulk-assign": "a write: the service's change rows; answers with a redirect",
    "dashboard": "aggregates, small cells suppressed",
    "dashboard-report": "aggregates, small cells suppressed",
    "dashboard-export": "aggregates, small cells suppressed",
    "api:me": "the caller's own account",
    "api:dashboard": "aggregates, small cells suppressed",
    "api:schema": "the public schema",
    "api:docs": "the public schema",
    "api:redoc": "the public schema",
}


@pytest.fixture
def seeded(world, flagged, people, client):
    """One of everything, visible to alice (corporation A), charlie (the social service) or the
    corporation's partner admin."""
    case = flagged(world.corp_a)
    notes.note_record(case=case, by=world.alice, text="Gebeld", shareable=True)
    case_services.contact_attempt_record(case=case, by=world.alice, kind="Telefoon", reached=False, date=TODAY())
    case_services.payment_arrangement_record(case=case, by=world.alice, monthly_amount="50.00", start_date=TODAY())
    referral = referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY())
    left = flagged(world.corp_a)
    accepted = referrals.referral_create(case=left, by=world.alice, to_partner=world.sd, consent_on=TODAY())
    referrals.referral_accept(referral=accepted, by=world.charlie)
    case_services.contact_attempt_record(case=left, by=world.charlie, kind="Telefoon", reached=True, date=TODAY())
    case_services.case_reroute(case=left, by=world.charlie, to_partner=world.corp_a, reason="Terug")
    tenancy = case.household.tenancies.get()
    ArrearsSnapshotFactory(tenancy=tenancy)
    line = LedgerLineFactory(tenancy=tenancy)
    ledger_import = line.ledger_import
    ledger_import.errors = [{"line": 2, "column": "Naam", "value": "J. de Vries", "reason": "?"}]
    ledger_import.save()
    admin_a, sd_manager = people["corp_a", "admin"], people["sd", "manager"]
    outreach_defaults_install(world.corp_a)
    card = world.corp_a.message_templates.get(purpose="visit_card")
    letter = letter_send(case=case, by=world.alice, template=card)
    return {
        "letter": letter,
        "case": case,
        "household": case.household,
        "tenancy": tenancy,
        "signal": case.signals.get(),
        "referral": referral,
        "import": ledger_import,
        "admin_a": admin_a,
        "sd_manager": sd_manager,
    }


def _privacy_lookup(client, seeded):
    client.post(
        reverse("privacy-find"),
        {
            "reference": "AVG-1",
            "contract_number": seeded["tenancy"].contract_number,
            "postcode": seeded["household"].postcode,
        },
    )


#: URL name → (user key, method, args, data): the call that reads personal data there.
def _page_calls(world, seeded):
    today = TODAY()
    return {
        "home": ("alice", "get", [], None),
        "queue": ("alice", "get", [], None),
        "queue-search": ("alice", "post", [], {"q": seeded["household"].street}),
        "own-file": ("charlie", "get", [], None),
        "case-detail": ("alice", "get", [seeded["case"].pk], None),
        "case-compliance-file": ("alice", "get", [seeded["case"].pk], None),
        "letter-new": ("alice", "get", [seeded["case"].pk], None),
        "letter-pdf": ("alice", "get", [seeded["letter"].pk], None),
        "case-action": ("alice", "post", [seeded["case"].pk, "note"], {"text": "Nog een"}),
        "import-detail": ("admin_a", "get", [seeded["import"].pk], None),
        "import-errors-csv": ("admin_a", "get", [seeded["import"].pk], None),
        "privacy-household": ("admin_a", "get", [seeded["household"].pk], None),
        "privacy-export": ("admin_a", "post", [seeded["household"].pk], {}),
        "dashboard-ddas": (
            "sd_manager",
            "get",
            [],
            {
                "municipality": world.dordrecht.code,
                "date_from": (today.replace(day=1)).isoformat(),
                "date_to": today.isoformat(),
            },
        ),
    }


def _user(world, seeded, key):
    users = {"alice": world.alice, "charlie": world.charlie}
    return users.get(key) or seeded[key]


def test_every_page_that_shows_personal_data_leaves_an_audit_row(client, world, seeded):
    calls = _page_calls(world, seeded)
    pages = {name for name in _url_names() if not name.startswith("api:")}
    unknown = pages - set(calls) - set(NO_PERSONAL_DATA)
    assert not unknown, f"say whether these pages show personal data (and audit them): {sorted(unknown)}"
    missing = []
    for name, (user_key, method, args, data) in calls.items():
        client.force_login(_user(world, seeded, user_key))
        if name.startswith("privacy-"):
            _privacy_lookup(client, seeded)
        before = AuditEvent.objects.filter(action__in=["view", "export"]).count()
        headers = {"HTTP_HX_REQUEST": "true"} if name == "queue-search" else {}  # htmx: the results, not a redirect
        response = getattr(client, method)(reverse(name, args=args), data or {}, **headers)
        assert response.status_code in (200, 302), (name, response.status_code)
        if AuditEvent.objects.filter(action__in=["view", "export"]).count() == before:
            missing.append(name)
    assert not missing, f"these pages showed personal data without an audit row: {missing}"


#: API operations that read no personal data or only write (the write's service records the change).
API_NOT_READS = {
    ("/api/v1/me/", "get"): "the caller's own account",
    ("/api/v1/dashboard/", "get"): "aggregates, small cells suppressed",
    ("/api/schema/", "get"): "the public schema",
    ("/api/v1/message-templates/", "get"): "the partner's own template texts, no household's data",
}


def _api_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method


def _api_path(path, seeded):
    resource = path.split("/")[3]
    obj = {
        "households": seeded["household"],
        "tenancies": seeded["tenancy"],
        "signals": seeded["signal"],
        "cases": seeded["case"],
        "referrals": seeded["referral"],
        "imports": seeded["import"],
        "letters": seeded["letter"],
    }.get(resource)
    return path.replace("{id}", str(obj.pk)) if obj is not None else path


def test_every_api_read_leaves_an_audit_row(world, seeded):
    """Every GET operation of the schema that returns personal data, called with data to return,
    leaves a row; write operations answer through the same serializers (their reads are rows too)."""
    missing, unknown = [], []
    for path, method in _api_operations():
        if (path, method) in API_NOT_READS:
            continue
        if method != "get":
            continue  # writes: their answers use the same audited serializers (test below)
        user = seeded["admin_a"] if path.startswith("/api/v1/imports/") else world.alice
        before = AuditEvent.objects.filter(action="view").count()
        response = Api(user).get(_api_path(path, seeded))
        if response.status_code != 200:
            unknown.append(f"{method.upper()} {path}: {response.status_code}")
            continue
        if AuditEvent.objects.filter(action="view").count() == before:
            missing.append(f"{method.upper()} {path}")
    assert not unknown, unknown
    assert not missing, f"these API reads left no audit row: {missing}"


@pytest.mark.parametrize(
    ("action", "model"),
    [("notes", "arrears.Note"), ("contact-attempts", "arrears.ContactAttempt"), ("timeline", "arrears.CaseEvent")],
)
def test_each_object_a_case_action_read_returns_is_on_record(world, seeded, action, model):
    """Not only "some row": every note, contact attempt and timeline event the answer shows has its own
    row (these answers are serialized outside a view's serializer context)."""
    response = Api(world.alice).get(f"/api/v1/cases/{seeded['case'].pk}/{action}/")
    assert response.status_code == 200
    shown = {str(item["id"]) for item in response.json()}
    assert shown
    recorded = set(
        AuditEvent.objects.filter(action="view", object_type=model, user=world.alice).values_list(
            "object_id", flat=True
        )
    )
    assert shown <= recorded, f"{model} shown without a row: {sorted(shown - recorded)}"


def test_every_api_serializer_of_personal_data_is_audited():
    """The API's serializers of personal-data models carry the audited-read mixin, so an endpoint added
    later with one of them is audited without remembering to."""
    from rest_framework import serializers as drf

    from arrears.api.serializers import cases
    from households.api import serializers as household_serializers
    from ledger.api import serializers as imports

    found = []
    for module in (cases, imports, household_serializers):
        for value in vars(module).values():
            serializer = isinstance(value, type) and issubclass(value, drf.ModelSerializer)
            if serializer and value.Meta.model._meta.label in readaudit.PERSONAL_DATA_MODELS:
                found.append(value)
                assert issubclass(value, readaudit.AuditedReadSerializerMixin), value
    assert len(found) >= 9


def test_the_platform_administrators_reads_in_the_admin_are_audited(client, seeded):
    """Households, tenancies, notes, ledger lines and the other personal-data models: change list and
    change page each leave a row for the superuser."""
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    registered = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
    personal = sorted(set(registered) & readaudit.PERSONAL_DATA_MODELS)
    assert {"households.Household", "households.Tenancy", "arrears.Note", "ledger.LedgerLine"} <= set(personal)
    missing = []
    for label in personal:
        assert isinstance(registered[label], readaudit.AuditedReadAdminMixin), label
        model = registered[label].model
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, label
        app, name = model._meta.app_label, model._meta.model_name
        for url in (reverse(f"admin:{app}_{name}_changelist"), reverse(f"admin:{app}_{name}_change", args=[obj.pk])):
            before = AuditEvent.objects.filter(user=root, action="view").count()
            assert client.get(url).status_code == 200, url
            if AuditEvent.objects.filter(user=root, action="view", channel="admin").count() == before:
                missing.append(url)
    assert not missing, missing


def test_reads_are_on_record_when_the_request_ends_in_an_error_page(world, flagged):
    """A read made in a transaction that is rolled back, in a request that ends in a 500, is still on
    record (written by the middleware when the response leaves), marked with the status."""
    case = flagged(world.corp_a)

    def view(request):
        with transaction.atomic():
            audit.record(user=world.alice, action=audit.Action.VIEW, obj=case, channel="page:case")
            raise ValueError("after the read")

    middleware = readscope.AuditReadsMiddleware(view)
    with pytest.raises(ValueError):
        middleware(RequestFactory().get("/"))
    row = AuditEvent.objects.get(action="view", object_id=str(case.pk))
    assert row.household_id == case.household_id and row.detail["status"] == 500


def test_a_request_records_each_read_once(world, flagged):
    case = flagged(world.corp_a)

    def view(request):
        for _ in range(3):
            audit.record(user=world.alice, action=audit.Action.VIEW, obj=case, channel="api")
        return HttpResponse("ok")

    readscope.AuditReadsMiddleware(view)(RequestFactory().get("/"))
    assert AuditEvent.objects.filter(action="view", object_id=str(case.pk)).count() == 1
