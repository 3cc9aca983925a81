import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arrears import checklist, routing
from arrears.models import Case, CaseEvent
from arrears.routing import Facts
from arrears.selectors import case_list
from arrears.workflow import CaseState
from ledger.models import ArrearsState
from partners.models import AuditEvent, Destination, Municipality, RoutingRule
from tests.arrears.factories import checklist_done
from tests.partners.factories import RoutingRuleFactory

pytestmark = pytest.mark.django_db
KINDS = Case.RoutingDecision


# --- The decision, rule by rule (pure) -----------------------------------------------------------


@pytest.fixture
def agreement(world):
    """corp A → sd for Dordrecht with the issue's example rules."""
    agreement = world.corp_a.agreements.get()
    RoutingRuleFactory(agreement=agreement, position=1, name="Meer dan 100 dagen", min_days_overdue=101, mark_late=True)
    RoutingRuleFactory(
        agreement=agreement,
        position=2,
        name="Twee maanden of 60 dagen",
        min_months_of_rent=Decimal("2"),
        min_days_overdue=60,
        checklist_complete=True,
    )
    RoutingRuleFactory(agreement=agreement, position=3, name="Ontruiming", crisis=True)
    return agreement


def _decide(agreement, **facts):
    defaults = {"municipality_id": "0505", "missing": ("Persoonlijk contact",)}
    rules = list(agreement.rules.filter(is_active=True).order_by("position", "id")) if agreement else None
    return routing.decide(Facts(**{**defaults, **facts}), agreement, rules, "Dordrecht")


@pytest.mark.parametrize(
    ("facts", "destination", "kind", "rule", "late"),
    [
        # the first matching rule wins, in order
        ({"days_overdue": 130, "months_of_rent": Decimal("3"), "checklist_complete": True}, "ss", KINDS.RULE, 1, True),
        ({"days_overdue": 101, "checklist_complete": True}, "ss", KINDS.RULE, 1, True),
        # Besluit art. 2: a rule to the social service waits for the checklist, late or not (it is named)
        ({"days_overdue": 101}, "corp", KINDS.RULE, 1, False),
        # thresholds are "any" by default; the checklist condition must hold too
        ({"days_overdue": 60, "checklist_complete": True}, "ss", KINDS.RULE, 2, False),
        ({"months_of_rent": Decimal("2.5"), "checklist_complete": True}, "ss", KINDS.RULE, 2, False),
        ({"days_overdue": 60, "checklist_complete": False}, "corp", KINDS.DEFAULT, None, False),
        # crisis rule without thresholds
        ({"days_overdue": 35, "crisis": True, "checklist_complete": True}, "ss", KINDS.RULE, 3, False),
        ({"days_overdue": 35, "crisis": True}, "corp", KINDS.RULE, 3, False),
        # default: signal once the checklist is complete, else wait for it
        ({"days_overdue": 35, "checklist_complete": True}, "ss", KINDS.DEFAULT, None, False),
        ({"days_overdue": 35}, "corp", KINDS.DEFAULT, None, False),
        # an objection beats every rule
        (
            {"days_overdue": 130, "crisis": True, "objection_on": dt.date(2026, 11, 1)},
            "corp",
            KINDS.OBJECTION,
            None,
            False,
        ),
    ],
)
def test_decision_table(agreement, world, facts, destination, kind, rule, late):
    decision = _decide(agreement, **facts)
    assert decision.destination == (Destination.SOCIAL_SERVICE if destination == "ss" else Destination.CORPORATION)
    assert decision.social_service_id == (world.sd.pk if destination == "ss" else None)
    assert decision.kind == kind
    assert decision.rule_id == (agreement.rules.get(position=rule).pk if rule else None)
    assert decision.late is late
    assert decision.reason


def test_all_thresholds_must_hold_when_the_rule_says_all(agreement):
    rule = agreement.rules.get(position=2)
    rule.threshold_match = RoutingRule.Match.ALL
    rule.save()
    assert _decide(agreement, days_overdue=60, checklist_complete=True).kind == KINDS.DEFAULT
    both = _decide(agreement, days_overdue=60, months_of_rent=Decimal("2"), checklist_complete=True)
    assert (both.kind, both.rule_id) == (KINDS.RULE, rule.pk)


def test_inactive_rules_and_a_rule_keeping_the_case(agreement):
    agreement.rules.filter(position=1).update(is_active=False)
    RoutingRuleFactory(agreement=agreement, position=0, name="Klein bedrag", min_amount=None, destination="corporation")
    keep = _decide(agreement, days_overdue=130, checklist_complete=True)
    assert (keep.destination, keep.kind) == (Destination.CORPORATION, KINDS.RULE)
    assert "Klein bedrag" in keep.reason


def test_default_marks_late_after_the_agreements_limit(agreement):
    agreement.rules.all().delete()
    decision = _decide(agreement, days_overdue=101, checklist_complete=True)
    assert decision.signals and decision.late
    assert "100" in decision.reason
    assert not _decide(agreement, days_overdue=100, checklist_complete=True).late


def test_default_can_keep_everything_with_the_corporation(agreement):
    agreement.rules.all().delete()
    agreement.default_destination = Destination.CORPORATION
    assert _decide(agreement, checklist_complete=True).destination == Destination.CORPORATION
    agreement.default_destination = Destination.SOCIAL_SERVICE
    assert not _decide(agreement).signals  # the default waits for the checklist: there is no switch
    assert _decide(agreement, checklist_complete=True).signals


def test_a_rule_held_back_by_the_gate_says_what_is_missing(agreement):
    waiting = _decide(agreement, days_overdue=130, missing=("Persoonlijk contact", "Schriftelijke herinnering"))
    assert (waiting.destination, waiting.late) == (Destination.CORPORATION, False)
    assert "Meer dan 100 dagen" in waiting.reason and "Schriftelijke herinnering" in waiting.reason


def test_uncovered_or_unknown_municipality_stays_with_a_reason():
    uncovered = _decide(None, municipality_id="0590")
    assert (uncovered.destination, uncovered.kind) == (Destination.CORPORATION, KINDS.NO_AGREEMENT)
    assert "Dordrecht" in uncovered.reason  # the name given for the municipality
    unknown = _decide(None, municipality_id=None)
    assert unknown.kind == KINDS.NO_AGREEMENT and unknown.reason != uncovered.reason


def test_a_late_mark_needs_a_signal():
    rule = RoutingRule(name="x", destination=Destination.CORPORATION, mark_late=True)
    with pytest.raises(Exception, match="late"):
        rule.clean()


# --- route_flagged_cases: the import's seam, in bulk ----------------------------------------------


def test_route_flagged_cases_routes_in_bulk_and_grants_access(world, flagged, agreement):
    papendrecht = Municipality.objects.create(code="0590", name="Papendrecht")
    signal = flagged(world.corp_a, days=70, **checklist_done())
    late = flagged(world.corp_a, days=130, **checklist_done())
    late_without_steps = flagged(world.corp_a, days=130)  # Besluit art. 2: late does not waive the steps
    waiting = flagged(world.corp_a, days=40)
    uncovered = flagged(world.corp_a, days=70, household={"municipality": papendrecht}, **checklist_done())
    objected = flagged(world.corp_a, days=130, objection_on=dt.date(2026, 11, 3))
    ids = [signal.pk, late.pk, late_without_steps.pk, waiting.pk, uncovered.pk, objected.pk]

    result = routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=ids, updated_case_ids=[])

    assert result == {"signalled": 2, "stayed": 4, "skipped": 0}
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids)}
    for case in (cases[signal.pk], cases[late.pk]):
        assert (case.state, case.queue_partner, case.routing_decision) == (CaseState.SIGNALLED, world.sd, KINDS.RULE)
        assert case.signalled_at and case.routed_at and case.version == 2
    assert cases[late.pk].is_late and cases[late.pk].routing_rule.position == 1
    assert cases[signal.pk].routing_rule.position == 2 and not cases[signal.pk].is_late
    for pk, kind in (
        (late_without_steps.pk, KINDS.RULE),
        (waiting.pk, KINDS.DEFAULT),
        (uncovered.pk, KINDS.NO_AGREEMENT),
        (objected.pk, KINDS.OBJECTION),
    ):
        assert (cases[pk].state, cases[pk].queue_partner, cases[pk].routing_decision) == (
            CaseState.NEW,
            world.corp_a,
            kind,
        )
        assert cases[pk].routing_reason  # never nowhere, never without a reason
    assert "Papendrecht" in cases[uncovered.pk].routing_reason
    held_back = cases[late_without_steps.pk]
    assert not held_back.is_late and str(checklist.label_for("pointed_to_help")) in held_back.routing_reason
    # timeline: opened + routed for each; audit for the two disclosed to the social service
    assert CaseEvent.objects.filter(case_id__in=ids, kind=CaseEvent.Kind.OPENED).count() == 6
    assert CaseEvent.objects.filter(case_id__in=ids, kind=CaseEvent.Kind.ROUTED).count() == 6
    assert set(AuditEvent.objects.filter(channel="routing").values_list("object_id", flat=True)) == {
        str(signal.pk),
        str(late.pk),
    }
    # the social service sees exactly the two signals; the corporation all five; bob none
    assert set(case_list(user=world.charlie)) == {cases[signal.pk], cases[late.pk]}
    assert case_list(user=world.alice).count() == 6
    assert case_list(user=world.bob).count() == 0


def test_a_second_run_changes_nothing(world, flagged, agreement):
    case = flagged(world.corp_a, days=40)
    routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[case.pk], updated_case_ids=[])
    events = CaseEvent.objects.count()
    case.refresh_from_db()
    routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])
    assert CaseEvent.objects.count() == events
    assert Case.objects.get(pk=case.pk).version == case.version


def test_updated_case_is_routed_once_its_arrears_cross_a_rule_and_the_gate(world, flagged, agreement):
    case = flagged(world.corp_a, days=40)
    routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[case.pk], updated_case_ids=[])
    case.signals.update(days_overdue=101)
    result = routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])
    assert result["signalled"] == 0  # rule 1 holds, the Besluit art. 2 steps do not yet
    assert Case.objects.get(pk=case.pk).routing_rule.position == 1
    Case.objects.filter(pk=case.pk).update(**checklist_done())
    result = routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])
    assert result["signalled"] == 1
    assert Case.objects.get(pk=case.pk).queue_partner == world.sd


@pytest.mark.parametrize(
    "held",
    [
        {"respite_until": timezone.localdate() + dt.timedelta(days=3)},
        {"routing_decision": KINDS.MANUAL},
        {"state": CaseState.IN_PROGRESS, "routing_decision": KINDS.MANUAL},
    ],
)
def test_respite_and_manual_routing_hold_flagging(world, flagged, agreement, held):
    case = flagged(world.corp_a, days=130, **held)
    result = routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])
    assert result == {"signalled": 0, "stayed": 0, "skipped": 1}
    assert Case.objects.get(pk=case.pk).queue_partner == world.corp_a


def test_cases_already_with_the_social_service_are_left_alone(world, flagged, agreement):
    case = flagged(world.corp_a, days=130, queue_partner=world.sd)
    routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[], updated_case_ids=[case.pk])
    assert Case.objects.get(pk=case.pk).version == 1


def test_reminder_date_from_the_ledger_ticks_the_checklist(world, flagged, agreement):
    case = flagged(world.corp_a, days=40)
    reminded = ArrearsState.objects.filter(tenancy__signals__case=case)
    assert reminded.update(reminder_date=dt.date(2026, 9, 20)) == 1  # signal's origin: 1-9-2026
    old = flagged(world.corp_a, days=40)
    reminded_before = ArrearsState.objects.filter(tenancy__signals__case=old)
    assert reminded_before.update(reminder_date=dt.date(2026, 8, 1)) == 1  # before the episode
    routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[case.pk, old.pk], updated_case_ids=[])
    assert Case.objects.get(pk=case.pk).reminder_sent_on == dt.date(2026, 9, 20)
    assert Case.objects.get(pk=old.pk).reminder_sent_on is None
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CHECKLIST)
    assert event.data["source"] == "ledger"


def test_only_the_importing_corporations_cases_are_routed(world, flagged, agreement):
    foreign = flagged(world.corp_b, days=130)
    result = routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[foreign.pk], updated_case_ids=[])
    assert result["signalled"] == 0
    assert Case.objects.get(pk=foreign.pk).queue_partner == world.corp_b


def test_inactive_agreement_or_social_service_means_no_agreement(world, flagged, agreement):
    case = flagged(world.corp_a, days=130)
    world.sd.is_active = False
    world.sd.save()
    routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=[case.pk], updated_case_ids=[])
    assert Case.objects.get(pk=case.pk).routing_decision == KINDS.NO_AGREEMENT


def test_query_count_does_not_grow_with_the_number_of_cases(world, flagged, agreement):
    def run(n):
        cases = [flagged(world.corp_a, days=40 + 30 * (i % 4), grant_access=False) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            routing.route_flagged_cases(
                corporation=world.corp_a, new_case_ids=[c.pk for c in cases], updated_case_ids=[]
            )
        return len(queries)

    run(4)  # creates the partner groups once
    assert run(40) == run(4)


def test_other_agreements_rules_do_not_apply(world, flagged, agreement):
    """corp B's agreement for Dordrecht has no rules: the default applies to its cases."""
    case = flagged(world.corp_b, days=130)
    routing.route_flagged_cases(corporation=world.corp_b, new_case_ids=[case.pk], updated_case_ids=[])
    case.refresh_from_db()
    assert case.routing_decision == KINDS.DEFAULT and case.queue_partner == world.corp_b


def test_batches_give_the_same_result_and_duplicates_count_once(world, flagged, agreement, monkeypatch):
    monkeypatch.setattr(routing, "BATCH", 2)
    cases = [flagged(world.corp_a, days=40 + 30 * (i % 4), **(checklist_done() if i == 3 else {})) for i in range(5)]
    ids = [c.pk for c in cases]
    result = routing.route_flagged_cases(corporation=world.corp_a, new_case_ids=ids + ids[:1], updated_case_ids=ids[:2])
    assert result == {"signalled": 1, "stayed": 4, "skipped": 0}  # only the 130 days' case (rule 1)
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.OPENED).count() == 5
    assert list(case_list(user=world.charlie)) == [Case.objects.get(pk=cases[3].pk)]
