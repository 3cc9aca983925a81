"""The permission matrix of the API: every API URL × every role of every partner kind × an object of
each corporation → exactly the expected answer.

Reads: the expectations are written out below (who sees which kind of object). Writes: an object the
user may not see is 404 and nothing changes; otherwise the API answers exactly what the service itself
decides for that user (each call runs in a savepoint that is rolled back, so every cell starts from the
same state). A new API URL without a row here fails ``test_every_api_url_is_in_the_matrix``.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.http import Http404
from django.urls import get_resolver, reverse
from django.utils import timezone

from arrears import selectors
from arrears.models import Case, Referral
from arrears.services import cases as case_services
from arrears.services import notes as note_services
from arrears.services import referrals as referral_services
from arrears.services import respite as respite_services
from ledger.models import LedgerImport
from outreach.models import Letter, MessageTemplate, Purpose
from outreach.services import letter_send, outreach_defaults_install
from partners.errors import DomainError
from tests.arrears.factories import ReferralFactory, flagged_case

pytestmark = pytest.mark.django_db

ROLES = ("caseworker", "manager", "admin")
PARTNERS = ("corp_a", "corp_b", "sd")
CORPORATIONS = ("corp_a", "corp_b")
WORKERS = ("caseworker", "manager")  # partner admins see no cases (need to know)
DAY = "2026-11-02"
DATE = dt.date(2026, 11, 2)

# Who may use a read endpoint at all (else 403).
ANYONE, CORPORATION, IMPORTERS, MANAGERS, PUBLIC = "anyone", "corporation", "importers", "managers", "public"

#: Read URL name → (who may use it, the object kind a detail URL takes or None).
READS = {
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
    "case-timeline": (ANYONE, "case"),
    "case-notes": (ANYONE, "case"),
    "case-contact-attempts": (ANYONE, "case"),
    "case-compliance-file": (ANYONE, "compliance"),  # the corporation's case workers only (issue 15)
    "referral-list": (ANYONE, None),
    "message-template-list": (ANYONE, None),  # the own partner's (none for a partner admin)
    "letter-pdf": (ANYONE, "letter"),  # the sending partner's case workers only (issue 17)
    "referral-detail": (ANYONE, "referral"),
    "import-list": (IMPORTERS, None),
    "import-detail": (IMPORTERS, "import"),
    "schema": (PUBLIC, None),
    "docs": (PUBLIC, None),
    "redoc": (PUBLIC, None),
}

#: Who sees an object of a corporation ("own": that corporation, "sd": the social service it was
#: signalled and referred to), by role. The social service has not taken the signal up: it sees the
#: case, its signal and the referral, not the household in full.
VISIBLE = {
    "case": {("own", r) for r in WORKERS} | {("sd", r) for r in WORKERS},
    "signal": {("own", r) for r in WORKERS} | {("sd", r) for r in WORKERS},
    "referral": {("own", r) for r in WORKERS} | {("sd", r) for r in WORKERS},
    "household": {("own", r) for r in WORKERS},
    "compliance": {("own", r) for r in WORKERS},
    "letter": {("own", r) for r in WORKERS},
    "tenancy": {("own", r) for r in WORKERS},
    "import": {("own", "admin"), ("own", "manager")},
}

#: Later than the granted respite (30 days), within the maximum (TIJDIG_RESPITE_MAX_DAYS): never a fixed date.
EXTEND_TO = timezone.localdate() + dt.timedelta(days=60)


def allowed(who, partner_key, role):
    corporation = partner_key != "sd"
    return {
        ANYONE: True,
        PUBLIC: True,
        CORPORATION: corporation,
        IMPORTERS: corporation and role in ("admin", "manager"),
        MANAGERS: role in ("manager", "admin"),
    }[who]


def relation(partner_key, owner):
    return "own" if partner_key == owner else "sd" if partner_key == "sd" else "other"


@pytest.fixture
def objects(world):
    """Per corporation: a case in its own queue with a referral to the social service waiting, one
    signalled to the social service, one the social service has taken up, and one taken up in respite
    (each with its signal)."""
    made = {}
    for key in (*CORPORATIONS, "sd"):
        outreach_defaults_install(getattr(world, key))
    for key in CORPORATIONS:
        corporation = getattr(world, key)
        cases = {}
        for name, queue, state in [
            ("queue", corporation, "new"),
            ("signalled", world.sd, "signalled"),
            ("taken_up", world.sd, "taken_up"),
        ]:
            cases[name] = flagged_case(corporation, queue_partner=queue, state=state)
        # issue 15 (docs/adr/0082): a respite the corporation has not confirmed yet
        cases["in_respite"] = flagged_case(corporation, queue_partner=world.sd, state="taken_up")
        respite_services.respite_grant(case=cases["in_respite"], by=world.charlie)
        referral = ReferralFactory(case=cases["queue"], to_partner=world.sd)
        signal = cases["signalled"].signals.get()
        made[key] = {
            "cases": cases,
            "case": cases["signalled"].pk,
            "compliance": cases["signalled"].pk,
            "signal": signal.pk,
            "household": signal.household_id,
            "tenancy": signal.tenancy_id,
            "referral": referral.pk,
            "letter": Letter.objects.create(
                case=cases["signalled"],
                partner=corporation,
                purpose=Purpose.VISIT_CARD,
                date=DATE,
                text="Beste …",
                pdf=b"%PDF-1.4 test",
            ).pk,
            "import": LedgerImport.objects.create(
                partner=corporation, source="api", file_name="x.csv", sha256=key.ljust(64, "0")
            ).pk,
        }
    return made


def api_url_names():
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    walk(get_resolver().namespace_dict["api"][1].url_patterns)
    return names


def test_every_api_url_is_in_the_matrix():
    assert api_url_names() == set(READS) | {name for name, *_ in WRITES} | {"case-bulk-assign"}


def test_no_api_operation_reads_or_changes_agreements_or_rules():
    """Issue 13 (docs/adr/0024): who may see or change an agreement's rules is partners.rules_policy's to
    decide; today only the admin asks it. An API endpoint for them must add its cells here first."""
    assert {name for name in api_url_names() if "agreement" in name or "rule" in name} == set()


@pytest.mark.parametrize("name", sorted(READS))
def test_reads(name, world, people, objects, api):
    who, kind = READS[name]
    wrong = {}
    for partner_key in PARTNERS:
        for role in ROLES:
            client = api(people[partner_key, role])
            if kind is None:
                targets = {None: reverse(f"api:{name}")}
            else:
                targets = {owner: reverse(f"api:{name}", args=[objects[owner][kind]]) for owner in CORPORATIONS}
            for owner, url in targets.items():
                if not allowed(who, partner_key, role):
                    expected = 403
                elif owner is None or (relation(partner_key, owner), role) in VISIBLE[kind]:
                    expected = 200
                else:
                    expected = 404
                status = client.get(url).status_code
                if status != expected:
                    wrong[partner_key, role, owner] = (status, expected)
    assert not wrong, f"(partner, role, object owner): (got, expected) → {wrong}"


def test_anonymous_gets_401_everywhere_but_the_docs(world, objects, api):
    for name, (who, kind) in READS.items():
        args = [objects["corp_a"][kind]] if kind else []
        assert api().get(reverse(f"api:{name}", args=args)).status_code == (200 if who == PUBLIC else 401), name


#: Who sees what of each of a corporation's cases in the lists: its caseworkers and managers all of it;
#: the social service the cases signalled or referred to it, and the household in full once taken up.
LISTED = {
    "case": {
        "own": {"queue", "signalled", "taken_up", "in_respite"},
        "sd": {"queue", "signalled", "taken_up", "in_respite"},
    },
    "signal": {
        "own": {"queue", "signalled", "taken_up", "in_respite"},
        "sd": {"queue", "signalled", "taken_up", "in_respite"},
    },
    "household": {"own": {"queue", "signalled", "taken_up", "in_respite"}, "sd": {"taken_up", "in_respite"}},
    "tenancy": {"own": {"queue", "signalled", "taken_up", "in_respite"}, "sd": set()},
}


def _listed_ids(objects, kind, partner_key, role):
    if role not in WORKERS:
        return set()
    ids = set()
    for owner in CORPORATIONS:
        for name in LISTED[kind].get(relation(partner_key, owner), ()):
            case = objects[owner]["cases"][name]
            signal = case.signals.get()
            ids.add(
                {"case": case.pk, "signal": signal.pk, "household": case.household_id, "tenancy": signal.tenancy_id}[
                    kind
                ]
            )
    return ids


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("household-list", "household"),
        ("tenancy-list", "tenancy"),
        ("signal-list", "signal"),
        ("case-list", "case"),
        ("referral-list", "referral"),
        ("import-list", "import"),
    ],
)
def test_lists_hold_exactly_the_visible_set(name, kind, world, people, objects, api):
    for partner_key in PARTNERS:
        for role in ROLES:
            response = api(people[partner_key, role]).get(reverse(f"api:{name}"), {"page_size": 200})
            if response.status_code == 403:
                continue
            got = {item["id"] for item in response.json()["results"]}
            if kind in LISTED:
                expected = _listed_ids(objects, kind, partner_key, role)
            else:
                expected = {
                    objects[owner][kind]
                    for owner in CORPORATIONS
                    if (relation(partner_key, owner), role) in VISIBLE[kind]
                }
            assert got == expected, (name, partner_key, role)


# --- Writes ----------------------------------------------------------------------------------------


def _card(p):
    """The user's own partner's "we came by" card (``p``: people, partner key, world)."""
    return MessageTemplate.objects.get(partner=getattr(p[2], p[1]), purpose=Purpose.VISIT_CARD)


def _close_body(partner_key):
    """A close in the list of the partner the user acts for (arrears.outcomes)."""
    if partner_key == "sd":
        return {"outcome": "Verwijzing zonder contact"}
    return {"corporation_outcome": "arrears_paid"}


#: URL name → (target object, the JSON body for a user of partner_key, the service call it must match).
#: ``target``: which of the corporation's cases (or its referral) the URL names; ``None`` for a list URL.
WRITES = [
    ("case-claim", "queue", lambda p: {}, lambda o, by, p: case_services.case_claim(case=o, by=by)),
    ("case-release", "queue", lambda p: {}, lambda o, by, p: case_services.case_release(case=o, by=by)),
    (
        "case-assign",
        "queue",
        lambda p: {"assignee": p[0][p[1], "caseworker"].username},
        lambda o, by, p: case_services.case_assign(case=o, assignee=p[0][p[1], "caseworker"], by=by),
    ),
    (
        "case-contact-attempts",
        "queue",
        lambda p: {"kind": "Telefoon", "reached": False, "date": DAY},
        lambda o, by, p: case_services.contact_attempt_record(case=o, by=by, kind="Telefoon", reached=False, date=DATE),
    ),
    (
        "case-checklist",
        "queue",
        lambda p: {"item": "reminder_sent", "date": DAY},
        lambda o, by, p: case_services.checklist_record(case=o, by=by, item="reminder_sent", date=DATE),
    ),
    (
        "case-objection",
        "queue",
        lambda p: {"date": DAY},
        lambda o, by, p: case_services.objection_record(case=o, by=by, date=DATE, reason=""),
    ),
    (
        "case-consent-withdrawal",
        "queue",
        lambda p: {"date": DAY},
        lambda o, by, p: referral_services.consent_withdraw(case=o, by=by, date=DATE),
    ),
    ("case-signal", "queue", lambda p: {}, lambda o, by, p: case_services.case_signal(case=o, by=by)),
    (
        "case-reroute",
        "signalled",
        lambda p: {"to_partner": "corp-a", "reason": "Terug"},
        lambda o, by, p: case_services.case_reroute(case=o, by=by, to_partner=p[2].corp_a, reason="Terug"),
    ),
    ("case-take-up", "signalled", lambda p: {}, lambda o, by, p: case_services.case_take_up(case=o, by=by)),
    (
        "case-payment-arrangement",
        "queue",
        lambda p: {"monthly_amount": "50.00", "start_date": DAY},
        lambda o, by, p: case_services.payment_arrangement_record(
            case=o, by=by, monthly_amount=Decimal("50.00"), start_date=DATE, end_date=None, note=""
        ),
    ),
    (
        "case-eviction-steps",
        "signalled",
        lambda p: {"kind": "summons", "date": DAY},
        lambda o, by, p: case_services.eviction_step_record(case=o, by=by, kind="summons", date=DATE, note=""),
    ),
    (
        "case-close",
        "queue",
        lambda p: _close_body(p[1]),
        lambda o, by, p: case_services.case_close(case=o, by=by, reason="", **_close_body(p[1])),
    ),
    (
        "case-notes",
        "signalled",
        lambda p: {"text": "Gebeld"},
        lambda o, by, p: note_services.note_record(case=o, by=by, text="Gebeld", shareable=False),
    ),
    (
        "case-respite",
        "taken_up",
        lambda p: {"text": "Respijt"},
        lambda o, by, p: respite_services.respite_grant(case=o, by=by, until=None, text="Respijt"),
    ),
    (
        "case-respite-extend",
        "taken_up",
        lambda p: {"until": EXTEND_TO.isoformat(), "text": "Langer"},
        lambda o, by, p: respite_services.respite_extend(case=o, by=by, until=EXTEND_TO, text="Langer"),
    ),
    (
        "case-respite-end",
        "taken_up",
        lambda p: {"text": "Klaar"},
        lambda o, by, p: respite_services.respite_end(case=o, by=by, text="Klaar"),
    ),
    (
        "case-respite-acknowledgement",
        "in_respite",
        lambda p: {},
        lambda o, by, p: respite_services.respite_acknowledge(case=o, by=by),
    ),
    (
        "case-letters",
        "queue",
        lambda p: {"template": _card(p).pk, "date": DAY},
        lambda o, by, p: letter_send(case=o, by=by, template=_card(p), date=DATE),
    ),
    (
        "referral-accept",
        "referral",
        lambda p: {},
        lambda o, by, p: referral_services.referral_accept(referral=o, by=by, reason=""),
    ),
    (
        "referral-decline",
        "referral",
        lambda p: {"reason": "Buiten ons gebied"},
        lambda o, by, p: referral_services.referral_decline(referral=o, by=by, reason="Buiten ons gebied"),
    ),
    (
        "referral-withdraw",
        "referral",
        lambda p: {},
        lambda o, by, p: referral_services.referral_withdraw(referral=o, by=by, reason=""),
    ),
]
SUCCESS = {"case-notes": 201, "case-letters": 201}


def _service_answer(call, user, target, extra):
    """What the service says, as an HTTP status, without keeping what it did."""
    savepoint = transaction.savepoint()
    try:
        call(target, user, extra)
        return None
    except DomainError as error:
        return error.status_code
    except Http404:
        return 404
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize("write", WRITES, ids=[name for name, *_ in WRITES])
def test_writes(write, world, people, objects, api):
    name, target_kind, body, call = write
    wrong = {}
    for partner_key in PARTNERS:
        for role in ROLES:
            user = people[partner_key, role]
            client = api(user)
            for owner in CORPORATIONS:
                if target_kind == "referral":
                    target = Referral.objects.get(pk=objects[owner]["referral"])
                    visible = selectors.referral_list(user=user).filter(pk=target.pk).exists()
                else:
                    target = Case.objects.get(pk=objects[owner]["cases"][target_kind].pk)
                    visible = selectors.case_list(user=user).filter(pk=target.pk).exists()
                before = target.version if isinstance(target, Case) else target.status
                extra = (people, partner_key, world)
                expected = 404 if not visible else _service_answer(call, user, target, extra)
                expected = expected or SUCCESS.get(name, 200)
                savepoint = transaction.savepoint()
                response = client.post(reverse(f"api:{name}", args=[target.pk]), body(extra), format="json")
                transaction.savepoint_rollback(savepoint)
                if response.status_code != expected:
                    wrong[partner_key, role, owner] = (response.status_code, expected, response.json().get("detail"))
                if response.status_code == 404:
                    target.refresh_from_db()
                    assert (target.version if isinstance(target, Case) else target.status) == before
    assert not wrong, f"(partner, role, object owner): (got, expected, detail) → {wrong}"


def test_every_write_succeeds_for_someone(world, people, objects, api):
    """The matrix would pass if every action failed for everyone: show each works for the right person."""
    who = {
        "case-claim": ("corp_a", "caseworker"),
        "case-take-up": ("sd", "caseworker"),
        "case-notes": ("sd", "caseworker"),
        "case-respite": ("sd", "caseworker"),
        "referral-accept": ("sd", "manager"),
        "referral-withdraw": ("corp_a", "caseworker"),
        "case-close": ("corp_a", "manager"),
        "case-eviction-steps": ("corp_a", "caseworker"),
        "case-respite-acknowledgement": ("corp_a", "caseworker"),
        "case-consent-withdrawal": ("corp_a", "caseworker"),
        "case-letters": ("corp_a", "caseworker"),
    }
    for name, target_kind, body, _call in WRITES:
        if name not in who:
            continue
        partner_key, role = who[name]
        target = (
            objects["corp_a"]["referral"] if target_kind == "referral" else objects["corp_a"]["cases"][target_kind].pk
        )
        savepoint = transaction.savepoint()
        response = api(people[partner_key, role]).post(
            reverse(f"api:{name}", args=[target]), body((people, partner_key, world)), format="json"
        )
        transaction.savepoint_rollback(savepoint)
        assert response.status_code == SUCCESS.get(name, 200), (name, response.json())


def test_bulk_assign_refuses_cases_out_of_sight_and_follows_the_service(world, people, objects, api):
    own, foreign = objects["corp_a"]["cases"]["queue"], objects["corp_b"]["cases"]["queue"]
    for partner_key in PARTNERS:
        for role in ROLES:
            user = people[partner_key, role]
            visible = list(selectors.case_list(user=user).filter(pk__in=[own.pk, foreign.pk]))
            assignee = people[partner_key, "caseworker"]
            count = None
            if len(visible) < 2:
                expected = 400  # an id the user cannot see is named as unknown; nothing is assigned
            else:
                savepoint = transaction.savepoint()
                try:
                    expected, count = 200, case_services.case_bulk_assign(cases=visible, assignee=assignee, by=user)
                except DomainError as error:
                    expected = error.status_code
                finally:
                    transaction.savepoint_rollback(savepoint)
            savepoint = transaction.savepoint()
            response = api(user).post(
                reverse("api:case-bulk-assign"),
                {"cases": [own.pk, foreign.pk], "assignee": assignee.username},
                format="json",
            )
            transaction.savepoint_rollback(savepoint)
            assert response.status_code == expected, (partner_key, role, response.json())
            if expected == 200:
                assert response.json() == {"assigned": count}
            if expected == 400:
                assert "cases" in response.json()["errors"] and not Case.objects.filter(assignee=assignee).exists()
    manager = people["corp_a", "manager"]
    response = api(manager).post(
        reverse("api:case-bulk-assign"), {"cases": [own.pk], "assignee": "corp_a-caseworker"}, format="json"
    )
    assert response.status_code == 400 and "assignee" in response.json()["errors"]


def test_referral_create_follows_visibility_and_the_service(world, people, objects, api):
    for partner_key in PARTNERS:
        for role in ROLES:
            user = people[partner_key, role]
            for owner in CORPORATIONS:
                case = objects[owner]["cases"]["signalled"]
                if selectors.case_list(user=user).filter(pk=case.pk).exists():
                    expected = _service_answer(
                        lambda o, by, _: referral_services.referral_create(
                            case=o, by=by, to_partner=world.sd, consent_on=DATE, reason=""
                        ),
                        user,
                        case,
                        None,
                    )
                    expected = expected or 201
                else:
                    expected = 404
                savepoint = transaction.savepoint()
                response = api(user).post(
                    reverse("api:referral-list"),
                    {"case": case.pk, "to_partner": "sd", "consent_on": DAY},
                    format="json",
                )
                transaction.savepoint_rollback(savepoint)
                assert response.status_code == expected, (partner_key, role, owner, response.json())
