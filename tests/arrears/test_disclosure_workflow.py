"""Before take-up a social service sees what a signal carries and nothing of the corporation's internal
workflow (issue 16, docs/adr/0091): the disclosure function decides it (``workflow``), and the case
page, the queue, the timeline and the API all follow it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears import disclosure
from arrears.case_access import Level
from arrears.models import Case
from arrears.services import cases as case_services
from arrears.services import referrals
from arrears.vocabularies import ContactKind
from tests.arrears.factories import checklist_done
from tests.partners.factories import Api

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def waiting(world, flagged):
    """A referral waiting on the social service, on a case the corporation works on: claimed, a contact
    attempt, routing held back for the checklist ("Wacht op de checklist"), escalated for its deadline."""
    case = flagged(world.corp_a, opened_days_ago=40)
    case_services.case_signal(case=case, by=world.alice)  # stays: the checklist is not complete
    case_services.case_claim(case=case, by=world.alice)
    case_services.contact_attempt_record(
        case=case, by=world.alice, kind=ContactKind.PHONE, reached=False, date=TODAY(), outcome="INTERN-7"
    )
    Case.objects.filter(pk=case.pk).update(escalated_at=timezone.now(), escalation_reason="ESCALATIE-7")
    referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY(), reason="Wil hulp")
    case.refresh_from_db()
    assert "Wacht op de checklist" in case.routing_reason
    return case


def test_the_workflow_is_the_queue_holders_a_referral_waiting_gives_none_of_it(world, waiting):
    assert disclosure.level_for(user=world.charlie, case=waiting) == Level.SIGNAL
    assert "workflow" not in disclosure.visible_fields(user=world.charlie, case=waiting)
    assert "workflow" in disclosure.visible_fields(user=world.alice, case=waiting)
    assert "workflow" in disclosure.fields_for(Level.WORK) and "workflow" in disclosure.fields_for(Level.FULL)
    assert list(Case.objects.filter(disclosure.workflow_q([world.sd.pk]))) == []
    assert list(Case.objects.filter(disclosure.workflow_q([world.corp_a.pk]))) == [waiting]


def test_the_case_page_shows_the_signal_and_the_referral_not_the_corporations_workflow(client, world, waiting):
    client.force_login(world.charlie)
    response = client.get(reverse("case-detail", args=[waiting.pk]))
    body = response.content.decode()
    assert waiting.household.name in body and "Wil hulp" in body  # the signal and the referral
    assert "Verwijzing wacht op uw antwoord" in body
    for internal in ("Wacht op de checklist", "Routering:", "Toegewezen aan", "In behandeling", "ESCALATIE-7",
                     "Opgeschaald", "INTERN-7", "Contactpoging", "Geclaimd", "Doorgezet"):  # fmt: skip
        assert internal not in body, internal
    # only the referral is on its timeline, in full
    assert [row.event.kind for row in response.context["timeline"]] == ["referral"]
    # the corporation sees all of it
    client.force_login(world.alice)
    own = client.get(reverse("case-detail", args=[waiting.pk])).content.decode()
    assert "Wacht op de checklist" in own and "Toegewezen aan alice" in own and "ESCALATIE-7" in own


def test_the_api_agrees_with_the_page(world, waiting):
    case_url = reverse("api:case-detail", args=[waiting.pk])
    theirs = Api(world.charlie).get(case_url).json()
    assert (theirs["assignee"], theirs["routing_reason"], theirs["checklist"]) == (None, "", None)
    assert theirs["household"]["name"] == waiting.household.name
    listed = Api(world.charlie).get(reverse("api:case-list")).json()["results"]
    assert [(c["id"], c["assignee"], c["routing_reason"]) for c in listed] == [(waiting.pk, None, "")]
    timeline = Api(world.charlie).get(reverse("api:case-timeline", args=[waiting.pk])).json()
    assert [event["kind"] for event in timeline] == ["referral"]
    own = Api(world.alice).get(case_url).json()
    assert own["assignee"] == "alice" and "Wacht op de checklist" in own["routing_reason"]
    assert own["checklist"]["complete"] is False


def test_signalled_to_it_the_queue_is_the_social_services_own_and_the_corporations_past_stays_out(
    client, world, flagged
):
    """WORK: its own assignee and escalation, the routing that made the case a signal; of the corporation's
    earlier work (the contact attempt, the claim, the checklist steps) nothing, not even that it happened."""
    case = flagged(world.corp_a, **checklist_done())
    case_services.case_claim(case=case, by=world.alice)
    case_services.contact_attempt_record(case=case, by=world.alice, kind=ContactKind.PHONE, reached=True, date=TODAY())
    case_services.case_signal(case=case, by=world.alice)
    case.refresh_from_db()
    assert case.queue_partner == world.sd
    case_services.case_claim(case=case, by=world.charlie)  # before take-up: a colleague may claim it
    assert disclosure.level_for(user=world.charlie, case=case) == Level.WORK
    theirs = Api(world.charlie).get(reverse("api:case-detail", args=[case.pk])).json()
    assert theirs["assignee"] == "charlie" and theirs["routing_reason"] and theirs["checklist"]["complete"]
    client.force_login(world.charlie)
    response = client.get(reverse("case-detail", args=[case.pk]))
    events = [(row.event.kind, row.event.partner.slug) for row in response.context["timeline"]]
    assert events == [("assigned", "sd"), ("routed", "corp-a")]  # newest first
    assert "Toegewezen aan charlie" in response.content.decode()
