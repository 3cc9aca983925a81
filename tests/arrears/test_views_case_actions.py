"""Every action on the case page, through the view and the real case-work services: what changes, and
the message that says so. Plus the htmx answers, conflicts, refusals and 404s."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.models import ContactAttempt, Note, PaymentArrangement, Referral
from arrears.views.case_actions import ACTIONS
from arrears.workflow import CaseState
from tests.arrears.factories import ReferralFactory, flagged_case, move_case
from tests.partners.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX_MAIN = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "case-main"}
TODAY = timezone.localdate


def post(client, case, action, data=None, **headers):
    return client.post(reverse("case-action", args=[case.pk, action]), data or {}, **headers)


@pytest.fixture
def lead(world):
    return MembershipFactory(user=UserFactory(username="lead"), partner=world.corp_a, role="manager").user


def _signalled(world):
    return move_case(
        flagged_case(world.corp_a), queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now()
    )


def _taken_up(world):
    return move_case(_signalled(world), state=CaseState.TAKEN_UP, taken_up_at=timezone.now())


def test_claim_then_release(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = post(client, case, "claim", {"expected_version": case.version}, **HTMX_MAIN)
    case.refresh_from_db()
    assert case.assignee == world.alice
    assert "U heeft deze casus geclaimd: hij staat nu op uw naam." in response.content.decode()
    assert (
        'id="messages" class="messages-region" role="status" aria-live="polite" tabindex="-1" hx-swap-oob="true"'
        in (response.content.decode())
    )
    post(client, case, "release", {"expected_version": case.version})
    case.refresh_from_db()
    assert case.assignee is None


def test_claim_from_the_queue_row_answers_with_the_row(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = post(client, case, "claim", {}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"case-row-{case.pk}")
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="case-row-{case.pk}"')
    assert "alice" in body and "Niet geclaimd" not in body
    assert "<template>" in body and "geclaimd" in body  # the message, out of band


def test_claim_without_javascript_redirects_back_to_the_queue(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = post(client, case, "claim", {"next": "/queue/?state=new"})
    assert response.status_code == 302 and response.url == "/queue/?state=new"
    response = post(client, case, "release", {"next": "https://evil.example/"})
    assert response.url == reverse("case-detail", args=[case.pk])  # no open redirect


def test_stale_version_is_refused_and_changes_nothing(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = post(client, case, "note", {"text": "Gebeld", "expected_version": case.version - 1}, **HTMX_MAIN)
    assert case.notes.count() == 0
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="message error">Iemand anders heeft deze casus intussen gewijzigd.' in body
    # The page came back with the current version, so the next try goes through.
    assert f'name="expected_version" value="{case.version}"' in body


def test_contact_attempt(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    data = {
        "kind": "Telefoon",
        "reached": "no",
        "date": TODAY().isoformat(),
        "part_of_day": "Ochtend",
        "outcome": "Voicemail",
    }
    response = post(client, case, "contact", data, **HTMX_MAIN)
    attempt = ContactAttempt.objects.get(case=case)
    assert (attempt.kind, attempt.reached, attempt.outcome, attempt.partner) == (
        "Telefoon",
        False,
        "Voicemail",
        world.corp_a,
    )
    body = response.content.decode()
    assert f"Contactpoging (Telefoon, {TODAY():%d-%m-%Y}) vastgelegd: huishouden niet bereikt." in body
    assert "Voicemail" in body  # in the timeline


def test_note_private_and_shared(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    post(client, case, "note", {"text": "Alleen voor ons"})
    response = post(client, case, "note", {"text": "Voor iedereen", "shareable": "on"}, follow=True)
    assert list(Note.objects.filter(case=case).values_list("text", "shareable")) == [
        ("Alleen voor ons", False),
        ("Voor iedereen", True),
    ]
    assert "Notitie toegevoegd en gedeeld met de andere partner." in response.content.decode()


def test_checklist_step_and_objection(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    post(client, case, "checklist", {"reminder_sent": "on", "reminder_sent_date": TODAY().isoformat()})
    case.refresh_from_db()
    assert case.reminder_sent_on == TODAY()
    response = post(client, case, "objection", {"date": TODAY().isoformat(), "reason": "Wil niet"}, follow=True)
    case.refresh_from_db()
    assert case.objection_on == TODAY()
    assert "wordt niet gesignaleerd" in response.content.decode()


def test_refer_then_social_service_accepts_and_grants_respite(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = post(
        client,
        case,
        "refer",
        {"to_partner": world.sd.pk, "consent_on": TODAY().isoformat(), "reason": "Wil hulp"},
        follow=True,
    )
    referral = Referral.objects.get(case=case)
    assert referral.status == Referral.Status.PENDING
    assert "Verwezen naar Sociale Dienst." in response.content.decode()

    client.force_login(world.charlie)
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert {"referral_accept", "referral_decline"} <= set(page.context["forms"])
    response = post(client, case, "referral_accept", {"referral": referral.pk}, **HTMX_MAIN)
    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert (case.state, case.queue_partner) == (CaseState.TAKEN_UP, world.sd)
    assert "U heeft de verwijzing van Corporatie A geaccepteerd." in response.content.decode()

    response = post(client, case, "respite_grant", {"text": ""}, **HTMX_MAIN)
    case.refresh_from_db()
    assert case.respite_until == TODAY() + dt.timedelta(days=30)
    assert "Respijt verleend" in response.content.decode()
    until = (TODAY() + dt.timedelta(days=60)).isoformat()
    post(client, case, "respite_extend", {"until": until, "text": "Regeling loopt"})
    case.refresh_from_db()
    assert case.respite_until.isoformat() == until
    post(client, case, "respite_end", {"text": "Klaar"})
    case.refresh_from_db()
    assert case.respite_until is None


def test_declining_a_referral_needs_a_reason_and_hands_the_case_back(client, world):
    case = flagged_case(world.corp_a)
    referral = ReferralFactory(case=case, to_partner=world.sd)
    client.force_login(world.charlie)
    response = post(client, case, "referral_decline", {"referral": referral.pk}, **HTMX_MAIN)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING
    assert response.context["open_form"] == "referral_decline"
    response = post(
        client, case, "referral_decline", {"referral": referral.pk, "reason": "Niet onze gemeente"}, **HTMX_MAIN
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
    # The social service no longer sees the case: htmx is sent to the queue.
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("queue")


def test_take_up_and_close(client, world):
    case = _signalled(world)
    client.force_login(world.charlie)
    post(client, case, "take_up", {})
    case.refresh_from_db()
    assert case.state == CaseState.TAKEN_UP
    response = post(
        client, case, "close", {"outcome": "(Budget)advies en/of quick fix", "reason": "Geholpen"}, follow=True
    )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.outcome == "(Budget)advies en/of quick fix"
    assert "Casus gesloten met eindresultaat “(Budget)advies en/of quick fix”." in response.content.decode()


def test_payment_arrangement(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = post(
        client, case, "arrangement", {"monthly_amount": "75,50", "start_date": TODAY().isoformat()}, follow=True
    )
    arrangement = PaymentArrangement.objects.get(case=case)
    assert arrangement.monthly_amount == Decimal("75.50")
    assert f"Betalingsregeling van € 75,50 per maand vanaf {TODAY():%d-%m-%Y} vastgelegd." in response.content.decode()


def test_team_lead_assigns(client, world, lead):
    case = flagged_case(world.corp_a)
    client.force_login(lead)
    assert "assign" in client.get(reverse("case-detail", args=[case.pk])).context["forms"]
    response = post(client, case, "assign", {"assignee": world.alice.pk}, follow=True)
    case.refresh_from_db()
    assert case.assignee == world.alice
    assert "Casus toegewezen aan alice." in response.content.decode()


def test_caseworker_is_not_offered_assignment_and_cannot_assign(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    assert "assign" not in client.get(reverse("case-detail", args=[case.pk])).context["forms"]
    response = post(client, case, "assign", {"assignee": world.alice.pk})
    assert response.status_code == 400  # alice is no choice: she may assign nobody
    case.refresh_from_db()
    assert case.assignee is None


def test_service_refusal_is_shown_as_a_message(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)  # a corporation cannot grant respite
    response = post(client, case, "respite_grant", {"text": ""}, **HTMX_MAIN)
    case.refresh_from_db()
    assert case.respite_until is None
    assert 'class="message error"' in response.content.decode()


def test_bulk_assign_by_team_lead(client, world, lead):
    cases = [flagged_case(world.corp_a) for _ in range(3)]
    client.force_login(lead)
    response = client.post(
        reverse("queue-bulk-assign"),
        {"case": [cases[0].pk, cases[1].pk], "assignee": world.alice.pk, "query": "state=new"},
        follow=True,
    )
    assert [c.assignee_id for c in (cases[0], cases[1], cases[2]) if c.refresh_from_db() is None] == [
        world.alice.pk,
        world.alice.pk,
        None,
    ]
    assert "2 casussen toegewezen aan alice." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/queue/?state=new"


def test_bulk_assign_refuses_cases_of_another_partner(client, world, lead):
    own = flagged_case(world.corp_a)
    other = flagged_case(world.corp_b)
    client.force_login(lead)
    response = client.post(
        reverse("queue-bulk-assign"), {"case": [own.pk, other.pk], "assignee": world.alice.pk}, follow=True
    )
    own.refresh_from_db()
    assert own.assignee is None
    assert "niet zichtbaar voor u" in response.content.decode()


def test_bulk_assign_needs_a_selection(client, world, lead):
    client.force_login(lead)
    response = client.post(reverse("queue-bulk-assign"), {"assignee": world.alice.pk}, follow=True)
    assert "Selecteer ten minste één casus." in response.content.decode()


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_answers_404_for_another_partners_case(client, world, action):
    case = flagged_case(world.corp_b)
    client.force_login(world.alice)
    assert post(client, case, action, {}).status_code == 404
    client.force_login(world.charlie)
    assert post(client, case, action, {}).status_code == 404


@pytest.mark.parametrize("name", ["queue", "imports"])
def test_pages_answer_anonymous_users_with_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_corporation_confirms_a_respite_and_the_social_service_sees_it(client, world):
    """Issue 15 (docs/adr/0082): the unmissable notice, its button, the queue badge and the answer."""
    case = _taken_up(world)
    client.force_login(world.charlie)
    post(client, case, "respite_grant", {"text": ""})
    case.refresh_from_db()
    until = case.respite_until.strftime("%d-%m-%Y")
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Nog niet bevestigd door Corporatie A" in page and "respite_acknowledge" not in page

    client.force_login(world.alice)
    queue = client.get(reverse("queue")).content.decode()
    assert "Respijt: bevestig de pauze" in queue
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert "respite_acknowledge" in page.context["forms"]
    assert f"Respijt tot {until} — incasso pauzeren en bevestigen" in page.content.decode()
    response = post(client, case, "respite_acknowledge", {"expected_version": case.version}, **HTMX_MAIN)
    body = response.content.decode()
    assert f"U heeft bevestigd dat de incasso gepauzeerd is tot {until}." in body
    assert "respite_acknowledge" not in response.context["forms"] and "Bevestigd door Corporatie A op" in body
    assert Note.objects.get(case=case, kind="respite_granted").acknowledged_by == world.alice
    assert "Respijt: bevestig de pauze" not in client.get(reverse("queue")).content.decode()

    client.force_login(world.charlie)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f"Bevestigd door Corporatie A op {TODAY().strftime('%d-%m-%Y')}" in page


def test_the_respite_form_warns_that_its_note_is_shared_and_keeps_a_private_note_apart(client, world):
    """Issue 15 (docs/adr/0082): the shared note and, beside it, one for the social service only."""
    case = _taken_up(world)
    client.force_login(world.charlie)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Gedeeld met de corporatie" in page and "Privénotitie" in page
    post(
        client, case, "respite_grant", {"text": "Graag incasso pauzeren", "private_note": "Schulden bij drie partijen"}
    )
    granted = Note.objects.get(case=case, kind="respite_granted")
    private = Note.objects.get(case=case, kind="note")
    assert granted.shareable and granted.text == "Graag incasso pauzeren"
    assert not private.shareable and private.text == "Schulden bij drie partijen" and private.partner == world.sd
    client.force_login(world.alice)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Graag incasso pauzeren" in page and "Schulden bij drie partijen" not in page
    # without a private note, none is made; a refused respite keeps no private note either
    client.force_login(world.charlie)
    post(client, case, "respite_grant", {"text": "Nogmaals", "private_note": "Mag niet blijven staan"})
    assert not Note.objects.filter(case=case, text="Mag niet blijven staan").exists()
    post(client, case, "respite_end", {"text": "Klaar"})
    assert Note.objects.filter(case=case, kind="note").count() == 1
