"""The Besluit art. 2 gate (docs/adr/0023): a case enters a social service's queue only as a signal with
the four steps recorded and no objection, or as a warm handover with the tenant's consent — by every path."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from arrears import checklist, gate, routing
from arrears.models import Case, Referral
from arrears.routing import Facts
from arrears.services import cases as svc
from arrears.services import referrals
from arrears.workflow import CaseState
from partners import access
from partners.models import Agreement, Destination, Municipality, Partner, RoutingRule
from tests.arrears.factories import checklist_done
from tests.partners.factories import Api

TODAY = timezone.localdate()
STEP_FIELDS = [field for field, _label in checklist.ITEMS.values()]


# --- The property: no decision signals without the four steps and no objection ---------------------

thresholds = st.one_of(st.none(), st.integers(min_value=0, max_value=400))
rules = st.builds(
    lambda position, match, amount, months, days, crisis, complete, destination, late: RoutingRule(
        pk=position + 1,
        position=position,
        name=f"Regel {position}",
        threshold_match=match,
        min_amount=None if amount is None else Decimal(amount),
        min_months_of_rent=None if months is None else Decimal(months) / 10,
        min_days_overdue=days,
        crisis=crisis,
        # every value, also the one clean() and the database refuse: the decision must hold anyway
        checklist_complete=complete,
        destination=destination,
        mark_late=late and destination == Destination.SOCIAL_SERVICE,
    ),
    st.integers(min_value=0, max_value=50),
    st.sampled_from(RoutingRule.Match.values),
    thresholds,
    thresholds,
    thresholds,
    st.sampled_from([None, True, False]),
    st.sampled_from([None, True, False]),
    st.sampled_from(Destination.values),
    st.booleans(),
)
agreements = st.builds(
    lambda destination, late_after: Agreement(
        pk=1,
        corporation=Partner(pk=1, name="Corporatie", kind=Partner.Kind.CORPORATION),
        social_service=Partner(pk=2, name="Sociale Dienst", kind=Partner.Kind.SOCIAL_SERVICE),
        municipality_id="0505",
        default_destination=destination,
        late_after_days=late_after,
    ),
    st.sampled_from(Destination.values),
    st.integers(min_value=0, max_value=400),
)
case_rows = st.fixed_dictionaries(
    {
        **{field: st.sampled_from([None, dt.date(2026, 10, 1)]) for field in STEP_FIELDS},
        "objection_on": st.sampled_from([None, None, None, dt.date(2026, 10, 2)]),
        "amount": st.integers(min_value=0, max_value=5000),
        "months_of_rent": st.integers(min_value=0, max_value=60),
        "days_overdue": st.integers(min_value=0, max_value=500),
        "crisis": st.booleans(),
    }
)


def facts_of(row):
    """Facts exactly as ``routing.load_facts`` builds them from a case's row."""
    return Facts(
        amount=Decimal(row["amount"]),
        months_of_rent=Decimal(row["months_of_rent"]) / 10,
        days_overdue=row["days_overdue"],
        crisis=row["crisis"],
        checklist_complete=checklist.is_complete(row),
        objection_on=row["objection_on"],
        municipality_id="0505",
        missing=tuple(checklist.missing(row)),
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=case_rows, agreement=agreements, rule_list=st.lists(rules, max_size=6))
def test_no_decision_signals_without_the_four_steps_and_no_objection(row, agreement, rule_list):
    decision = routing.decide(facts_of(row), agreement, rule_list, "Dordrecht")
    if decision.signals:
        assert all(row[field] for field in STEP_FIELDS) and row["objection_on"] is None, decision.reason
        gate.require_entry(row, to_partner_id=agreement.social_service_id)  # and applying it passes
    else:
        assert decision.social_service_id is None and not decision.late


@given(row=case_rows, agreement=agreements, rule_list=st.lists(rules, max_size=6))
@settings(max_examples=300, deadline=None)
def test_rules_only_add_conditions_to_the_gate(row, agreement, rule_list):
    """With the steps recorded and no objection, a rule to the social service whose own conditions hold
    does signal (the gate is not stricter than the law: it only never opens without the steps)."""
    row = {**row, **checklist_done(), "objection_on": None}
    facts = facts_of(row)
    decision = routing.decide(facts, agreement, rule_list, "Dordrecht")
    first = next((r for r in rule_list if routing.rule_conditions_hold(r, facts)), None)
    if first is not None:
        assert decision.destination == first.destination
        assert decision.rule_id == first.pk


# --- The property through the services: rules, referrals and consent over time ---------------------
#
# The pure properties above hold the routing decision. This one drives a case through the real services
# — checklist steps, an objection, referrals to two social services (pending, accepted, declined),
# consent withdrawn, nightly routing, a manual signal, re-routing, take-up — under generated rules, and
# after every step checks the access rows themselves: a social service that gains any access to the case,
# or gets it in its queue, does so only on a ground Besluit art. 2 allows *at that moment* (the four steps
# without objection, or a referral to that service with consent standing and no objection on or after
# it), and a service that sees the case only to answer a referral keeps seeing it only while that
# referral's consent stands.

DAYS_AGO = st.sampled_from([0, 1, 3])
SERVICES = st.sampled_from(["sd", "sd2"])
operations = st.one_of(
    st.tuples(st.just("step"), st.sampled_from(list(checklist.ITEMS)), DAYS_AGO),
    st.tuples(st.just("object"), DAYS_AGO),
    st.tuples(st.just("refer"), SERVICES, DAYS_AGO),
    st.tuples(st.just("accept"), SERVICES),
    st.tuples(st.just("decline"), SERVICES),
    st.tuples(st.just("withdraw_consent"), DAYS_AGO),
    st.tuples(st.just("route")),
    st.tuples(st.just("signal")),
    st.tuples(st.just("reroute"), st.sampled_from(["sd", "sd2", "corp"])),
    st.tuples(st.just("take_up")),
)
# rules the model and the database accept (the pure property above also feeds the ones they refuse)
stored_rules = st.lists(
    st.tuples(
        thresholds,
        st.sampled_from([None, True, False]),
        st.sampled_from([None, True]),
        st.sampled_from(Destination.values),
        st.booleans(),
    ),
    max_size=3,
)


def _lawful(case, service) -> bool:
    """Besluit art. 2, restated for the test: the four steps without objection, or a warm handover to
    ``service`` (pending or accepted) with consent standing and no objection on or after it."""
    case.refresh_from_db()
    if all(getattr(case, field) for field in STEP_FIELDS) and case.objection_on is None:
        return True
    return any(
        referral.consent_withdrawn_on is None and not (case.objection_on and case.objection_on >= referral.consent_on)
        for referral in case.referrals.filter(
            to_partner=service, status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]
        )
    )


@pytest.fixture
def second_service(world):
    """A second social service corporation A has an agreement with (for another municipality), and its
    caseworker."""
    from tests.partners.factories import AgreementFactory, MembershipFactory, SocialServiceFactory, UserFactory

    other = SocialServiceFactory(slug="sd2", name="Tweede Dienst")
    AgreementFactory(
        corporation=world.corp_a, municipality=Municipality.objects.create(code="0590"), social_service=other
    )
    dave = MembershipFactory(user=UserFactory(username="dave"), partner=other, role="caseworker").user
    return other, dave


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# what it found: a referral made on a consent the objection overrides; an objection after a referral
@example(steps=[("object", 0), ("refer", "sd", 0)], rule_specs=[], default=Destination.CORPORATION, days=40)
@example(steps=[("refer", "sd", 3), ("object", 0)], rule_specs=[], default=Destination.CORPORATION, days=40)
@given(
    steps=st.lists(operations, min_size=1, max_size=8),
    rule_specs=stored_rules,
    default=st.sampled_from(Destination.values),
    days=st.sampled_from([40, 130]),
)
def test_no_social_service_gets_a_case_without_the_art2_ground_by_any_path(
    world, second_service, steps, rule_specs, default, days
):
    from django.db import transaction

    from partners.errors import DomainError
    from tests.arrears.factories import flagged_case

    sd2, dave = second_service
    services = {"sd": (world.sd, world.charlie), "sd2": (sd2, dave)}
    with transaction.atomic():
        agreement = world.corp_a.agreements.get(social_service=world.sd)
        agreement.default_destination = default
        agreement.save()
        for position, (amount, crisis, complete, destination, late) in enumerate(rule_specs):
            RoutingRule.objects.create(
                agreement=agreement,
                position=position,
                name=f"Regel {position}",
                min_days_overdue=amount,
                crisis=crisis,
                checklist_complete=complete,
                destination=destination,
                mark_late=late and destination == Destination.SOCIAL_SERVICE,
            )
        case = flagged_case(world.corp_a, days=days, household={"municipality": world.dordrecht})

        def seen():
            case.refresh_from_db()
            return {
                key: access.user_has_perm(worker, "view_case", case) for key, (_service, worker) in services.items()
            }, case.queue_partner_id

        def pending_to(service):
            return case.referrals.filter(to_partner=service, status=Referral.Status.PENDING).first()

        def queue_worker():
            case.refresh_from_db()
            return next((w for s, w in services.values() if s.pk == case.queue_partner_id), world.alice)

        before, queue_before = seen()
        done = []
        for op, *args in steps:
            try:
                if op == "step":
                    item, ago = args
                    svc.checklist_record(case=case.pk, by=world.alice, item=item, date=TODAY - dt.timedelta(ago))
                elif op == "object":
                    svc.objection_record(case=case.pk, by=world.alice, date=TODAY - dt.timedelta(args[0]))
                elif op == "refer":
                    service, _worker = services[args[0]]
                    consent_on = TODAY - dt.timedelta(args[1])
                    referrals.referral_create(case=case.pk, by=world.alice, to_partner=service, consent_on=consent_on)
                elif op in ("accept", "decline"):
                    service, worker = services[args[0]]
                    referral = pending_to(service)
                    if referral is None:
                        continue
                    if op == "accept":
                        referrals.referral_accept(referral=referral, by=worker)
                    else:
                        referrals.referral_decline(referral=referral, by=worker, reason="Geen plek")
                elif op == "withdraw_consent":
                    referrals.consent_withdraw(case=case.pk, by=world.alice, date=TODAY - dt.timedelta(args[0]))
                elif op == "route":
                    routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])
                elif op == "signal":
                    svc.case_signal(case=case.pk, by=world.alice)
                elif op == "reroute":
                    target = world.corp_a if args[0] == "corp" else services[args[0]][0]
                    svc.case_reroute(case=case.pk, by=queue_worker(), to_partner=target, reason="Met de hand")
                elif op == "take_up":
                    svc.case_take_up(case=case.pk, by=queue_worker())
                done.append((op, *args))
            except DomainError:
                done.append((op, *args, "refused"))
            after, queue_after = seen()
            for key, (service, _worker) in services.items():
                entered = (after[key] and not before[key]) or (queue_after == service.pk and queue_before != service.pk)
                if entered:
                    assert _lawful(case, service), (key, done)
                if after[key] and queue_after != service.pk:  # only to answer a referral
                    assert pending_to(service) is not None and _lawful(case, service), (key, done)
            before, queue_before = after, queue_after
        transaction.set_rollback(True)


# --- Every path into the queue ----------------------------------------------------------------------


@pytest.fixture
def late_rule(world):
    """The old demo's rule: more than 100 days, to the social service, marked late — no checklist condition."""
    return RoutingRule.objects.create(
        agreement=world.corp_a.agreements.get(),
        position=10,
        name="Meer dan 100 dagen",
        min_days_overdue=101,
        destination=Destination.SOCIAL_SERVICE,
        mark_late=True,
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_nightly_routing_and_route_case_keep_a_late_case_without_steps(world, flagged, late_rule):
    bulk = flagged(world.corp_a, days=130)
    one = flagged(world.corp_a, days=130)
    assert (
        routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[bulk.pk], updated_case_ids=[])["signalled"]
        == 0
    )
    one = svc.case_signal(case=one, by=world.alice)
    for case in Case.objects.filter(pk__in=[bulk.pk, one.pk]):
        assert (case.queue_partner, case.state, case.is_late) == (world.corp_a, CaseState.NEW, False)
        assert "Written reminder sent" in case.routing_reason and "Meer dan 100 dagen" in case.routing_reason


@pytest.mark.django_db
def test_applying_a_decision_checks_the_case_itself(world, flagged):
    """Even a decision to signal (e.g. from stale facts) cannot move a case the gate refuses."""
    case = flagged(world.corp_a, days=40)
    decision = routing.Decision(Destination.SOCIAL_SERVICE, Case.RoutingDecision.DEFAULT, "x", world.sd.pk)
    with pytest.raises(gate.GateClosed):
        routing.changes_for(decision, now=timezone.now(), moving=True, entering=[case])


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_manual_reroute_to_a_social_service_needs_the_steps(world, flagged):
    case = flagged(world.corp_a, days=130, **checklist_done(offered_to_share_on=None))
    with pytest.raises(gate.GateClosed, match="Offered to pass the details on"):
        svc.case_reroute(case=case, by=world.alice, to_partner=world.sd, reason="Direct doorsturen")
    assert Case.objects.get(pk=case.pk).queue_partner == world.corp_a
    # also from one social service to another: entering the other's queue is entering
    signalled = flagged(world.corp_a, queue_partner=world.sd)
    other = Partner.objects.create(slug="sd-elders", name="Elders", kind=Partner.Kind.SOCIAL_SERVICE)
    papendrecht = Municipality.objects.create(code="0590", name="Papendrecht")
    Agreement.objects.create(corporation=world.corp_a, municipality=papendrecht, social_service=other)
    with pytest.raises(gate.GateClosed):
        svc.case_reroute(case=signalled, by=world.charlie, to_partner=other, reason="Verhuisd")
    # with the four steps it goes
    case = Case.objects.get(pk=case.pk)
    case.offered_to_share_on = TODAY
    case.save()
    assert svc.case_reroute(case=case, by=world.alice, to_partner=world.sd, reason="Direct").queue_partner == world.sd


@pytest.mark.django_db
def test_manual_reroute_over_the_api_is_refused_without_the_steps(world, flagged):
    case = flagged(world.corp_a, days=130)
    response = Api(world.alice).post(
        reverse("api:case-reroute", args=[case.pk]), {"to_partner": "sd", "reason": "Direct"}, format="json"
    )
    assert response.status_code == 403, response.json()
    assert "Besluit art. 2" in response.json()["detail"]
    assert Case.objects.get(pk=case.pk).queue_partner == world.corp_a
    done = flagged(world.corp_a, days=130, **checklist_done())
    response = Api(world.alice).post(
        reverse("api:case-reroute", args=[done.pk]), {"to_partner": "sd", "reason": "Direct"}, format="json"
    )
    assert response.status_code == 200 and Case.objects.get(pk=done.pk).queue_partner == world.sd


@pytest.mark.django_db
def test_a_warm_handover_needs_consent_and_no_later_objection(world, flagged, people):
    case = flagged(world.corp_a, days=40)  # no steps: the consent is the legal ground
    referral = referrals.referral_create(case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    Case.objects.filter(pk=case.pk).update(objection_on=TODAY)  # the tenant withdrew (objection after consent)
    with translation.override("en"), pytest.raises(gate.GateClosed, match="consent"):
        referrals.referral_accept(referral=referral, by=world.charlie)
    Case.objects.filter(pk=case.pk).update(objection_on=None)
    referrals.referral_accept(referral=referral, by=world.charlie)
    assert Case.objects.get(pk=case.pk).queue_partner == world.sd


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_an_objection_overrides_a_waiting_referral_and_refuses_an_earlier_consent(world, flagged):
    case = flagged(world.corp_a, days=40)
    referral = referrals.referral_create(
        case=case, by=world.alice, to_partner=world.sd, consent_on=TODAY - dt.timedelta(days=2)
    )
    svc.objection_record(case=case.pk, by=world.alice, date=TODAY - dt.timedelta(days=1))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN and "objected on" in referral.decision_reason
    case.refresh_from_db()
    assert not case.warm_handover
    assert not access.user_has_perm(world.charlie, "view_case", case)  # the service no longer sees it
    event = case.events.get(kind="checklist", data__item="objection")
    assert event.data["withdrawn_referral_ids"] == [referral.pk]
    with pytest.raises(gate.GateClosed, match="needs its consent given after that day"):
        referrals.referral_create(case=case.pk, by=world.alice, to_partner=world.sd, consent_on=TODAY - dt.timedelta(1))
    # consent given after the objection is a way in, as the gate says
    later = referrals.referral_create(case=case.pk, by=world.alice, to_partner=world.sd, consent_on=TODAY)
    referrals.referral_accept(referral=later, by=world.charlie)
    assert Case.objects.get(pk=case.pk).queue_partner == world.sd


@pytest.mark.django_db
def test_the_platform_administrator_cannot_move_a_case_in_the_admin_without_the_steps(client, world, flagged):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    case = flagged(world.corp_a, days=130)
    client.force_login(root)
    url = reverse("admin:arrears_case_change", args=[case.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(queue_partner=world.sd.pk, state=CaseState.SIGNALLED)
    data.update({"events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0, "events-MIN_NUM_FORMS": 0})
    data["events-MAX_NUM_FORMS"] = 1000
    for key, value in list(data.items()):
        if hasattr(value, "isoformat"):
            data[key] = value.isoformat()
        if key.endswith("_at") and value:
            data.pop(key)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Besluit art. 2" in str(response.context["adminform"].form.errors)
    assert Case.objects.get(pk=case.pk).queue_partner == world.corp_a


# --- The seeded demo: nobody in a social service's queue without the steps, or a consented handover ----


@pytest.mark.django_db
def test_seeded_demo_has_no_signal_without_the_four_steps():
    call_command("seed_demo", households=600, casework_households=600, force=True, verbosity=0)
    consented = Referral.objects.filter(
        case=OuterRef("pk"),
        to_partner=OuterRef("queue_partner"),
        status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED],
        consent_on__isnull=False,
    )
    missing_step = Q()
    for field in STEP_FIELDS:
        missing_step |= Q(**{f"{field}__isnull": True})
    in_a_social_service_queue = Case.objects.filter(queue_partner__kind=Partner.Kind.SOCIAL_SERVICE).exclude(
        queue_partner=F("corporation")
    )
    assert in_a_social_service_queue.exists()
    unlawful = in_a_social_service_queue.filter(missing_step | Q(state=CaseState.SIGNALLED, objection_on__isnull=False))
    unlawful = unlawful.exclude(Exists(consented))
    assert list(unlawful.values_list("pk", "routing_decision", "routing_reason")) == []


def test_a_bypassing_rule_is_refused_by_the_model():
    rule = RoutingRule(name="Laat", destination=Destination.SOCIAL_SERVICE, checklist_complete=False)
    with pytest.raises(Exception, match=r"Besluit art\. 2"):
        rule.clean()
    RoutingRule(name="Blijft", destination=Destination.CORPORATION, checklist_complete=False).clean()
    RoutingRule(name="Signaal", destination=Destination.SOCIAL_SERVICE, checklist_complete=None).clean()


@pytest.mark.django_db(transaction=False)
def test_a_bypassing_rule_is_refused_by_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(
            agreement=world.corp_a.agreements.get(),
            name="Laat",
            destination=Destination.SOCIAL_SERVICE,
            checklist_complete=False,
        )
