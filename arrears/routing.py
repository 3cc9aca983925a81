"""Routing: which queue a case belongs in (docs/adr/0022, 0023). The one module that decides it.

A flagged case starts in the corporation's queue. Routing looks up the active (corporation,
municipality) :class:`~partners.models.Agreement` of the household's municipality and applies it:

1. the tenant objected → stays with the corporation (Besluit art. 2; no rule overrides this);
2. no active agreement (or no municipality known) → stays with the corporation;
3. the agreement's active rules, in order: the first that matches decides (destination, late mark);
4. none matches → the agreement's default.

The Besluit art. 2 gate (``arrears.gate``, docs/adr/0023) is part of every decision to signal: a rule
to the social service matches only when its own conditions hold *and* the four checklist steps are
recorded without objection, and the default signals only then. Until then the case stays with the
corporation with a reason that names the missing steps. Rules add conditions; they never remove the
gate, and a late mark never waives it. Applying a decision passes the gate once more
(:func:`changes_for`), so a decision to signal cannot move a case the gate would refuse.

A signal is marked *late* when its rule says so or when the arrears are older than the agreement's
``late_after_days`` (100). The decision, the rule and a reason in words are stored on the case and the
timeline. Decisions never pull a case out of a social service's queue (only an objection before take-up
does, in the objection service), never touch a case re-routed by hand, and are held while respite runs
or a referral waits for an answer.

The flagging step calls :func:`route_flagged_cases` inside the import's transaction; the services call
:func:`route_case` for one case (``case_signal``, a completed checklist).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from arrears import case_access, checklist, eviction, gate
from arrears.models import Case, CaseEvent, Referral
from arrears.workflow import CORPORATION_STATES, CaseState
from ledger.models import ArrearsState
from partners import audit, webhooks
from partners.models import Agreement, Destination, Municipality, RoutingRule

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from arrears.checklist import CaseOrRow
    from arrears.models import Case
    from partners.models import Partner

ZERO = Decimal("0")


@dataclass(frozen=True)
class Facts:
    """What routing looks at, for one case."""

    amount: Decimal = ZERO
    months_of_rent: Decimal = ZERO
    days_overdue: int = 0
    crisis: bool = False
    checklist_complete: bool = False
    objection_on: dt.date | None = None
    municipality_id: str | None = None
    missing: tuple[StrOrPromise, ...] = ()


@dataclass(frozen=True)
class Decision:
    destination: str  # partners.models.Destination
    kind: str  # Case.RoutingDecision
    reason: str
    social_service_id: int | None = None
    rule_id: int | None = None
    rule_name: str = ""
    late: bool = False

    @property
    def signals(self) -> bool:
        return self.destination == Destination.SOCIAL_SERVICE

    def event_data(self) -> dict[str, object]:
        return {
            "decision": self.kind,
            "destination": self.destination,
            "social_service_id": self.social_service_id,
            "rule_id": self.rule_id,
            "rule": self.rule_name,
            "late": self.late,
        }


# --- Deciding (pure) ------------------------------------------------------------------------------


def rule_conditions_hold(rule: RoutingRule, facts: Facts) -> bool:
    """The rule's own conditions: its filled-in thresholds (all / any), crisis and checklist conditions."""
    thresholds = [getattr(facts, field) >= minimum for field, minimum in rule.thresholds]
    if thresholds:
        met = all(thresholds) if rule.threshold_match == RoutingRule.Match.ALL else any(thresholds)
        if not met:
            return False
    if rule.crisis is not None and rule.crisis != facts.crisis:
        return False
    return rule.checklist_complete is None or rule.checklist_complete == facts.checklist_complete


def rule_matches(rule: RoutingRule, facts: Facts) -> bool:
    """The rule's conditions hold and, for a rule to the social service, so does the Besluit art. 2 gate:
    rules add conditions to the gate, never remove it."""
    if not rule_conditions_hold(rule, facts):
        return False
    return rule.destination != Destination.SOCIAL_SERVICE or gate.signal_allowed(facts)


def decide(
    facts: Facts, agreement: Agreement | None, rules: Iterable[RoutingRule] | None = None, municipality_name: str = ""
) -> Decision:
    """The routing decision for one case; ``rules``: the agreement's active rules in order."""
    kinds = Case.RoutingDecision
    if facts.objection_on:
        return Decision(
            Destination.CORPORATION,
            kinds.OBJECTION,
            _("The tenant objected on %(date)s: the case stays with the corporation.")
            % {"date": date_format(facts.objection_on, "d-m-Y")},
        )
    if agreement is None:
        if facts.municipality_id is None:
            reason = _("The household's municipality is unknown: the case stays with the corporation.")
        else:
            reason = _("No active agreement for %(municipality)s: the case stays with the corporation.") % {
                "municipality": municipality_name or facts.municipality_id
            }
        return Decision(Destination.CORPORATION, kinds.NO_AGREEMENT, reason)
    service = agreement.social_service
    waiting = None  # the first rule to the social service that only the gate holds back
    for rule in rules if rules is not None else agreement.rules.filter(is_active=True):
        if rule_matches(rule, facts):
            if rule.destination == Destination.SOCIAL_SERVICE:
                reason = _("Rule %(position)s “%(rule)s”: signal to %(service)s.")
            else:
                reason = _("Rule %(position)s “%(rule)s”: stays with the corporation.")
            return _decision(agreement, facts, rule.destination, kinds.RULE, reason, rule=rule)
        if waiting is None and rule.destination == Destination.SOCIAL_SERVICE and rule_conditions_hold(rule, facts):
            waiting = rule
    signal_by_default = agreement.default_destination == Destination.SOCIAL_SERVICE
    if not gate.signal_allowed(facts) and (waiting is not None or signal_by_default):
        missing = ", ".join(str(label) for label in facts.missing)
        if waiting is not None:
            reason = _(
                "Rule %(position)s “%(rule)s” applies, but the Besluit art. 2 checklist is not complete "
                "(%(missing)s): waiting before signalling to %(service)s."
            )
            return _decision(
                agreement, facts, Destination.CORPORATION, kinds.RULE, reason, rule=waiting, missing=missing
            )
        reason = _("Waiting for the Besluit art. 2 checklist (%(missing)s) before signalling to %(service)s.") % {
            "missing": missing,
            "service": service.name,
        }
        return Decision(Destination.CORPORATION, kinds.DEFAULT, reason)
    if not signal_by_default:
        return _decision(
            agreement,
            facts,
            Destination.CORPORATION,
            kinds.DEFAULT,
            _("Agreement default: stays with the corporation."),
        )
    reason = _("Checklist complete (Besluit art. 2): signal to %(service)s.")
    return _decision(agreement, facts, Destination.SOCIAL_SERVICE, kinds.DEFAULT, reason)


def _decision(
    agreement: Agreement,
    facts: Facts,
    destination: str,
    kind: str,
    reason: str,
    rule: RoutingRule | None = None,
    **values: object,
) -> Decision:
    signals = destination == Destination.SOCIAL_SERVICE
    if signals and not gate.signal_allowed(facts):  # unreachable by construction; a guard, not a branch
        raise gate.GateClosed(_("A routing decision to signal without the Besluit art. 2 checklist was refused."))
    late = signals and ((rule is not None and rule.mark_late) or facts.days_overdue > agreement.late_after_days)
    text = reason % {
        "position": getattr(rule, "position", ""),
        "rule": getattr(rule, "name", ""),
        "service": agreement.social_service.name,
        **values,
    }
    if late and rule is not None and rule.mark_late:
        text = _("%(reason)s Marked late.") % {"reason": text}
    elif late:
        text = _("%(reason)s Marked late (more than %(days)s days overdue).") % {
            "reason": text,
            "days": agreement.late_after_days,
        }
    return Decision(
        destination,
        kind,
        text,
        social_service_id=agreement.social_service_id if signals else None,
        rule_id=rule.pk if rule is not None else None,
        rule_name=rule.name if rule is not None else "",
        late=late,
    )


# --- Loading facts and agreements (set-based) ---------------------------------------------------

FACT_FIELDS = (
    "pk",
    "corporation_id",
    "queue_partner_id",
    "household_id",
    "state",
    "household__municipality_id",
    *eviction.FIELDS,
    "objection_on",
    "respite_until",
    "routing_decision",
    "routing_rule_id",
    "routing_reason",
    *(field for field, _label in checklist.ITEMS.values()),
)


def load_facts(case_queryset: QuerySet[Case]) -> dict[int, tuple[dict[str, Any], Facts]]:
    """``{case_id: (row, Facts)}`` in one query; amounts from the case's open signals."""
    open_signal = Q(signals__status="open")
    rows = case_queryset.annotate(
        f_amount=Sum("signals__amount", filter=open_signal),
        f_months=Max("signals__months_of_rent", filter=open_signal),
        f_days=Max("signals__days_overdue", filter=open_signal),
    ).values(*FACT_FIELDS, "f_amount", "f_months", "f_days")
    result = {}
    for row in rows:
        result[row["pk"]] = (
            row,
            Facts(
                amount=row["f_amount"] or ZERO,
                months_of_rent=row["f_months"] or ZERO,
                days_overdue=row["f_days"] or 0,
                crisis=eviction.is_crisis(row),
                checklist_complete=checklist.is_complete(row),
                objection_on=row["objection_on"],
                municipality_id=row["household__municipality_id"],
                missing=tuple(checklist.missing(row)),
            ),
        )
    return result


def load_agreements(pairs: Collection[tuple[int, str | None]]) -> dict[tuple[int, str | None], Agreement]:
    """Active agreements (with an active social service) for ``(corporation_id, municipality_id)`` pairs,
    their active rules prefetched in order."""
    corporations = {c for c, _m in pairs}
    municipalities = {m for _c, m in pairs if m}
    if not municipalities:
        return {}
    agreements = (
        Agreement.objects.filter(
            corporation_id__in=corporations,
            municipality_id__in=municipalities,
            is_active=True,
            social_service__is_active=True,
        )
        .select_related("social_service")
        .prefetch_related(
            Prefetch("rules", queryset=RoutingRule.objects.filter(is_active=True).order_by("position", "id"))
        )
    )
    return {(a.corporation_id, a.municipality_id): a for a in agreements}


def decide_many(facts_by_case: dict[int, tuple[dict[str, Any], Facts]]) -> dict[int, Decision]:
    pairs = {(row["corporation_id"], facts.municipality_id) for row, facts in facts_by_case.values()}
    agreements = load_agreements(pairs)
    names: dict[str | None, str] = dict(
        Municipality.objects.filter(pk__in={m for _c, m in pairs if m}).values_list("pk", "name")
    )
    decisions = {}
    for case_id, (row, facts) in facts_by_case.items():
        agreement = agreements.get((row["corporation_id"], facts.municipality_id))
        rules = list(agreement.rules.all()) if agreement is not None else None
        decisions[case_id] = decide(facts, agreement, rules, names.get(facts.municipality_id, ""))
    return decisions


# --- Applying -------------------------------------------------------------------------------------


def changes_for(
    decision: Decision, *, now: dt.datetime, moving: bool, entering: Iterable[CaseOrRow] = ()
) -> dict[str, Any]:
    """The Case field values a decision sets (both paths use this). ``entering``: the cases (or rows of
    their values) it moves into the social service's queue; each passes the Besluit art. 2 gate first."""
    if moving:
        for case in entering:
            gate.require_entry(case, to_partner_id=decision.social_service_id)
    values = {
        "routing_decision": decision.kind,
        "routing_rule_id": decision.rule_id,
        "routing_reason": decision.reason[:300],
        "routed_at": now,
        "is_late": decision.late,
    }
    if moving:
        values.update(
            queue_partner_id=decision.social_service_id,
            state=CaseState.SIGNALLED,
            signalled_at=now,
            taken_up_at=None,
            assignee_id=None,
            escalated_at=None,
            escalation_reason="",
        )
    return values


def _changed(row: dict[str, Any], decision: Decision) -> bool:
    return (row["routing_decision"], row["routing_rule_id"], row["routing_reason"]) != (
        decision.kind,
        decision.rule_id,
        decision.reason[:300],
    )


def routable(case_queryset: QuerySet[Case], *, today: dt.date) -> QuerySet[Case]:
    """Cases routing may move: open, in the corporation's own queue, not re-routed by hand, not in respite,
    no referral waiting for an answer (a warm handover under way)."""
    pending = Referral.objects.filter(case=OuterRef("pk"), status=Referral.Status.PENDING)
    return case_queryset.filter(state__in=CORPORATION_STATES, queue_partner=F("corporation")).exclude(
        Q(routing_decision=Case.RoutingDecision.MANUAL) | Q(respite_until__gte=today) | Q(Exists(pending))
    )


def reminders_from_ledger(case_ids: Iterable[int]) -> dict[int, dt.date]:
    """Fill ``reminder_sent_on`` from the ledger's reminder date (ArrearsState) where it is still empty.

    Only a reminder sent on or after the episode began counts. Set-based; returns ``{case_id: date}``
    for the cases it filled, so the caller can write their timeline rows.
    """
    empty = list(Case.objects.filter(pk__in=case_ids, reminder_sent_on__isnull=True).values_list("pk", flat=True))
    if not empty:
        return {}
    Case.objects.filter(pk__in=empty).update(reminder_sent_on=_ledger_reminder())
    filled = Case.objects.filter(pk__in=empty, reminder_sent_on__isnull=False).values_list("pk", "reminder_sent_on")
    return {pk: day for pk, day in filled if day is not None}  # not None: filtered above, said for the types


def _ledger_reminder() -> Subquery:
    """The first reminder date the ledger carries for the case's episode (on or after its start)."""
    return Subquery(
        ArrearsState.objects.filter(
            tenancy__signals__case=OuterRef("pk"),
            tenancy__signals__origin_date__lte=F("reminder_date"),
            reminder_date__isnull=False,
        )
        .order_by("reminder_date")
        .values("reminder_date")[:1]
    )


def ledger_reminder_date(case: Case) -> dt.date | None:
    """What :func:`reminders_from_ledger` would fill in for this case: the page offers it as the
    reminder step's date (the caseworker confirms it; docs/adr/0090)."""
    return Case.objects.filter(pk=case.pk).annotate(day=_ledger_reminder()).values_list("day", flat=True).first()


BATCH = 2000


@transaction.atomic
def route_flagged_cases(
    *, corporation: Partner, new_case_ids: Iterable[int], updated_case_ids: Iterable[int]
) -> dict[str, int]:
    """Route the cases flagging just opened or updated (called by flagging inside the import).

    ``new_case_ids``: cases just created for new episodes (state ``new``, corporation's queue);
    ``updated_case_ids``: open cases whose signal the import changed. Set-based throughout, per batch of
    2,000 cases: one query for the facts, one for the agreements, one UPDATE per distinct decision, bulk
    timeline, audit and permission rows. Returns counts: ``signalled``, ``stayed`` (a decision to stay,
    with its reason) and ``skipped`` (not routable now: with the social service, re-routed by hand, in
    respite, or a referral waiting).
    """
    new_ids = list(dict.fromkeys(new_case_ids))
    seen = set(new_ids)
    updated_ids = [pk for pk in dict.fromkeys(updated_case_ids) if pk not in seen]
    totals = {"signalled": 0, "stayed": 0, "skipped": 0}
    now, today = timezone.now(), timezone.localdate()
    for ids, new in ((new_ids, True), (updated_ids, False)):
        for start in range(0, len(ids), BATCH):
            counts = _route_batch(corporation, ids[start : start + BATCH], new=new, now=now, today=today)
            for key, value in counts.items():
                totals[key] += value
    return totals


def _route_batch(
    corporation: Partner, ids: list[int], *, new: bool, now: dt.datetime, today: dt.date
) -> dict[str, int]:
    if new:
        events = [
            CaseEvent(case_id=pk, kind=CaseEvent.Kind.OPENED, partner_id=corporation.pk, to_state=CaseState.NEW)
            for pk in ids
        ]
    else:
        # Lock the open cases users may be working on, in id order (no deadlocks with bulk services).
        ids = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        events = []
    for pk, day in reminders_from_ledger(ids).items():
        events.append(
            CaseEvent(
                case_id=pk,
                kind=CaseEvent.Kind.CHECKLIST,
                partner_id=corporation.pk,
                reason=_("Written reminder sent (from the ledger)."),
                data={"item": "reminder_sent", "date": day.isoformat(), "source": "ledger"},
            )
        )

    candidates = routable(Case.objects.filter(pk__in=ids, corporation=corporation), today=today)
    facts = load_facts(candidates)
    decisions = decide_many(facts)
    groups = defaultdict(list)
    signalled, audit_rows = 0, []
    for case_id, decision in decisions.items():
        row = facts[case_id][0]
        if not decision.signals and not _changed(row, decision):
            continue
        groups[decision].append(case_id)
        events.append(
            CaseEvent(
                case_id=case_id,
                kind=CaseEvent.Kind.ROUTED,
                partner_id=corporation.pk,
                from_state=row["state"],
                to_state=CaseState.SIGNALLED if decision.signals else row["state"],
                reason=decision.reason[:500],
                data=decision.event_data(),
            )
        )
        if decision.signals:
            signalled += 1
            audit_rows.append((case_id, row["household_id"]))
    for decision, case_ids in groups.items():
        entering = [facts[pk][0] for pk in case_ids] if decision.signals else ()
        changes = changes_for(decision, now=now, moving=decision.signals, entering=entering)
        Case.objects.filter(pk__in=case_ids).update(**changes, version=F("version") + 1, updated_at=now)
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    if audit_rows:
        audit.record_many(
            user=None,
            action=audit.Action.CHANGE,
            object_type="arrears.Case",
            rows=audit_rows,
            channel="routing",
            detail={"routed": "social_service"},
        )
    case_access.sync_case_access(case_ids=ids)
    if audit_rows:
        signalled_cases = Case.objects.filter(pk__in=[pk for pk, _household in audit_rows]).values_list(
            "pk", "corporation_id", "queue_partner_id"
        )
        webhooks.emit_many(
            "case.signalled", [((corp, queue), {"case_id": pk}) for pk, corp, queue in signalled_cases.order_by("pk")]
        )
    return {"signalled": signalled, "stayed": len(decisions) - signalled, "skipped": len(ids) - len(decisions)}


def route_case(case: Case, *, now: dt.datetime | None = None) -> tuple[Decision, bool]:
    """Decide for one (locked) case and set its fields; the calling service saves it, writes the timeline
    row and syncs access. Returns the decision and whether the case moved to the social service."""
    now = now or timezone.now()
    facts = load_facts(Case.objects.filter(pk=case.pk))
    row, case_facts = facts[case.pk]
    decision = decide_many({case.pk: (row, case_facts)})[case.pk]
    moving = decision.signals and case.state in CORPORATION_STATES
    for field, value in changes_for(decision, now=now, moving=moving, entering=[case]).items():
        setattr(case, field, value)
    if moving:  # sent once the calling service's transaction commits
        webhooks.emit(webhooks.partners_of(case), "case.signalled", {"case_id": case.pk})
    return decision, moving
