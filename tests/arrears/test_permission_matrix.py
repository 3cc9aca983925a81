"""The permission matrix: role × object × action → allowed, as a table (docs/adr/0020, issue 4).

Users: every role of corporation A, corporation B (another corporation), the social service covering
Dordrecht and a second social service, and an anonymous visitor. Objects: corporation A's tenants in
every stage (own queue, referred, signalled, taken up) and one of corporation B's. Each cell runs the
real selector or service in a savepoint that is rolled back, and the outcome must equal the table.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from arrears import selectors as sel
from arrears.services import cases as case_services
from arrears.services import notes, referrals, respite
from arrears.vocabularies import ContactKind, CorporationOutcome, FinalResult
from arrears.workflow import CaseState
from partners.errors import DomainError
from tests.api.test_matrix import api_url_names
from tests.partners.factories import Api, MembershipFactory, SocialServiceFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

USERS = [
    "alice",  # corp A caseworker
    "corp-a-manager",
    "corp-a-admin",
    "bob",  # corp B caseworker
    "corp-b-manager",
    "corp-b-admin",
    "charlie",  # social service caseworker
    "sd-manager",
    "sd-admin",
    "dave",  # caseworker of another social service
    "anonymous",
]
OBJECTS = ["own", "referred", "signalled", "taken_up", "handed_back", "foreign"]

A_WORKERS = {"alice", "corp-a-manager"}
B_WORKERS = {"bob", "corp-b-manager"}
SD_WORKERS = {"charlie", "sd-manager"}

# action → object → users allowed. Everything not listed is refused (404 for reads).
MATRIX = {
    "list": {
        "own": A_WORKERS,
        "handed_back": A_WORKERS,  # the social service accepted, then handed it back
        "referred": A_WORKERS | SD_WORKERS,
        "signalled": A_WORKERS | SD_WORKERS,
        "taken_up": A_WORKERS | SD_WORKERS,
        "foreign": B_WORKERS,
    },
    "get": "list",
    "timeline": "list",
    "household": {
        "own": A_WORKERS,
        "handed_back": A_WORKERS,  # the social service accepted, then handed it back
        "referred": A_WORKERS,
        "signalled": A_WORKERS,
        "taken_up": A_WORKERS | SD_WORKERS,
        "foreign": B_WORKERS,
    },
    "claim": {
        "own": A_WORKERS,
        "handed_back": A_WORKERS,  # the social service accepted, then handed it back
        "referred": A_WORKERS,
        "signalled": SD_WORKERS,
        "taken_up": SD_WORKERS,
        "foreign": B_WORKERS,
    },
    "note": {
        "own": A_WORKERS,
        "handed_back": A_WORKERS,  # the social service accepted, then handed it back
        "referred": A_WORKERS,
        "signalled": A_WORKERS | SD_WORKERS,
        "taken_up": A_WORKERS | SD_WORKERS,
        "foreign": B_WORKERS,
    },
    "checklist": {
        "own": A_WORKERS,
        "handed_back": A_WORKERS,  # the social service accepted, then handed it back
        "referred": A_WORKERS,
        "foreign": B_WORKERS,
    },
    "assign_self": {
        "own": {"corp-a-manager"},
        "handed_back": {"corp-a-manager"},  # the social service accepted, then handed it back
        "referred": {"corp-a-manager"},
        "signalled": {"sd-manager"},
        "taken_up": {"sd-manager"},
        "foreign": {"corp-b-manager"},
    },
    "contact": "note",
    # Issue 13: the corporation's own work. Checklist steps only while the case is in its queue (the
    # API allowed them while the case sat with the social service); the objection and a payment
    # arrangement whatever the stage, by the corporation only (the API let the social service set one).
    "objection": {
        "own": A_WORKERS,
        "handed_back": A_WORKERS,
        "referred": A_WORKERS,
        "signalled": A_WORKERS,
        "taken_up": A_WORKERS,
        "foreign": B_WORKERS,
    },
    "arrangement": "objection",
    # Issue 15: the compliance file for the court is the corporation's, whatever the stage (its case
    # workers; the social service, another corporation and partner admins get 404).
    "compliance_file": "objection",
    # Issue 15: an eviction step, like the objection, by the corporation whatever the stage.
    "eviction": "objection",
    "take_up": {"signalled": SD_WORKERS},
    "accept_referral": {"referred": SD_WORKERS},
    "respite": {"signalled": SD_WORKERS, "taken_up": SD_WORKERS},
    # Issue 15 (docs/adr/0082): the corporation confirms a respite the social service granted on its case
    # (the cells are the cases a respite can run on: those in the social service's queue).
    "respite_acknowledge": {"signalled": A_WORKERS, "taken_up": A_WORKERS},
    # Issue 15 (docs/adr/0084): the household withdraws its consent to a warm handover — recorded by the
    # corporation or the social service working the case, where a consent stands (the referral waiting,
    # and the one accepted before the case was handed back).
    "consent_withdraw": {"referred": A_WORKERS, "handed_back": A_WORKERS},
    "close": "claim",
    # Besluit art. 2 (issue 13, docs/adr/0023): none of these cases has the four steps recorded, so nobody
    # can put one in the social service's queue by hand — except the referred one, whose tenant consented
    # to a warm handover to that very service (signalled and taken up are there already), and the one
    # handed back after such a handover: its consent stands while no objection follows (docs/adr/0023).
    "reroute_to_sd": {"referred": A_WORKERS, "handed_back": A_WORKERS},
}


def expected(action, obj, user):
    rule = MATRIX[action]
    rule = MATRIX[rule] if isinstance(rule, str) else rule
    return user in rule.get(obj, set())


@pytest.fixture
def cast(world, people, flagged):
    dave = UserFactory(username="dave")
    MembershipFactory(user=dave, partner=SocialServiceFactory(slug="sd-elders"), role="caseworker")
    users = {"dave": dave, **{user.username: user for user in people.values()}}
    users["anonymous"] = AnonymousUser()
    referred = flagged(world.corp_a)
    referral = referrals.referral_create(case=referred, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    handed_back = flagged(world.corp_a)
    accepted = referrals.referral_create(case=handed_back, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    referrals.referral_accept(referral=accepted, by=world.charlie)
    case_services.case_reroute(case=handed_back, by=world.charlie, to_partner=world.corp_a, reason="Terug")
    objects = {
        "own": flagged(world.corp_a),
        "handed_back": handed_back,
        "referred": referred,
        "signalled": flagged(world.corp_a, queue_partner=world.sd),
        "taken_up": flagged(world.corp_a, queue_partner=world.sd, state=CaseState.TAKEN_UP),
        "foreign": flagged(world.corp_b),
    }
    return users, objects, referral


class Rollback(Exception):
    pass


def outcome(run):
    """True when ``run`` succeeds (its writes rolled back), False when refused."""
    try:
        with transaction.atomic():
            run()
            raise Rollback
    except Rollback:
        return True
    except (DomainError, Http404, ObjectDoesNotExist, AttributeError):
        # AttributeError: an anonymous user has no memberships; services refuse it before anything else
        return False


def actions(users, objects, referral, user_key, obj_key):
    user, case = users[user_key], objects[obj_key]
    return {
        "list": lambda: sel.case_list(user=user).get(pk=case.pk),
        "get": lambda: sel.case_get(user=user, pk=case.pk),
        "timeline": lambda: sel.case_timeline(user=user, case=case),
        "household": lambda: sel.household_get(user=user, pk=case.household_id),
        "claim": lambda: case_services.case_claim(case=case, by=user),
        "note": lambda: notes.note_record(case=case, by=user, text="Notitie"),
        "contact": lambda: case_services.contact_attempt_record(
            case=case, by=user, kind=ContactKind.PHONE, reached=False, date=TODAY
        ),
        "checklist": lambda: case_services.checklist_record(case=case, by=user, item="pointed_to_help", date=TODAY),
        "assign_self": lambda: case_services.case_assign(case=case, assignee=user, by=user),
        "take_up": lambda: case_services.case_take_up(case=case, by=user),
        "accept_referral": lambda: (
            referrals.referral_accept(referral=referral, by=user)
            if obj_key == "referred"
            else (_ for _ in ()).throw(DomainError("no referral"))
        ),
        "respite": lambda: respite.respite_grant(case=case, by=user, until=TODAY + dt.timedelta(days=30)),
        "respite_acknowledge": lambda: (
            respite.respite_grant(case=case, by=users["charlie"]),
            respite.respite_acknowledge(case=case, by=user),
        ),
        "objection": lambda: case_services.objection_record(case=case, by=user, date=TODAY),
        "arrangement": lambda: case_services.payment_arrangement_record(
            case=case, by=user, monthly_amount=Decimal("50.00"), start_date=TODAY
        ),
        "compliance_file": lambda: sel.compliance_file(user=user, pk=case.pk),
        "eviction": lambda: case_services.eviction_step_record(case=case, by=user, kind="summons", date=TODAY),
        "consent_withdraw": lambda: referrals.consent_withdraw(case=case, by=user, date=TODAY),
        "close": lambda: case_services.case_close(case=case, by=user, **_close_values(user)),
        "reroute_to_sd": lambda: case_services.case_reroute(
            case=case, by=user, to_partner=users["charlie"].memberships.get().partner, reason="Direct"
        ),
    }


@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(cast, action):
    users, objects, referral = cast
    wrong = []
    for user_key in USERS:
        for obj_key in OBJECTS:
            run = actions(users, objects, referral, user_key, obj_key)[action]
            allowed = outcome(run)
            if allowed != expected(action, obj_key, user_key):
                wrong.append(f"{user_key} {action} {obj_key}: {'allowed' if allowed else 'refused'}")
    assert not wrong, "\n".join(wrong)


def test_matrix_size():
    """The closing note quotes this: users × objects × actions."""
    assert (len(USERS), len(OBJECTS), len(MATRIX)) == (11, 6, 20)


# --- Agreements and their routing rules (issue 13, docs/adr/0024) ------------------------------------

#: action on corporation A's agreement with the social service → users allowed ("root": the platform
#: administrator). Everyone else is refused, in the admin (the surface that edits rules) as in the policy.
RULES_MATRIX = {
    "see": {"corp-a-admin", "sd-admin", "root"},  # the social service reads what is disclosed to it
    "edit_rules": {"corp-a-admin", "root"},  # the corporation owns its outgoing rules
    "bind": {"root"},  # create, delete, choose the pair
}


def _rule_cells(user, agreement):
    """Each action's outcome per check the admin makes; a cell is allowed only if every check says so."""
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from partners import rules_policy
    from partners.admin import RoutingRuleInline
    from partners.models import Agreement

    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = django_admin.site._registry[Agreement]
    inline = RoutingRuleInline(Agreement, django_admin.site)
    return {
        "see": (
            model_admin.get_queryset(request).filter(pk=agreement.pk).exists(),
            model_admin.has_view_permission(request, agreement),
            inline.has_view_permission(request, agreement),
            rules_policy.can_view_rules(user, agreement),
        ),
        "edit_rules": (
            model_admin.has_change_permission(request, agreement),
            inline.has_add_permission(request, agreement),
            inline.has_change_permission(request, agreement),
            inline.has_delete_permission(request, agreement),
            rules_policy.can_edit_rules(user, agreement),
        ),
        "bind": (
            model_admin.has_add_permission(request),
            model_admin.has_delete_permission(request, agreement),
            "social_service" not in model_admin.get_readonly_fields(request, agreement),
            rules_policy.can_bind(user),
        ),
    }


def test_rules_matrix(cast, world):
    users, _objects, _referral = cast
    users = {**users, "root": UserFactory(username="root", is_staff=True, is_superuser=True)}
    for key in ("corp-a-admin", "corp-b-admin", "sd-admin"):
        users[key].is_staff = True  # partner admins are staff users (the demo's are)
        users[key].save()
    agreement = world.corp_a.agreements.get()
    wrong = []
    for user_key in [*USERS, "root"]:
        for action, checks in _rule_cells(users[user_key], agreement).items():
            want = user_key in RULES_MATRIX[action]
            if set(checks) != {want}:
                wrong.append(f"{user_key} {action}: {checks}, want all {want}")
    assert not wrong, "\n".join(wrong)


# --- The same table, on the case page and through the API (issue 13: UI and API parity) --------------


def _close_values(user):
    """A close in the list of the partner the user acts for (arrears.outcomes): a corporation's own
    outcome, a social service's DDAS final result."""
    membership = user.memberships.select_related("partner").first() if user.is_authenticated else None
    if membership is not None and not membership.partner.is_social_service:
        return {"corporation_outcome": CorporationOutcome.ARREARS_PAID}
    return {"outcome": FinalResult.ADVICE}


#: Matrix action → (the case page's action, its form data, the API's URL name, its JSON body). Each
#: surface must allow exactly the matrix's cells: the page offers the action's form there and nowhere
#: else, a post of that form succeeds there and nowhere else, and so does the API call.
SURFACES = {
    "claim": ("claim", lambda u, r: {}, "case-claim", lambda u: {}),
    "note": ("note", lambda u, r: {"text": "Notitie"}, "case-notes", lambda u: {"text": "Notitie"}),
    "contact": (
        "contact",
        lambda u, r: {"kind": ContactKind.PHONE, "reached": "no", "date": TODAY.isoformat()},
        "case-contact-attempts",
        lambda u: {"kind": ContactKind.PHONE, "reached": False, "date": TODAY.isoformat()},
    ),
    "checklist": (
        "checklist",
        lambda u, r: {"pointed_to_help": "on", "pointed_to_help_date": TODAY.isoformat()},
        "case-checklist",
        lambda u: {"item": "pointed_to_help", "date": TODAY.isoformat()},
    ),
    "objection": (
        "objection",
        lambda u, r: {"date": TODAY.isoformat()},
        "case-objection",
        lambda u: {"date": TODAY.isoformat()},
    ),
    "arrangement": (
        "arrangement",
        lambda u, r: {"monthly_amount": "50", "start_date": TODAY.isoformat()},
        "case-payment-arrangement",
        lambda u: {"monthly_amount": "50.00", "start_date": TODAY.isoformat()},
    ),
    "eviction": (
        "eviction",
        lambda u, r: {"kind": "summons", "date": TODAY.isoformat()},
        "case-eviction-steps",
        lambda u: {"kind": "summons", "date": TODAY.isoformat()},
    ),
    "consent_withdraw": (
        "consent_withdraw",
        lambda u, r: {"date": TODAY.isoformat()},
        "case-consent-withdrawal",
        lambda u: {"date": TODAY.isoformat()},
    ),
    "assign_self": ("assign", lambda u, r: {"assignee": str(u.pk)}, "case-assign", lambda u: {"assignee": u.username}),
    "take_up": ("take_up", lambda u, r: {}, "case-take-up", lambda u: {}),
    "accept_referral": ("referral_accept", lambda u, r: {"referral": str(r.pk)}, "referral-accept", lambda u: {}),
    "respite": (
        "respite_grant",
        lambda u, r: {"until": (TODAY + dt.timedelta(days=30)).isoformat()},
        "case-respite",
        lambda u: {"until": (TODAY + dt.timedelta(days=30)).isoformat()},
    ),
    "respite_acknowledge": ("respite_acknowledge", lambda u, r: {}, "case-respite-acknowledgement", lambda u: {}),
    "close": (
        "close",
        lambda u, r: _close_values(u),
        "case-close",
        _close_values,
    ),
}


def _rolled_back(run, *args):
    savepoint = transaction.savepoint()
    try:
        return run(*args)
    finally:
        transaction.savepoint_rollback(savepoint)


#: One action per intent (docs/adr/0091): where the page offers a social service the take-up, that is
#: its claim (``case_take_up`` makes the caller the assignee), so the page offers no separate claim.
PAGE_SAME_INTENT = {"claim": "take_up"}


def _page_offers(client, case, ui_action):
    response = client.get(reverse("case-detail", args=[case.pk]))
    forms = response.context["forms"] if response.status_code == 200 else {}
    return ui_action in forms or PAGE_SAME_INTENT.get(ui_action) in forms


def _page_post_succeeds(client, case, ui_action, data):
    client.cookies.pop("messages", None)  # only this post's messages count
    response = client.post(reverse("case-action", args=[case.pk, ui_action]), data)
    return any(m.level == messages.SUCCESS for m in messages.get_messages(response.wsgi_request))


def _api_post_succeeds(user, case, referral, name, body):
    target = referral.pk if name.startswith("referral-") else case.pk
    return Api(user).post(reverse(f"api:{name}", args=[target]), body, format="json").status_code in (200, 201)


def test_every_case_action_of_the_matrix_is_on_both_surfaces():
    """Every write of the matrix is checked on the page and through the API, or says why not."""
    # The page has no manual re-route (a case reaches the social service by the checklist or a referral);
    # the API's re-route is held to the same table by test_permission_matrix and tests/arrears/test_gate.py.
    writes = set(MATRIX) - {"list", "get", "timeline", "household", "compliance_file", "reroute_to_sd"}
    assert set(SURFACES) == writes


@pytest.mark.sweep  # every user × case × action on three surfaces: run once, on PostgreSQL
@pytest.mark.parametrize("action", list(SURFACES))
def test_page_and_api_follow_the_matrix(cast, client, action):
    users, objects, referral = cast
    ui_action, form_data, api_name, api_body = SURFACES[action]
    if action == "respite_acknowledge":  # a respite to confirm, where one can run
        for key in ("signalled", "taken_up"):
            respite.respite_grant(case=objects[key], by=users["charlie"])
    wrong = []
    for user_key in USERS:
        user = users[user_key]
        if user_key == "anonymous":
            continue  # the page redirects to the login and the API answers 401: tests/api/test_matrix.py
        client.force_login(user)
        for obj_key in OBJECTS:
            case = objects[obj_key]
            want = expected(action, obj_key, user_key)
            if action == "accept_referral" and obj_key != "referred":
                continue  # the referral belongs to the referred case: the API names the referral, not a case
            got = {
                "page offers": _page_offers(client, case, ui_action),
                "page post": _rolled_back(_page_post_succeeds, client, case, ui_action, form_data(user, referral)),
                "api": _rolled_back(_api_post_succeeds, user, case, referral, api_name, api_body(user)),
            }
            wrong += [
                f"{user_key} {action} {obj_key} ({surface}): {'allowed' if ok else 'refused'}"
                for surface, ok in got.items()
                if ok != want
            ]
    assert not wrong, "\n".join(wrong)


# --- Every URL of the site, for every role -----------------------------------------------------------

# url name → (kwargs builder, who gets a 200). Pages of case work are added here as they land: a URL
# missing from this table fails test_every_url_is_in_the_matrix.
PUBLIC, MEMBERS, ANONYMOUS = "public", "members", "anonymous only"
URLS = {
    "login": (None, ANONYMOUS),
    "logout": (None, "post-only"),
    "set_language": (None, "post-only"),
    "health": (None, PUBLIC),
    "home": (None, MEMBERS),
    # Security (issue 8): two-factor pages and privacy requests. Their access rules (partner admins of
    # the household's corporation only; 404 for everyone else) are tables in tests/privacy/test_subject_requests.py
    # and tests/security/test_two_factor.py.
    "two-factor-setup": (None, MEMBERS),
    "two-factor-qr": (None, MEMBERS),
    "two-factor-recovery-codes": (None, MEMBERS),
    "two-factor-verify": (None, "own tests"),
    "privacy-find": (None, "own tests"),
    "privacy-household": (None, "own tests"),
    "privacy-export": (None, "own tests"),
    "privacy-erase": (None, "own tests"),
    # The REST API (issue 7): every endpoint × role × own/foreign object is the table in tests/api/test_matrix.py.
    **{f"api:{name}": (None, "own tests") for name in api_url_names()},
}
# The caseworker's pages (issue 5): the queue is every member's; the case page follows MATRIX["get"] per
# object (404 otherwise, test_every_role_on_the_case_page); its actions are posts (each one's access is the
# service's, tests/arrears/test_views_case_actions.py); imports belong to corporations' partner admins.
PER_OBJECT, CORPORATION_ADMINS = "per object", "corporation admins"
URLS.update(
    {
        "queue": (None, MEMBERS),
        "own-file": (None, MEMBERS),  # each sees only its own service's records (test_access_follows_case.py)
        "queue-search": (None, "post-only"),
        "queue-bulk-assign": (None, "post-only"),
        "case-detail": (None, PER_OBJECT),
        "case-compliance-file": (None, PER_OBJECT),  # MATRIX["compliance_file"]; test_every_role_on_the_case_page
        "letter-new": (None, PER_OBJECT),  # MATRIX["get"] (the case page's rule); test_every_role_on_the_case_page
        "letter-pdf": (None, "own tests"),  # the sender's case workers only: tests/outreach/test_letters.py
        "case-action": (None, "post-only"),
        "imports": (None, CORPORATION_ADMINS),
        "import-detail": (None, PER_OBJECT),
        "import-errors-csv": (None, PER_OBJECT),
    }
)
# Dashboards (issue 6): managers and partner admins get their own partner's; caseworkers 403; the DDAS
# monitor export (personal data) only the social service's managers, anyone else who manages 404.
DASHBOARD, SD_MANAGERS = "managers and partner admins", "the social service's managers"
MANAGING = {"corp-a-manager", "corp-a-admin", "corp-b-manager", "corp-b-admin", "sd-manager", "sd-admin"}
URLS.update(
    {
        "dashboard": (None, DASHBOARD),
        "dashboard-report": (None, DASHBOARD),
        "dashboard-export": ({"table": "queues", "fmt": "csv"}, DASHBOARD),
        "dashboard-ddas": (None, SD_MANAGERS),
    }
)


def _dashboard_status(rule, user_key):
    if user_key == "anonymous":
        return 302
    if user_key not in MANAGING:
        return 403
    return 200 if rule == DASHBOARD or user_key == "sd-manager" else 404


def _url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _url_names(pattern, prefix + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_is_in_the_matrix():
    assert set(_url_names()) <= set(URLS), "add the new URL to URLS with its access rule"


def test_every_role_on_every_page(client, cast):
    users, _objects, _referral = cast
    for name, (kwargs, rule) in URLS.items():
        if rule in ("post-only", "own tests", PER_OBJECT, CORPORATION_ADMINS):
            continue
        for user_key in USERS:
            client.logout()
            if user_key != "anonymous":
                client.force_login(users[user_key])
            status = client.get(reverse(name, kwargs=kwargs)).status_code
            if rule in (DASHBOARD, SD_MANAGERS):
                assert status == _dashboard_status(rule, user_key), (name, user_key, status)
                continue
            anonymous = user_key == "anonymous"
            ok = rule == PUBLIC or (rule == MEMBERS and not anonymous) or (rule == ANONYMOUS and anonymous)
            assert status == (200 if ok else 302), (name, user_key, status)


def test_every_role_on_the_case_page(client, cast):
    users, objects, _referral = cast
    wrong = []
    for user_key in USERS:
        client.logout()
        if user_key != "anonymous":
            client.force_login(users[user_key])
        for obj_key, case in objects.items():
            for name, action in (
                ("case-detail", "get"),
                ("case-compliance-file", "compliance_file"),
                ("letter-new", "get"),
            ):
                status = client.get(reverse(name, args=[case.pk])).status_code
                want = 302 if user_key == "anonymous" else 200 if expected(action, obj_key, user_key) else 404
                if status != want:
                    wrong.append(f"{user_key} {name} {obj_key}: {status}, not {want}")
    assert not wrong, "\n".join(wrong)


def test_every_role_on_the_imports_pages(client, cast, world):
    from tests.ledger.factories import LedgerImportFactory

    users, _objects, _referral = cast
    own = LedgerImportFactory(
        partner=world.corp_a, errors=[{"line": 2, "column": "Saldo", "value": "x", "reason": "?"}]
    )
    admins = {"corp-a-admin": 200, "corp-b-admin": 404}
    wrong = []
    for user_key in USERS:
        client.logout()
        if user_key != "anonymous":
            client.force_login(users[user_key])
        for name, args, want in [
            ("imports", [], 302 if user_key == "anonymous" else 200 if user_key in admins else 403),
            ("import-detail", [own.pk], 302 if user_key == "anonymous" else admins.get(user_key, 403)),
            ("import-errors-csv", [own.pk], 302 if user_key == "anonymous" else admins.get(user_key, 403)),
        ]:
            status = client.get(reverse(name, args=args)).status_code
            if status != want:
                wrong.append(f"{user_key} {name}: {status}, not {want}")
    assert not wrong, "\n".join(wrong)
