import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from arrears.models import Case, CaseEvent, PaymentArrangement, Referral
from arrears.services import cases as svc
from arrears.vocabularies import ContactKind, CorporationOutcome, FinalResult
from arrears.workflow import CaseState
from partners.errors import Conflict, DomainError, InvalidInput, NotAllowed
from partners.models import AuditEvent
from tests.arrears.factories import checklist_done
from tests.partners.factories import (
    AgreementFactory,
    MembershipFactory,
    MunicipalityFactory,
    SocialServiceFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate()


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


# --- claim, release, assign -----------------------------------------------------------------------


def test_claim_and_release(world, flagged):
    case = flagged(world.corp_a)
    case = svc.case_claim(case=case, by=world.alice)
    assert (case.state, case.assignee, case.version) == (CaseState.IN_PROGRESS, world.alice, 2)
    assert svc.case_claim(case=case, by=world.alice).version == 2  # claiming twice changes nothing
    case = svc.case_release(case=case, by=world.alice)
    assert (case.state, case.assignee) == (CaseState.NEW, None)
    assert kinds(case) == [CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.ASSIGNED]
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="change", user=world.alice).count() == 2


def test_a_claimed_case_cannot_be_claimed_by_a_colleague(world, flagged):
    colleague = MembershipFactory(partner=world.corp_a, role="caseworker").user
    case = svc.case_claim(case=flagged(world.corp_a), by=world.alice)
    with pytest.raises(Conflict, match="alice"):
        svc.case_claim(case=case, by=colleague)
    with pytest.raises(NotAllowed):
        svc.case_release(case=case, by=colleague)


def test_expected_version_guards_against_lost_updates(world, flagged):
    case = flagged(world.corp_a)
    stale = case.version
    svc.case_claim(case=case, by=world.alice, expected_version=stale)
    with pytest.raises(Conflict) as error:
        svc.case_release(case=case, by=world.alice, expected_version=stale)
    assert error.value.status_code == 409
    assert Case.objects.get(pk=case.pk).assignee == world.alice


def test_only_the_queue_may_claim(world, flagged):
    case = flagged(world.corp_a)
    for outsider in (world.bob, world.charlie):
        with pytest.raises(NotAllowed):
            svc.case_claim(case=case, by=outsider)
    signalled = flagged(world.corp_a, queue_partner=world.sd)
    with pytest.raises(NotAllowed):
        svc.case_claim(case=signalled, by=world.alice)  # the corporation no longer holds this queue
    assert svc.case_claim(case=signalled, by=world.charlie).state == CaseState.SIGNALLED  # claiming is not take-up


def test_assign_needs_a_manager_and_a_member(world, flagged, people):
    manager = people["corp_a", "manager"]
    case = flagged(world.corp_a)
    with pytest.raises(NotAllowed, match="manager"):
        svc.case_assign(case=case, assignee=manager, by=world.alice)
    with pytest.raises(NotAllowed, match="charlie"):
        svc.case_assign(case=case, assignee=world.charlie, by=manager)
    with pytest.raises(NotAllowed):
        svc.case_assign(case=case, assignee=people["corp_a", "admin"], by=manager)  # admins do no case work
    case = svc.case_assign(case=case, assignee=world.alice, by=manager)
    assert (case.assignee, case.state) == (world.alice, CaseState.IN_PROGRESS)
    assert svc.case_release(case=case, by=manager).assignee is None  # a manager may release


def test_bulk_assign_is_all_or_nothing(world, flagged, people):
    manager = people["corp_a", "manager"]
    mine = [flagged(world.corp_a) for _ in range(3)]
    svc.case_claim(case=mine[0], by=world.alice)
    assert svc.case_bulk_assign(cases=mine, assignee=world.alice, by=manager) == 2
    assert set(Case.objects.filter(pk__in=[c.pk for c in mine]).values_list("state", "assignee")) == {
        (CaseState.IN_PROGRESS, world.alice.pk)
    }
    foreign = flagged(world.corp_b)
    with pytest.raises(NotAllowed):
        svc.case_bulk_assign(cases=[mine[0], foreign], assignee=world.alice, by=manager)
    assert Case.objects.get(pk=foreign.pk).assignee is None
    assert AuditEvent.objects.filter(detail__bulk=True).count() == 2


# --- contact attempts and the checklist ---------------------------------------------------------------


def test_contact_attempt_ticks_the_checklist_only_for_personal_contact(world, flagged):
    case = flagged(world.corp_a)
    svc.contact_attempt_record(case=case, by=world.alice, kind=ContactKind.LETTER, reached=False, date=TODAY)
    assert Case.objects.get(pk=case.pk).contact_attempted_on is None
    svc.contact_attempt_record(
        case=case,
        by=world.alice,
        kind=ContactKind.PHONE,
        reached=True,
        date=TODAY,
        part_of_day="Ochtend",
        outcome="Teruggebeld",
    )
    assert Case.objects.get(pk=case.pk).contact_attempted_on == TODAY
    assert case.contact_attempts.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "Duif", "Duif"),
        ("part_of_day", "Nacht", "Nacht"),
        ("date", TODAY + dt.timedelta(days=1), "future"),
        ("date", "gisteren", "gisteren"),
        ("outcome", "x" * 501, "501"),
    ],
)
def test_contact_attempt_refuses_bad_input(world, flagged, field, value, message):
    values = {"kind": ContactKind.PHONE, "reached": False, "date": TODAY, "part_of_day": "", "outcome": ""}
    values[field] = value
    case = flagged(world.corp_a)
    with pytest.raises(InvalidInput, match=message):
        svc.contact_attempt_record(case=case, by=world.alice, **values)
    assert case.contact_attempts.count() == 0


def test_completing_the_checklist_signals_the_case(world, flagged):
    case = flagged(world.corp_a, **checklist_done(offered_to_share_on=None))
    case = svc.checklist_record(case=case, by=world.alice, item="offered_to_share", date=TODAY)
    assert (case.state, case.queue_partner, case.routing_decision) == (CaseState.SIGNALLED, world.sd, "default")
    assert "Sociale Dienst" in case.routing_reason
    assert kinds(case) == [CaseEvent.Kind.CHECKLIST, CaseEvent.Kind.ROUTED]
    assert Case.objects.filter(pk=case.pk).get().queue_partner == world.sd


def test_checklist_only_by_the_corporation_and_only_known_items(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd)
    with pytest.raises(NotAllowed):
        svc.checklist_record(case=case, by=world.charlie, item="pointed_to_help", date=TODAY)
    with pytest.raises(InvalidInput, match="reminder_sent"):
        svc.checklist_record(case=flagged(world.corp_a), by=world.alice, item="coffee", date=TODAY)


@pytest.mark.parametrize("state", [CaseState.SIGNALLED, CaseState.TAKEN_UP])
def test_no_checklist_step_while_the_case_is_with_the_social_service(world, flagged, state):
    """Issue 13: the API recorded steps on a signalled case, which the case page refused. The steps
    that let the case go are history once it has gone."""
    case = flagged(world.corp_a, queue_partner=world.sd, state=state)
    with pytest.raises(NotAllowed, match="with the corporation"):
        svc.checklist_record(case=case, by=world.alice, item="pointed_to_help", date=TODAY)
    case.refresh_from_db()
    assert case.pointed_to_help_on is None and not case.events.filter(kind=CaseEvent.Kind.CHECKLIST).exists()


def test_a_second_objection_is_refused(world, flagged):
    """Issue 13: the case page offered the objection once; the API overwrote its date."""
    case = svc.objection_record(case=flagged(world.corp_a), by=world.alice, date=TODAY - dt.timedelta(days=3))
    with pytest.raises(NotAllowed, match="already recorded"):
        svc.objection_record(case=case, by=world.alice, date=TODAY)
    case.refresh_from_db()
    assert case.objection_on == TODAY - dt.timedelta(days=3)


@pytest.mark.parametrize("state", [CaseState.SIGNALLED, CaseState.TAKEN_UP])
def test_only_the_corporation_sets_a_payment_arrangement(world, flagged, state):
    """Issue 13: the social service could set one through the API; the case page offered it only
    to the corporation, which collects the rent."""
    case = flagged(world.corp_a, queue_partner=world.sd, state=state)
    with pytest.raises(NotAllowed):
        svc.payment_arrangement_record(case=case, by=world.charlie, monthly_amount=Decimal("50"), start_date=TODAY)
    assert not PaymentArrangement.objects.filter(case=case).exists()
    svc.payment_arrangement_record(case=case, by=world.alice, monthly_amount=Decimal("50"), start_date=TODAY)


def test_objection_blocks_the_signal_and_recalls_one_not_taken_up(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd, **checklist_done())
    case = svc.objection_record(case=case, by=world.alice, date=TODAY, reason="Wil het zelf regelen")
    assert (case.state, case.queue_partner, case.routing_decision) == (CaseState.NEW, world.corp_a, "objection")
    assert not case.checklist_complete
    assert svc.case_signal(case=case, by=world.alice).queue_partner == world.corp_a
    with pytest.raises(NotAllowed, match="objected"):
        svc.case_reroute(case=case, by=world.alice, to_partner=world.sd, reason="toch")
    assert not Case.objects.filter(pk=case.pk, casegroupobjectpermission__group__name__startswith="sd:").exists()


def test_objection_after_take_up_is_recorded_but_the_case_stays(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd, state=CaseState.TAKEN_UP)
    case = svc.objection_record(case=case, by=world.alice, date=TODAY)
    assert (case.state, case.objection_on) == (CaseState.TAKEN_UP, TODAY)


def test_eviction_date_makes_a_crisis_and_routes_by_a_crisis_rule(world, flagged):
    from tests.partners.factories import RoutingRuleFactory

    RoutingRuleFactory(agreement=world.corp_a.agreements.get(), name="Ontruiming", crisis=True)
    bare = svc.eviction_date_record(case=flagged(world.corp_a), by=world.alice, date=dt.date(2027, 1, 15))
    assert bare.is_crisis and bare.queue_partner == world.corp_a  # a crisis does not waive Besluit art. 2
    case = flagged(world.corp_a, **checklist_done())
    case = svc.eviction_date_record(case=case, by=world.alice, date=dt.date(2027, 1, 15))
    assert case.is_crisis and case.queue_partner == world.sd and case.routing_rule.name == "Ontruiming"


# --- signal, reroute, take up, close --------------------------------------------------------------------


def test_case_signal_without_agreement_stays_with_a_visible_reason(world, flagged):
    case = flagged(
        world.corp_a,
        household={"municipality": MunicipalityFactory(code="0642", name="Zwijndrecht")},
        **checklist_done(),
    )
    case = svc.case_signal(case=case, by=world.alice)
    assert (case.queue_partner, case.routing_decision) == (world.corp_a, "no_agreement")
    assert "Zwijndrecht" in case.routing_reason
    assert CaseEvent.objects.get(case=case, kind="routed").reason == case.routing_reason


def test_case_signal_by_the_system_and_refused_once_signalled(world, flagged):
    case = svc.case_signal(case=flagged(world.corp_a, **checklist_done()))
    assert case.queue_partner == world.sd and case.events.get().actor is None
    with pytest.raises(NotAllowed):
        svc.case_signal(case=case, by=world.alice)


def test_reroute_by_hand_is_logged_and_sticks(world, flagged):
    other = SocialServiceFactory(slug="sd-elders", name="Sociale Dienst Elders")
    AgreementFactory(corporation=world.corp_a, municipality=MunicipalityFactory(code="0590"), social_service=other)
    dave = MembershipFactory(user=UserFactory(username="dave"), partner=other).user
    case = flagged(world.corp_a, queue_partner=world.sd, **checklist_done())
    with pytest.raises(DomainError, match="required"):
        svc.case_reroute(case=case, by=world.charlie, to_partner=other, reason=" ")
    case = svc.case_reroute(case=case, by=world.charlie, to_partner=other, reason="Verhuisd naar Papendrecht")
    assert (case.queue_partner, case.state, case.routing_decision) == (other, CaseState.SIGNALLED, "manual")
    from arrears.selectors import case_list

    assert case_list(user=world.charlie).count() == 0 and case_list(user=dave).count() == 1
    case = svc.case_take_up(case=case, by=dave)
    case = svc.case_reroute(case=case, by=dave, to_partner=world.corp_a, reason="Geen schuldhulp nodig")
    assert (case.queue_partner, case.state) == (world.corp_a, CaseState.NEW)
    assert case_list(user=dave).count() == 0
    with pytest.raises(NotAllowed):
        svc.case_reroute(case=case, by=world.alice, to_partner=world.corp_b, reason="?")
    with pytest.raises(NotAllowed, match="agreement"):
        svc.case_reroute(case=case, by=world.alice, to_partner=SocialServiceFactory(), reason="?")
    assert [e.reason for e in case.events.filter(kind="routed")] == [
        "Verhuisd naar Papendrecht",
        "Geen schuldhulp nodig",
    ]


def test_take_up_only_by_the_social_service(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd)
    with pytest.raises(NotAllowed):
        svc.case_take_up(case=case, by=world.alice)
    case = svc.case_take_up(case=case, by=world.charlie)
    assert (case.state, case.assignee) == (CaseState.TAKEN_UP, world.charlie) and case.taken_up_at
    with pytest.raises(NotAllowed):
        svc.case_take_up(case=case, by=world.charlie)
    with pytest.raises(NotAllowed):
        svc.case_take_up(case=flagged(world.corp_a), by=world.alice)  # a corporation cannot take up its own case


def test_close_with_the_corporations_outcome_withdraws_pending_referrals(world, flagged):
    case = flagged(world.corp_a, respite_until=TODAY + dt.timedelta(days=5))
    referral = Referral.objects.create(case=case, from_partner=world.corp_a, to_partner=world.sd, consent_on=TODAY)
    with pytest.raises(InvalidInput, match="Betaald"):
        svc.case_close(case=case, by=world.alice, corporation_outcome="Betaald")
    case = svc.case_close(case=case, by=world.alice, corporation_outcome=CorporationOutcome.ARREARS_PAID)
    assert (case.state, case.outcome, case.corporation_outcome, case.respite_until) == (
        CaseState.CLOSED,
        "",
        CorporationOutcome.ARREARS_PAID,
        None,
    )
    assert case.ddas_result == FinalResult.PAID
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    with pytest.raises(NotAllowed, match="closed"):
        svc.case_claim(case=case, by=world.alice)


def test_payment_arrangement(world, flagged):
    case = flagged(world.corp_a)
    arrangement = svc.payment_arrangement_record(
        case=case, by=world.alice, monthly_amount="125.5", start_date=dt.date(2026, 12, 1), end_date=dt.date(2027, 5, 1)
    )
    assert arrangement.monthly_amount == Decimal("125.50") and arrangement.partner == world.corp_a
    for bad in ({"monthly_amount": "0"}, {"monthly_amount": "abc"}, {"end_date": dt.date(2026, 11, 1)}):
        values = {"monthly_amount": "50", "start_date": dt.date(2026, 12, 1), **bad}
        with pytest.raises(InvalidInput):
            svc.payment_arrangement_record(case=case, by=world.alice, **values)
    assert PaymentArrangement.objects.count() == 1
    assert CaseEvent.objects.get(case=case, kind="payment_arrangement").data["monthly_amount"] == "125.50"


def test_domain_errors_speak_dutch_by_default(world, flagged):
    case = svc.case_close(case=flagged(world.corp_a), by=world.alice, corporation_outcome=CorporationOutcome.DECEASED)
    with translation.override("nl"), pytest.raises(NotAllowed, match=f"Casus {case} is afgesloten"):
        svc.case_claim(case=case, by=world.alice)
