"""Letters (issue 17): letter_send end to end (the PDF's text read back with pdftotext, the contact
attempt of kind Brief on the timeline, the art. 2 reminder's two checklist steps with the letter as
evidence), its refusals, the pages, the API and the audited download."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears import selectors as case_selectors
from arrears.models import CaseEvent, ContactAttempt
from arrears.services import cases as case_services
from arrears.services import respite as respite_services
from outreach.models import Letter, MessageTemplate, Purpose
from outreach.services import letter_send, letters_purge
from partners.errors import NotAllowed
from partners.models import AuditEvent
from tests.arrears.factories import flagged_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=bytes(pdf), capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


@needs_pdftotext
def test_the_art2_reminder_is_sent_kept_on_the_timeline_and_ticks_two_checklist_steps(world, templates, case):
    day = TODAY - dt.timedelta(days=1)
    letter = letter_send(case=case, by=world.alice, template=templates["corp_a"][Purpose.ART2_REMINDER], date=day)

    text = pdf_text(letter.pdf)
    assert "J. de Vries" in text and "Voorstraat 12" in text and "3311 AB Dordrecht" in text
    assert "€ 700,00" in text and "Sociale Dienst" in text  # the amount; the municipality's debt help
    assert "Corporatie A" in text and "bezwaar" in text and "{" not in text
    assert letter.text.startswith("Beste J. de Vries,") and letter.date == day and letter.partner == world.corp_a

    attempt = ContactAttempt.objects.get(case=case)
    assert (attempt.kind, attempt.reached, attempt.date, attempt.by) == ("Brief", False, day, world.alice)
    assert letter.contact_attempt == attempt
    timeline = case_selectors.case_timeline(user=world.alice, case=case)
    assert any(e.kind == CaseEvent.Kind.CONTACT and e.data["contact_attempt_id"] == attempt.pk for e in timeline)

    case.refresh_from_db()
    assert case.reminder_sent_on == day and case.offered_to_share_on == day
    assert case.contact_attempted_on is None  # a letter is not personal contact
    steps = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CHECKLIST)
    assert {e.data["item"]: e.data["letter_id"] for e in steps} == {
        "reminder_sent": letter.pk,
        "offered_to_share": letter.pk,
    }
    assert AuditEvent.objects.filter(action="create", object_type="outreach.Letter", object_id=str(letter.pk)).exists()


def test_another_letter_records_the_attempt_but_no_checklist_step(world, templates, case):
    letter_send(case=case, by=world.alice, template=templates["corp_a"][Purpose.VISIT_CARD])
    case.refresh_from_db()
    assert case.reminder_sent_on is None and ContactAttempt.objects.get(case=case).kind == "Brief"


def _refusal(**kwargs):
    with pytest.raises(NotAllowed) as error:
        letter_send(**kwargs)
    return str(error.value)


def test_refusals_name_the_reason_and_keep_nothing(world, templates, case, english):
    art2 = templates["corp_a"][Purpose.ART2_REMINDER]
    assert "is not one of Corporatie A's" in _refusal(
        case=case, by=world.alice, template=templates["corp_b"][Purpose.ART2_REMINDER]
    )
    card = templates["corp_a"][Purpose.VISIT_CARD]
    card.is_active = False
    card.save()
    assert "is not active" in _refusal(case=case, by=world.alice, template=card)
    sms = MessageTemplate.objects.create(partner=world.corp_a, channel="sms", name="SMS", body="Bel ons")
    assert "is for SMS, not for a letter" in _refusal(case=case, by=world.alice, template=sms)
    assert "case Z" in _refusal(case=case, by=world.bob, template=templates["corp_b"][Purpose.VISIT_CARD])

    case_services.objection_record(case=case, by=world.alice, date=TODAY, reason="")
    assert "objected on" in _refusal(case=case, by=world.alice, template=art2)
    assert not Letter.objects.exists() and not ContactAttempt.objects.filter(kind="Brief").exists()


def test_no_collection_letter_during_respite_but_the_respite_confirmation_goes(world, templates):
    case = flagged_case(world.corp_a, queue_partner=world.sd, state="taken_up")
    respite_services.respite_grant(case=case, by=world.charlie)
    with pytest.raises(NotAllowed, match="geen incassobrief tijdens het respijt"):
        letter_send(case=case, by=world.alice, template=templates["corp_a"][Purpose.ART2_REMINDER])
    letter = letter_send(case=case, by=world.alice, template=templates["corp_a"][Purpose.RESPITE_CONFIRMATION])
    assert letter.purpose == Purpose.RESPITE_CONFIRMATION


def test_the_social_service_sends_its_invitation_once_it_has_the_case(world, templates):
    case = flagged_case(world.corp_a, queue_partner=world.sd, state="taken_up")
    letter = letter_send(case=case, by=world.charlie, template=templates["sd"][Purpose.INVITATION])
    assert letter.partner == world.sd and ContactAttempt.objects.get(case=case).partner == world.sd


def test_letters_go_with_the_case_when_it_is_anonymised(world, templates, case):
    letter_send(case=case, by=world.alice, template=templates["corp_a"][Purpose.VISIT_CARD])
    assert letters_purge() == 0
    type(case).objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    assert letters_purge() == 1 and not Letter.objects.exists()


# --- Pages -----------------------------------------------------------------------------------------


def test_the_page_previews_sends_and_redirects_to_the_case(client, world, templates, case):
    art2 = templates["corp_a"][Purpose.ART2_REMINDER]
    client.force_login(world.alice)
    detail = client.get(reverse("case-detail", args=[case.pk]))
    assert reverse("letter-new", args=[case.pk]) in detail.content.decode()
    page = client.get(reverse("letter-new", args=[case.pk]))
    assert page.status_code == 200 and art2.name in page.content.decode()
    assert templates["corp_b"][Purpose.ART2_REMINDER].pk not in [
        t.pk for t in page.context["form"].fields["template"].queryset
    ]
    preview = client.get(reverse("letter-new", args=[case.pk]), {"template": art2.pk})
    assert "Beste J. de Vries," in preview.content.decode() and not Letter.objects.exists()
    sent = client.post(reverse("letter-new", args=[case.pk]), {"template": art2.pk, "date": ""})
    assert sent.status_code == 302 and sent["Location"] == reverse("case-detail", args=[case.pk])
    letter = Letter.objects.get()
    listing = client.get(reverse("letter-new", args=[case.pk]))
    assert reverse("letter-pdf", args=[letter.pk]) in listing.content.decode()


def test_a_refused_letter_shows_the_reason_in_dutch(client, world, templates, case):
    case_services.objection_record(case=case, by=world.alice, date=TODAY, reason="")
    client.force_login(world.alice)
    response = client.post(
        reverse("letter-new", args=[case.pk]), {"template": templates["corp_a"][Purpose.ART2_REMINDER].pk}
    )
    assert response.status_code == 403 and "De huurder heeft op" in response.content.decode()
    assert not Letter.objects.exists()


def test_download_only_for_the_senders_case_workers_and_audited(client, world, people, templates, case):
    letter = letter_send(case=case, by=world.alice, template=templates["corp_a"][Purpose.VISIT_CARD])
    url = reverse("letter-pdf", args=[letter.pk])
    expected = {
        world.alice: 200,
        people["corp_a", "manager"]: 200,
        people["corp_a", "admin"]: 404,
        world.bob: 404,
        people["corp_b", "manager"]: 404,
        world.charlie: 404,
    }
    for user, status in expected.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, (user.username, response.status_code)
        if status == 200:
            assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    client.force_login(world.bob)
    assert client.get(reverse("letter-new", args=[case.pk])).status_code == 404
    downloads = AuditEvent.objects.filter(action="export", object_type="outreach.Letter", object_id=str(letter.pk))
    assert set(downloads.values_list("user__username", flat=True)) == {"alice", "corp-a-manager"}
    assert all(row.household_id == case.household_id for row in downloads)


# --- API -------------------------------------------------------------------------------------------


def test_api_lists_own_templates_sends_a_letter_and_serves_its_pdf(world, templates, case, api):
    alice = api(world.alice)
    listed = alice.get(reverse("api:message-template-list")).json()
    assert {t["partner"] for t in listed} == {"corp-a"} and len(listed) == 3
    art2 = templates["corp_a"][Purpose.ART2_REMINDER]
    response = alice.post(reverse("api:case-letters", args=[case.pk]), {"template": art2.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["purpose"] == "art2_reminder" and body["pdf_url"] == reverse("api:letter-pdf", args=[body["id"]])
    pdf = alice.get(body["pdf_url"], HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api(world.bob).get(body["pdf_url"]).status_code == 404
    case.refresh_from_db()
    assert case.reminder_sent_on == TODAY and case.offered_to_share_on == TODAY


def test_api_refuses_another_partners_template_and_an_invisible_case(world, templates, case, api):
    foreign = templates["corp_b"][Purpose.VISIT_CARD]
    response = api(world.alice).post(
        reverse("api:case-letters", args=[case.pk]), {"template": foreign.pk}, format="json"
    )
    assert response.status_code == 400 and "template" in response.json()["errors"]
    response = api(world.bob).post(reverse("api:case-letters", args=[case.pk]), {"template": foreign.pk}, format="json")
    assert response.status_code == 404
    assert not Letter.objects.exists()
