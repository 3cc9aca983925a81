"""Consent over time (issue 15 part 5, docs/adr/0084): how consent was given, and withdrawing it after a
warm handover — the gate and the disclosure fall back, both timelines show it, access is re-synced."""

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears import case_access, disclosure, gate
from arrears.case_access import Level
from arrears.models import Case, CaseEvent, Referral
from arrears.selectors.cases import case_timeline
from arrears.services import cases as case_services
from arrears.services import referrals
from partners import access
from partners.errors import InvalidInput, NotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate()


def _accepted(world, flagged):
    """A case with the social service only through the household's consent (no Besluit art. 2 steps)."""
    case = flagged(world.corp_a)
    referral = referrals.referral_create(
        case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY, consent_how=Referral.ConsentHow.BY_PHONE
    )
    referrals.referral_accept(referral=referral, by=world.charlie)
    case.refresh_from_db()
    return case, referral


def test_how_consent_was_given_is_recorded_and_checked(world, flagged):
    _case, referral = _accepted(world, flagged)
    assert referral.consent_how == "by_phone"
    other = flagged(world.corp_a)
    plain = referrals.referral_create(case=other, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    assert plain.consent_how == ""  # optional, as before
    third = flagged(world.corp_a)
    with pytest.raises(InvalidInput, match="not a way"):
        referrals.referral_create(case=third, by=world.alice, to_partner=world.sd, consent_on=TODAY, consent_how="x")


def test_withdrawing_a_pending_referrals_consent_withdraws_it_and_closes_the_gate(world, flagged):
    case = flagged(world.corp_a)
    referral = referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    assert gate.consented_referral(case, to_partner_id=world.sd.pk) == referral
    assert disclosure.level_for(user=world.charlie, case=case) == Level.SIGNAL
    referrals.consent_withdraw(case=case, by=world.alice, date=TODAY)
    referral.refresh_from_db()
    case.refresh_from_db()
    assert (referral.status, referral.consent_withdrawn_on) == (Referral.Status.WITHDRAWN, TODAY)
    assert case.consent_withdrawn_on == TODAY and not case.warm_handover
    assert gate.consented_referral(case, to_partner_id=world.sd.pk) is None
    with pytest.raises(gate.GateClosed):
        gate.require_entry(case, to_partner_id=world.sd.pk)
    assert disclosure.level_for(user=world.charlie, case=case) == Level.NONE
    with pytest.raises(NotAllowed):  # nothing left to withdraw
        referrals.consent_withdraw(case=case, by=world.alice, date=TODAY)


def test_after_withdrawal_a_handed_back_case_cannot_go_back_by_that_consent(world, flagged):
    case, _referral = _accepted(world, flagged)
    case_services.case_reroute(case=case, by=world.charlie, to_partner=world.corp_a, reason="Terug")
    referrals.consent_withdraw(case=case, by=world.alice, date=TODAY)
    with pytest.raises(gate.GateClosed):
        case_services.case_reroute(case=case, by=world.alice, to_partner=world.sd, reason="Opnieuw")
    assert Case.objects.get(pk=case.pk).queue_partner == world.corp_a


def test_the_social_service_falls_back_to_the_signal_and_both_timelines_show_it(world, flagged):
    case, referral = _accepted(world, flagged)
    assert disclosure.level_for(user=world.charlie, case=case) == Level.FULL
    assert "corporation_records" in disclosure.visible_fields(user=world.charlie, case=case)
    in_full = Case.objects.filter(disclosure.full_q([world.sd.pk]))
    assert list(in_full) == [case]
    referrals.consent_withdraw(case=case, by=world.charlie, date=TODAY)  # the social service records it
    referral.refresh_from_db()
    assert (referral.status, referral.consent_withdrawn_on) == (Referral.Status.ACCEPTED, TODAY)
    assert disclosure.level_for(user=world.charlie, case=case) == Level.WORK
    visible = disclosure.visible_fields(user=world.charlie, case=case)
    assert "corporation_records" not in visible and "amount" in visible
    assert not Case.objects.filter(disclosure.full_q([world.sd.pk])).exists()
    assert disclosure.level_for(user=world.alice, case=case) == Level.FULL
    assert not access.user_has_perm(world.charlie, case_access.VIEW_HOUSEHOLD, case.household)
    for user in (world.alice, world.charlie):
        events = [e for e in case_timeline(user=user, case=case) if e.data.get("consent_withdrawn_on")]
        assert [(e.kind, e.redacted) for e in events] == [(CaseEvent.Kind.REFERRAL, False)]
        assert "withdrew its consent" in events[0].reason


def test_a_case_with_the_steps_keeps_its_signal_ground_at_the_gate(world, flagged):
    from tests.arrears.factories import checklist_done

    case = flagged(world.corp_a, **checklist_done())
    referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    referrals.consent_withdraw(case=case, by=world.alice, date=TODAY)
    case.refresh_from_db()
    assert gate.require_entry(case, to_partner_id=world.sd.pk) == "signal"  # what the law allows anyway


def test_the_page_and_the_api(client, world, flagged, api):
    case = flagged(world.corp_a)
    client.force_login(world.alice)
    response = client.post(
        reverse("case-action", args=[case.pk, "refer"]),
        {"to_partner": world.sd.pk, "consent_on": TODAY.isoformat(), "consent_how": "in_writing"},
        follow=True,
    )
    referral = case.referrals.get()
    assert referral.consent_how == "in_writing"
    assert "Toestemming gegeven: Schriftelijk" in response.content.decode()  # the page speaks Dutch
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert "consent_withdraw" in page.context["forms"]
    client.post(reverse("case-action", args=[case.pk, "consent_withdraw"]), {"date": TODAY.isoformat()}, follow=True)
    referral.refresh_from_db()
    assert referral.consent_withdrawn_on == TODAY
    taken, _referral = _accepted(world, flagged)
    created = api(world.alice).post(
        reverse("api:referral-list"),
        {
            "case": flagged(world.corp_a).pk,
            "to_partner": "sd",
            "consent_on": TODAY.isoformat(),
            "consent_how": "digitally",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["consent_how"] == "digitally", created.json()
    done = api(world.charlie).post(
        reverse("api:case-consent-withdrawal", args=[taken.pk]), {"date": TODAY.isoformat()}, format="json"
    )
    assert done.status_code == 200, done.json()
    again = api(world.charlie).post(
        reverse("api:case-consent-withdrawal", args=[taken.pk]), {"date": TODAY.isoformat()}, format="json"
    )
    assert again.status_code in (403, 404, 409)
