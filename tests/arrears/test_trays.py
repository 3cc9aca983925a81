"""The social service's handover journey (issue 16, docs/adr/0091): the queue in trays by urgency, the
home page's tray counts and pending referrals, how long a referral has waited, one action per intent and
labels that say which deadline passed."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.models import Referral
from arrears.selectors.queue import TRAYS, QueueFilters, queue_list, queue_page, tray_counts
from arrears.services import cases as case_services
from arrears.services import referrals
from arrears.workflow import CaseState
from tests.arrears.factories import ReferralFactory, checklist_done, flagged_case, move_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _signalled(world, *, days_ago=0, **fields):
    case = flagged_case(world.corp_a, **fields)
    return move_case(
        case,
        queue_partner=world.sd,
        state=CaseState.SIGNALLED,
        signalled_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def _referred(world, *, episode_days_ago=87, corporation=None):
    """A referral made today on a case whose arrears episode opened ``episode_days_ago`` days ago."""
    case = flagged_case(corporation or world.corp_a, opened_days_ago=episode_days_ago)
    referral = ReferralFactory(case=case, to_partner=world.sd, consent_on=TODAY())
    return case, referral


@pytest.fixture
def service_queue(world):
    """The social service's queue with one case in every tray (the crisis one a referral too)."""
    crisis = flagged_case(world.corp_b, eviction_date=TODAY() + dt.timedelta(days=9))
    ReferralFactory(case=crisis, to_partner=world.sd, consent_on=TODAY())
    referred, _referral = _referred(world)
    overdue = _signalled(world, days_ago=20)
    new = _signalled(world, days_ago=1)
    in_progress = move_case(
        _signalled(world, days_ago=1), state=CaseState.TAKEN_UP, taken_up_at=timezone.now(), assignee=world.charlie
    )
    return {"crisis": crisis, "referral": referred, "overdue": overdue, "new": new, "in_progress": in_progress}


def test_every_case_is_in_the_first_tray_that_applies_and_the_default_order_follows_the_trays(world, service_queue):
    rows = list(queue_list(user=world.charlie))
    assert {row.pk: row.tray for row in rows} == {case.pk: TRAYS[key] for key, case in service_queue.items()}
    assert rows == list(service_queue.values())


def test_a_consented_referral_is_never_on_page_2_behind_late_signals(world):
    """The issue's finding: a referral made today arrived as row 43 of 43, behind late signals."""
    for _ in range(30):
        _signalled(world, days_ago=30, is_late=True)
    referred, _referral = _referred(world)
    page = queue_page(user=world.charlie, per_page=25)
    assert page.paginator.count == 31
    assert page.object_list[0] == referred


def test_each_tray_count_is_exactly_what_the_queue_filtered_to_that_tray_lists(world, service_queue):
    flagged_case(world.corp_a)  # still with the corporation: in no tray of the social service
    counts = tray_counts(user=world.charlie)
    assert counts == dict.fromkeys(TRAYS, 1)
    for key in TRAYS:
        assert [c.pk for c in queue_list(user=world.charlie, filters=QueueFilters(tray=key))] == [service_queue[key].pk]
    assert sum(counts.values()) == queue_list(user=world.charlie).count()


def test_a_referral_shows_how_long_it_has_waited_for_this_partner_not_the_episode(client, world):
    _case, referral = _referred(world, episode_days_ago=87)
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    row = queue_list(user=world.charlie).get()
    assert (TODAY() - timezone.localdate(row.arrived_at)).days == 2
    # the corporation still counts from its arrears episode
    assert (TODAY() - timezone.localdate(queue_list(user=world.alice).get().arrived_at)).days == 87
    client.force_login(world.charlie)
    body = client.get(reverse("queue")).content.decode()
    assert "Dagen sinds ontvangst" in body and "Dagen sinds signaal" not in body
    client.force_login(world.alice)
    assert "Dagen sinds achterstand" in client.get(reverse("queue")).content.decode()


def test_home_counts_every_tray_links_to_exactly_it_and_lists_the_pending_referrals(client, world, service_queue):
    client.force_login(world.charlie)
    response = client.get(reverse("home"))
    body = response.content.decode()
    trays = {tray["key"]: tray for tray in response.context["trays"]}
    assert list(trays) == list(TRAYS)
    assert trays["referral"]["label"] == "Verwijzingen die wachten op uw antwoord"
    assert trays["new"]["label"] == "Nieuwe signalen"
    for key, tray in trays.items():
        assert f'href="{reverse("queue")}?tray={key}"' in body
        listed = client.get(tray["url"]).context["page_obj"]
        assert listed.paginator.count == tray["count"] == 1
    # every pending referral (the crisis one too), with a link to each case and how long each has waited
    assert response.context["pending_referrals_count"] == 2
    assert client.get(response.context["referrals_url"]).context["page_obj"].paginator.count == 2
    pending = response.context["pending_referrals"]
    assert [referral.case_id for referral in pending] == [service_queue["crisis"].pk, service_queue["referral"].pk]
    assert f'href="{reverse("case-detail", args=[service_queue["referral"].pk])}"' in body


def test_a_corporation_has_no_referral_tray_and_its_new_cases_are_new_arrears(client, world):
    flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = client.get(reverse("home"))
    trays = {tray["key"]: tray for tray in response.context["trays"]}
    assert "referral" not in trays and "pending_referrals" not in response.context
    assert (trays["new"]["label"], trays["new"]["count"]) == ("Nieuwe achterstanden", 1)
    form = client.get(reverse("queue")).context["form"]
    assert "referral" not in dict(form.fields["tray"].choices)


def test_home_figures_call_episodes_achterstanden(client, world):
    flagged_case(world.corp_a)
    client.force_login(world.alice)
    body = client.get(reverse("home")).content.decode()
    assert "Casussen met open achterstand" in body and "Open signalen" not in body


def test_labels_say_which_deadline_passed(client, world):
    """ "Eerste contact te laat" (the contact deadline) against "Signaal na N dagen achterstand" (the
    covenant's limit on the signal), never "Te laat" next to "Laat signaal"."""
    case = _signalled(world, days_ago=20, is_late=True)
    signal = case.signals.get()
    signal.origin_date = timezone.localdate(case.signalled_at) - dt.timedelta(days=117)
    signal.save()
    client.force_login(world.charlie)
    queue = client.get(reverse("queue")).content.decode()
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Eerste contact te laat" in queue
    for body in (queue, page):
        assert "Signaal na 117 dagen achterstand" in body
        assert "Laat signaal" not in body and ">Te laat<" not in body


def test_one_action_per_intent_taking_up_a_signal_is_how_the_social_service_claims_it(client, world):
    case = _signalled(world)
    client.force_login(world.charlie)
    response = client.get(reverse("case-detail", args=[case.pk]))
    forms = response.context["forms"]
    assert "take_up" in forms and "claim" not in forms
    body = response.content.decode()
    assert "Pak dit signaal op" in body and "Claim deze casus" not in body
    # the queue row offers the same one action
    row = client.get(reverse("queue")).content.decode()
    assert reverse("case-action", args=[case.pk, "take_up"]) in row
    assert reverse("case-action", args=[case.pk, "claim"]) not in row
    client.post(
        reverse("case-action", args=[case.pk, "take_up"]),
        {"expected_version": case.version},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"case-row-{case.pk}",
    )
    case.refresh_from_db()
    assert (case.state, case.assignee) == (CaseState.TAKEN_UP, world.charlie)
    # after take-up there is nothing left to claim; the corporation still claims its own cases
    assert "claim" not in client.get(reverse("case-detail", args=[case.pk])).context["forms"]
    own = flagged_case(world.corp_a)
    client.force_login(world.alice)
    assert "claim" in client.get(reverse("case-detail", args=[own.pk])).context["forms"]


def test_a_pending_referrals_row_shows_none_of_the_corporations_workflow(client, world):
    case, _referral = _referred(world, episode_days_ago=30)
    case_services.case_claim(case=case, by=world.alice)  # the corporation's caseworker works on it
    case_services.contact_attempt_record(case=case, by=world.alice, kind="Telefoon", reached=False, date=TODAY())
    row = queue_list(user=world.charlie).get()
    assert row.workflow is False and row.is_overdue is False  # its contact deadline is the corporation's
    assert row.last_contact is None and queue_list(user=world.alice).get().last_contact == TODAY()
    client.force_login(world.charlie)
    body = client.get(reverse("queue")).content.decode()
    row = re.search(rf'<tr id="case-row-{case.pk}".*?</tr>', body, re.S).group(0)
    assert "alice" not in row and "In behandeling" not in row and "Niet geclaimd" not in row
    assert "Verwijzing wacht op uw antwoord" in row
    # nor can a filter or a sort tell: for the social service nobody of its own works on it yet
    assert list(queue_list(user=world.charlie, filters=QueueFilters(assignee="none"))) == [case]
    assert queue_list(user=world.charlie, filters=QueueFilters(sort="assignee")).get().assignee_name is None


def test_accepting_a_referral_from_its_tray_moves_the_case_to_in_progress(world):
    case = flagged_case(world.corp_a, **checklist_done())
    referral = referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY())
    assert tray_counts(user=world.charlie)["referral"] == 1
    referrals.referral_accept(referral=referral, by=world.charlie)
    counts = tray_counts(user=world.charlie)
    assert (counts["referral"], counts["in_progress"]) == (0, 1)
