import pytest
from django.utils import timezone

from arrears import routing
from arrears.case_access import Level
from arrears.disclosure import fields_for
from arrears.models import Case, Referral
from arrears.selectors import case_list, case_referrals, referral_list, visible_household_fields
from arrears.services import referrals as svc
from arrears.workflow import CaseState
from partners.errors import InvalidInput, NotAllowed
from tests.partners.factories import AgreementFactory, MunicipalityFactory, SocialServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate()


@pytest.fixture
def referred(world, flagged):
    case = flagged(world.corp_a, days=130)
    return svc.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY, reason="Wil hulp")


def test_referral_lets_the_social_service_see_the_signal_only(world, referred):
    case = referred.case
    assert referred.status == Referral.Status.PENDING
    assert Case.objects.get(pk=case.pk).warm_handover
    assert list(case_list(user=world.charlie)) == [case]
    assert visible_household_fields(user=world.charlie, case=case) == fields_for(Level.SIGNAL)
    assert list(referral_list(user=world.charlie)) == [referred]
    assert list(referral_list(user=world.alice)) == [referred]
    assert referral_list(user=world.bob).count() == 0
    with pytest.raises(NotAllowed):
        from arrears.services.notes import note_record

        note_record(case=case, by=world.charlie, text="nog niet")  # seeing is not working


def test_pending_referral_holds_automatic_routing(world, referred):
    result = routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[referred.case_id])
    assert result["skipped"] == 1


def test_accept_hands_the_case_over_taken_up(world, referred):
    svc.referral_accept(referral=referred, by=world.charlie, reason="Komt langs")
    case = Case.objects.get(pk=referred.case_id)
    assert (case.state, case.queue_partner, case.assignee, case.routing_decision) == (
        CaseState.TAKEN_UP,
        world.sd,
        world.charlie,
        "referral",
    )
    assert visible_household_fields(user=world.charlie, case=case) == fields_for(Level.FULL)
    assert Referral.objects.get(pk=referred.pk).status == Referral.Status.ACCEPTED
    # both sides see the referral and its status
    assert case_referrals(user=world.alice, case=case).get().status == "accepted"
    assert case_referrals(user=world.charlie, case=case).get().status == "accepted"
    with pytest.raises(NotAllowed, match="Accepted"):
        svc.referral_decline(referral=referred, by=world.charlie, reason="toch niet")


def test_decline_needs_a_reason_and_revokes_the_view(world, referred):
    with pytest.raises(InvalidInput):
        svc.referral_decline(referral=referred, by=world.charlie, reason="")
    svc.referral_decline(referral=referred, by=world.charlie, reason="Geen capaciteit")
    assert case_list(user=world.charlie).count() == 0
    case = Case.objects.get(pk=referred.case_id)
    assert (case.state, case.queue_partner, case.warm_handover) == (CaseState.NEW, world.corp_a, False)
    assert case_referrals(user=world.alice, case=case).get().decision_reason == "Geen capaciteit"


def test_withdraw_by_the_corporation_only(world, referred):
    with pytest.raises(NotAllowed):
        svc.referral_withdraw(referral=referred, by=world.charlie)
    with pytest.raises(NotAllowed):
        svc.referral_accept(referral=referred, by=world.alice)
    svc.referral_withdraw(referral=referred, by=world.alice, reason="Vergissing")
    assert Referral.objects.get(pk=referred.pk).status == Referral.Status.WITHDRAWN
    assert case_list(user=world.charlie).count() == 0


def test_referral_rules(world, flagged, referred):
    with pytest.raises(NotAllowed, match="already"):
        svc.referral_create(case=referred.case, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    with pytest.raises(NotAllowed, match="agreement"):
        svc.referral_create(
            case=flagged(world.corp_a), by=world.alice, to_partner=SocialServiceFactory(), consent_on=TODAY
        )
    with pytest.raises(NotAllowed):
        svc.referral_create(case=referred.case, by=world.alice, to_partner=world.corp_b, consent_on=TODAY)
    with pytest.raises(NotAllowed):
        svc.referral_create(case=flagged(world.corp_b), by=world.alice, to_partner=world.sd, consent_on=TODAY)
    signalled = flagged(world.corp_a, queue_partner=world.sd)
    with pytest.raises(NotAllowed):
        svc.referral_create(case=signalled, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    with pytest.raises(InvalidInput, match="future"):
        svc.referral_create(
            case=flagged(world.corp_a),
            by=world.alice,
            to_partner=world.sd,
            consent_on=TODAY.replace(year=TODAY.year + 1),
        )


def test_every_referral_step_is_on_the_timeline(world, referred):
    svc.referral_accept(referral=referred, by=world.charlie)
    rows = list(referred.case.events.filter(kind="referral").values_list("data__status", "actor__username"))
    assert rows == [("pending", "alice"), ("accepted", "charlie")]


def test_one_referral_waits_at_a_time(world, referred):
    """Issue 13: the case page offered no second referral while one waited; the API sent one to
    another social service with an agreement all the same."""
    other = SocialServiceFactory(slug="sd-other")
    AgreementFactory(
        corporation=world.corp_a,
        municipality=MunicipalityFactory(code="0642", name="Zwijndrecht"),
        social_service=other,
    )
    with pytest.raises(NotAllowed, match="already waiting"):
        svc.referral_create(case=referred.case, by=world.alice, to_partner=other, consent_on=TODAY)
    assert referred.case.referrals.count() == 1
