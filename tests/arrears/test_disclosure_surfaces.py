"""Every surface shows exactly what ``arrears.disclosure`` allows (docs/adr/0025).

One case per stage, with a recognisable value in every field the surfaces can show. Each surface (the
case page, the queue, the timeline and the API's case, timeline, notes, contact attempts and signals,
the DDAS export) is rendered for each role; the fields whose values appear must equal the disclosure
function's answer for that user and case, restricted to the fields that surface shows at all.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears import disclosure
from arrears.case_access import Level
from arrears.services import cases as case_services
from arrears.services import notes, referrals
from households.models import PERSONAL_FIELDS
from tests.arrears.factories import checklist_done
from tests.partners.factories import Api, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
STAGES = ["own", "referred", "signalled", "taken_up", "handed_back"]
USERS = ["alice", "corp-a-manager", "corp-a-admin", "bob", "charlie", "sd-manager", "sd-admin"]

#: field → the value as a page shows it / as the API shows it.
HTML = {
    "name": None,  # filled from the household
    "street": None,
    "postcode": None,
    "amount": "1.111,00",
    "amount_at_open": "1.234,56",
    "peak_amount": "4.321,09",
    "months_of_rent": "7,3",
    "trend": "55,55",
    "tenancies": "CN-99887",
    "payment_arrangements": "77,77",
    "corporation_records": "CORP-NOTE-7",
}
JSON = {
    "name": None,
    "street": None,
    "postcode": None,
    "amount": '"1111.00"',
    "amount_at_open": '"1234.56"',
    "peak_amount": '"4321.09"',
    "months_of_rent": '"7.30"',
    "payment_arrangements": '"77.77"',
    "corporation_records": "CORP-NOTE-7",
}
#: Which fields each surface can show at all (the rest of its answer is not the household's).
SURFACES = {
    "case page": (HTML, {"name", "street", "postcode", "amount", "amount_at_open", "peak_amount", "months_of_rent",
                         "tenancies", "payment_arrangements", "corporation_records"}),
    "queue": (HTML, {"name", "street", "postcode", "amount", "months_of_rent", "trend"}),
    "api case": (JSON, {"name", "street", "postcode", "amount", "amount_at_open", "peak_amount", "months_of_rent"}),
    "api signals": (JSON, {"amount", "amount_at_open", "peak_amount", "months_of_rent"}),
    "api timeline": (JSON, {"payment_arrangements", "corporation_records"}),
    "api notes": (JSON, {"corporation_records"}),
    "api contact attempts": (JSON, {"corporation_records"}),
}  # fmt: skip


@pytest.fixture
def cast(world, people):
    return {user.username: user for user in people.values()}


def _case_at(world, flagged, stage):
    # the checklist done: the gate (ADR 0023)
    case = flagged(world.corp_a, amount="1111.00", months="7.30", previous="1055.45", **checklist_done())
    signal = case.signals.get()
    signal.amount_at_open, signal.peak_amount = Decimal("1234.56"), Decimal("4321.09")
    signal.save()
    tenancy = signal.tenancy
    tenancy.contract_number, tenancy.monthly_rent = f"CN-99887{STAGES.index(stage)}", Decimal("152.21")
    tenancy.save()
    notes.note_record(case=case, by=world.alice, text="CORP-NOTE-7", shareable=True)
    case_services.contact_attempt_record(
        case=case, by=world.alice, kind="Telefoon", reached=False, date=TODAY(), outcome="CORP-NOTE-7 voicemail"
    )
    case_services.payment_arrangement_record(
        case=case, by=world.alice, monthly_amount="77.77", start_date=TODAY() - dt.timedelta(days=3)
    )
    if stage == "referred":
        referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY())
    elif stage in ("signalled", "taken_up"):
        case_services.case_reroute(case=case, by=world.alice, to_partner=world.sd, reason="Met toestemming")
        if stage == "taken_up":
            case_services.case_take_up(case=case, by=world.charlie)
    elif stage == "handed_back":
        referral = referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY())
        referrals.referral_accept(referral=referral, by=world.charlie)
        case_services.case_reroute(case=case, by=world.charlie, to_partner=world.corp_a, reason="Terug")
    case.refresh_from_db()
    return case


def _render(client, user, surface, case):
    """The surface's body for ``user``, or ``None`` when it answers 404 / lists nothing of the case."""
    client.force_login(user)
    api = Api(user)
    if surface == "case page":
        response = client.get(reverse("case-detail", args=[case.pk]))
    elif surface == "queue":
        response = client.get(reverse("queue"), {"queue": "all", "state": "all"})
        if response.status_code == 200 and f"case-row-{case.pk}" not in response.content.decode():
            return None
    elif surface == "api signals":
        response = api.get(reverse("api:signal-list"))
        if response.status_code == 200 and not response.json()["results"]:
            return None
    else:
        name = {
            "api case": "case-detail",
            "api timeline": "case-timeline",
            "api notes": "case-notes",
            "api contact attempts": "case-contact-attempts",
        }[surface]
        response = api.get(reverse(f"api:{name}", args=[case.pk]))
    if response.status_code in (403, 404):
        return None
    assert response.status_code == 200, (surface, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("stage", STAGES)
def test_every_surface_shows_what_the_disclosure_function_allows(client, world, flagged, cast, stage):
    case = _case_at(world, flagged, stage)
    household = case.household
    wrong = []
    for surface, (markers, shown_here) in SURFACES.items():
        markers = {**markers, "name": household.name, "street": household.street, "postcode": household.postcode}
        for user_key in USERS:
            user = cast[user_key]
            body = _render(client, user, surface, case)
            visible = disclosure.visible_fields(user=user, case=case)
            if body is None:
                if visible and surface not in ("api signals",):
                    wrong.append(f"{stage} {surface} {user_key}: not shown, but may see {sorted(visible)}")
                continue
            shown = {field for field in shown_here if markers[field] in body}
            want = set(visible) & shown_here
            if shown != want:
                wrong.append(f"{stage} {surface} {user_key}: shows {sorted(shown)}, may show {sorted(want)}")
    assert not wrong, "\n".join(wrong)


def test_the_signal_stage_shows_no_rent_figures_arrangements_or_corporation_records():
    """The issue's list, as a table: before take-up none of these may be shown."""
    signal = disclosure.fields_for(Level.WORK)
    for field in ("months_of_rent", "peak_amount", "amount_at_open", "trend", "payment_arrangements",
                  "corporation_records", "tenancies", "arrears"):  # fmt: skip
        assert field not in signal and field in disclosure.fields_for(Level.FULL)
    # A referral waiting on a social service (SIGNAL) reads the signal without the queue's handling:
    # that is the corporation's internal workflow (docs/adr/0091). Signalled to it (WORK), it is its own.
    assert disclosure.fields_for(Level.SIGNAL) == signal - {"workflow"} and "workflow" in signal
    assert set(disclosure.SIGNAL_HOUSEHOLD_FIELDS) <= signal and "amount" in signal


def test_every_personal_field_is_decided_by_the_disclosure():
    """``households.models.PERSONAL_FIELDS`` is the one list of personal fields; the disclosure names
    its fields one by one (a decision per field, after DDAS). A personal field added to the model must
    be placed there too: in the signal, or among the corporation's fields for full readers only."""
    personal = set(PERSONAL_FIELDS)
    decided = set(disclosure.SIGNAL_HOUSEHOLD_FIELDS) | set(disclosure.CORPORATION_FIELDS)
    assert personal <= decided, f"say in arrears.disclosure who may see {sorted(personal - decided)}"
    # The signal's household part is personal fields and the two area codes, nothing else.
    assert set(disclosure.SIGNAL_HOUSEHOLD_FIELDS) <= personal | {"municipality", "neighbourhood"}


def test_the_ddas_export_carries_the_signal_and_nothing_of_the_corporations(client, world, flagged, cast):
    """The DDAS monitor export is a signal by design: every stage's case in it shows the signal's
    fields, never the corporation's figures."""
    cases = [_case_at(world, flagged, stage) for stage in ("signalled", "taken_up")]
    manager = UserFactory(username="sd-boss")
    MembershipFactory(user=manager, partner=world.sd, role="manager")
    client.force_login(manager)
    today = TODAY()
    response = client.get(
        reverse("dashboard-ddas"),
        {"municipality": world.dordrecht.code, "date_from": (today - dt.timedelta(days=30)).isoformat(),
         "date_to": today.isoformat()},
    )  # fmt: skip
    assert response.status_code == 200
    body = json.dumps(json.loads(response.content.decode()), ensure_ascii=False)
    assert cases[0].household.surname in body
    for field in ("amount_at_open", "peak_amount", "months_of_rent", "payment_arrangements", "corporation_records"):
        assert field not in disclosure.fields_for(Level.SIGNAL)
        assert JSON[field].strip('"') not in body, field


def test_the_queue_follows_the_disclosure_function_for_a_user_with_two_roles(client, world, flagged):
    """Partner admin at the corporation and caseworker at the social service: the case is in the social
    service's queue, not taken up. The disclosure function gives the signal's fields only (a partner admin
    sees no households); the queue, whose SQL decides months and trend, must agree."""
    case = _case_at(world, flagged, "signalled")
    both = UserFactory(username="both-hats")
    MembershipFactory(user=both, partner=world.corp_a, role="admin")
    MembershipFactory(user=both, partner=world.sd, role="caseworker")
    assert "months_of_rent" not in disclosure.visible_fields(user=both, case=case)
    client.force_login(both)
    body = client.get(reverse("queue"), {"queue": "all", "state": "all"}).content.decode()
    assert f"case-row-{case.pk}" in body and case.household.name in body
    assert HTML["months_of_rent"] not in body and HTML["trend"] not in body
