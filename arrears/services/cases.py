"""Case work: claim, assign, signal, re-route, take up, close (the contract in docs/architecture.md).

Every function takes keyword arguments, runs in one transaction, locks the case (``select_for_update``),
honours ``expected_version`` (:class:`~partners.errors.Conflict`), appends timeline rows, raises the
version and raises a :class:`~partners.errors.DomainError` with a message for the user. The contact
attempt, checklist, objection and payment-arrangement services live in ``services.casework`` and are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears import case_access, gate, outcomes, routing
from arrears.models import Case, CaseEvent, Referral
from arrears.services import base
from arrears.services._routing import ROUTING_FIELDS, routed
from arrears.services.casework import (
    checklist_check,
    checklist_record,
    checklist_record_steps,
    contact_attempt_record,
    eviction_date_record,
    eviction_step_check,
    eviction_step_record,
    objection_check,
    objection_record,
    payment_arrangement_check,
    payment_arrangement_record,
)
from arrears.workflow import CaseState
from partners import access, audit, webhooks
from partners.errors import Conflict, InvalidInput, NotAllowed
from partners.models import Agreement, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from partners.models import Partner

__all__ = [
    "case_assign",
    "case_bulk_assign",
    "case_claim",
    "case_close",
    "case_release",
    "case_release_check",
    "case_reroute",
    "case_signal",
    "case_take_up",
    "checklist_check",
    "checklist_record",
    "checklist_record_steps",
    "contact_attempt_record",
    "eviction_date_record",
    "eviction_step_check",
    "eviction_step_record",
    "objection_check",
    "objection_record",
    "payment_arrangement_check",
    "payment_arrangement_record",
]


# --- Who works it -----------------------------------------------------------------------------------


@transaction.atomic
def case_claim(*, case: Case | int, by: User, expected_version: int | None = None) -> Case:
    """``by`` takes the case from its queue (a case in the corporation's queue becomes *in progress*)."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, queue=True)
    base.require_open(case)
    if case.assignee_id == by.pk:
        return case
    if case.assignee_id is not None:
        raise Conflict(_("%(user)s already works on case %(case)s.") % {"user": case.assignee, "case": case})
    previous = base.transition(case, CaseState.IN_PROGRESS if case.state == CaseState.NEW else case.state)
    case.assignee = by
    base.save(case, "assignee", "state")
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.ASSIGNED,
            from_state=previous,
            to_state=case.state,
            data={"assignee_id": by.pk, "claimed": True},
        ),
        by=by,
        partner=partner,
        audit_detail={"claimed": True},
    )
    return case


def case_release_check(*, case: Case, by: User) -> Partner:
    """Who may release the case: its assignee, or a manager of the queue (the case page offered it
    to the assignee only)."""
    partner = base.acting_partner(case, by, queue=True)
    base.require_open(case)
    if case.assignee_id is None:
        raise NotAllowed(_("Nobody works on case %(case)s.") % {"case": case})
    if case.assignee_id != by.pk and access.role_in(by, partner.pk) != Role.MANAGER:
        raise NotAllowed(
            _("Only %(user)s or a manager can release case %(case)s.") % {"user": case.assignee, "case": case}
        )
    return partner


@transaction.atomic
def case_release(*, case: Case | int, by: User, expected_version: int | None = None) -> Case:
    """Give the case back to the queue (its assignee, or a manager of the queue)."""
    case = base.lock_case(case, expected_version)
    partner = case_release_check(case=case, by=by)
    previous = base.transition(case, CaseState.NEW if case.state == CaseState.IN_PROGRESS else case.state)
    released = case.assignee_id
    case.assignee = None
    base.save(case, "assignee", "state")
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.ASSIGNED,
            from_state=previous,
            to_state=case.state,
            data={"assignee_id": None, "released": released},
        ),
        by=by,
        partner=partner,
        audit_detail={"released": True},
    )
    return case


def _check_assignment(case_partner_id: int, assignee: User, by: User) -> None:
    if access.role_in(by, case_partner_id) != Role.MANAGER:
        raise NotAllowed(_("Only a manager can assign cases to others."))
    if access.role_in(assignee, case_partner_id) not in base.WORK_ROLES:
        raise NotAllowed(_("%(user)s does not work in this queue.") % {"user": assignee})


@transaction.atomic
def case_assign(*, case: Case | int, assignee: User, by: User, expected_version: int | None = None) -> Case:
    """A manager of the queue gives the case to a caseworker (or manager) of the same partner."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, queue=True)
    base.require_open(case)
    _check_assignment(case.queue_partner_id, assignee, by)
    if case.assignee_id == assignee.pk:
        return case
    previous = base.transition(case, CaseState.IN_PROGRESS if case.state == CaseState.NEW else case.state)
    case.assignee = assignee
    base.save(case, "assignee", "state")
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.ASSIGNED,
            from_state=previous,
            to_state=case.state,
            data={"assignee_id": assignee.pk},
        ),
        by=by,
        partner=partner,
        audit_detail={"assignee_id": assignee.pk},
    )
    return case


@transaction.atomic
def case_bulk_assign(*, cases: Iterable[Case | int], assignee: User, by: User) -> int:
    """Assign many cases at once (all or nothing); returns how many changed hands."""
    ids = sorted({case.pk if isinstance(case, Case) else case for case in cases})
    locked = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise NotAllowed(_("Some of these cases no longer exist."))
    visible = set(
        access.objects_for_user(by, case_access.WORK_CASE, Case.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    for case in locked:
        if case.pk not in visible:
            raise NotAllowed(_("You cannot do this on case %(case)s.") % {"case": case})
        base.require_open(case)
    for partner_id in {case.queue_partner_id for case in locked}:
        _check_assignment(partner_id, assignee, by)
    changing = [case for case in locked if case.assignee_id != assignee.pk]
    now = timezone.now()
    new_ids = [case.pk for case in changing if case.state == CaseState.NEW]
    other_ids = [case.pk for case in changing if case.state != CaseState.NEW]
    common = {"assignee": assignee, "version": F("version") + 1, "updated_at": now}
    Case.objects.filter(pk__in=new_ids).update(state=CaseState.IN_PROGRESS, **common)
    Case.objects.filter(pk__in=other_ids).update(**common)
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.ASSIGNED,
                actor=by,
                partner_id=case.queue_partner_id,
                from_state=case.state,
                to_state=CaseState.IN_PROGRESS if case.state == CaseState.NEW else case.state,
                data={"assignee_id": assignee.pk, "bulk": True},
            )
            for case in changing
        ]
    )
    audit.record_many(
        user=by,
        action=audit.Action.CHANGE,
        object_type="arrears.Case",
        rows=[(case.pk, case.household_id) for case in changing],
        channel="service",
        detail={"assignee_id": assignee.pk, "bulk": True},
    )
    return len(changing)


# --- Where it is ------------------------------------------------------------------------------------


@transaction.atomic
def case_signal(*, case: Case | int, by: User | None = None, expected_version: int | None = None) -> Case:
    """Apply the agreement's routing rules to the case now (a signal, or a visible reason to stay).

    ``by=None`` is the system. The decision and its reason are stored and put on the timeline either way.
    """
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, corporation=True) if by is not None else case.corporation
    base.require_open(case)
    base.require_corporation_queue(case)
    previous = case.state
    decision, _moved = routing.route_case(case)
    base.save(case, *ROUTING_FIELDS)
    routed(case, by, partner, decision, previous)
    return case


@transaction.atomic
def case_reroute(
    *, case: Case | int, by: User, to_partner: Partner, reason: str, expected_version: int | None = None
) -> Case:
    """Move the case by hand, with a reason: back to its corporation, or to a social service the
    corporation has an active agreement with, through the Besluit art. 2 gate (``arrears.gate``: the
    four steps without objection, or a consented referral to that service). Automatic routing leaves it
    there afterwards."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, queue=True)
    base.require_open(case)
    reason = base.required_text(reason, _("Reason"), 300)
    if to_partner.pk == case.queue_partner_id:
        raise NotAllowed(_("Case %(case)s is already with %(partner)s.") % {"case": case, "partner": to_partner})
    now = timezone.now()
    previous = case.state
    if to_partner.pk == case.corporation_id:
        base.transition(case, CaseState.NEW)
        case.is_late = False
    elif to_partner.is_social_service:
        if not Agreement.objects.filter(
            corporation_id=case.corporation_id, social_service=to_partner, is_active=True
        ).exists():
            raise NotAllowed(
                _("%(corporation)s has no active agreement with %(service)s.")
                % {"corporation": case.corporation, "service": to_partner}
            )
        gate.require_entry(case, to_partner_id=to_partner.pk)  # Besluit art. 2: no hand-made bypass
        base.transition(case, CaseState.SIGNALLED)
        case.signalled_at = now
    else:
        raise NotAllowed(_("A case can only go to its own corporation or to a social service."))
    case.queue_partner = to_partner
    case.taken_up_at = None if case.state == CaseState.SIGNALLED else case.taken_up_at
    case.assignee = None
    case.routing_decision = Case.RoutingDecision.MANUAL
    case.routing_rule = None
    case.routing_reason = reason
    case.routed_at = now
    case.escalated_at, case.escalation_reason = None, ""
    base.save(case, *ROUTING_FIELDS)
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.ROUTED,
            from_state=previous,
            to_state=case.state,
            reason=reason,
            data={"decision": Case.RoutingDecision.MANUAL, "to_partner_id": to_partner.pk},
        ),
        by=by,
        partner=partner,
        audit_detail={"rerouted_to": to_partner.pk},
        sync_access=True,
    )
    return case


@transaction.atomic
def case_take_up(*, case: Case | int, by: User, expected_version: int | None = None) -> Case:
    """The social service takes the signal up: it now sees the household in full and works the case."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, queue=True)
    if not partner.is_social_service:
        raise NotAllowed(_("Only the social service can take a signal up."))
    if case.state != CaseState.SIGNALLED:
        raise NotAllowed(
            _("Case %(case)s is “%(state)s”, not waiting to be taken up.")
            % {"case": case, "state": case.get_state_display()}
        )
    previous = base.transition(case, CaseState.TAKEN_UP)
    case.taken_up_at = timezone.now()
    case.assignee = case.assignee or by
    case.escalated_at, case.escalation_reason = None, ""
    base.save(case, "state", "taken_up_at", "assignee", "escalated_at", "escalation_reason")
    base.record(
        case,
        CaseEvent(kind=CaseEvent.Kind.STATE, from_state=previous, to_state=case.state),
        by=by,
        partner=partner,
        audit_detail={"taken_up": True},
        sync_access=True,
    )
    return case


@transaction.atomic
def case_close(
    *,
    case: Case | int,
    by: User,
    outcome: str = "",
    corporation_outcome: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """Close the case with the closer's outcome (``arrears.outcomes``): a social service with its DDAS
    final result (``outcome``), a corporation with its own outcome (``corporation_outcome``). Pending
    referrals are withdrawn, respite ends."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, queue=True)
    problems = outcomes.problems(partner, outcome=outcome, corporation_outcome=corporation_outcome)
    if problems:
        raise InvalidInput(" ".join(problems.values()))
    reason = base.limited_text(reason, _("Reason"), 500)
    previous = base.transition(case, CaseState.CLOSED)
    now = timezone.now()
    case.closed_at, case.outcome, case.corporation_outcome = now, outcome, corporation_outcome
    ended_respite = case.respite_until
    case.respite_until = None
    case.escalated_at, case.escalation_reason = None, ""
    base.save(case, "state", "closed_at", *outcomes.FIELDS, "respite_until", "escalated_at", "escalation_reason")
    withdrawn = list(case.referrals.filter(status=Referral.Status.PENDING).values_list("pk", flat=True))
    Referral.objects.filter(pk__in=withdrawn).update(
        status=Referral.Status.WITHDRAWN, decided_by=by, decided_at=now, decision_reason=_("The case was closed.")
    )
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.STATE,
            from_state=previous,
            to_state=case.state,
            reason=reason,
            data={
                "outcome": outcome,
                "corporation_outcome": corporation_outcome,
                "arrears_ended_on": case.arrears_ended_on.isoformat() if case.arrears_ended_on else None,
                "withdrawn_referrals": withdrawn,
                "respite_ended": ended_respite.isoformat() if ended_respite else None,
            },
            shared=partner.pk == case.corporation_id,
        ),
        by=by,
        partner=partner,
        audit_detail={"closed": outcome or corporation_outcome},
        sync_access=bool(withdrawn),  # a withdrawn referral takes the social service's view away
    )
    webhooks.emit(webhooks.partners_of(case), "case.closed", {"case_id": case.pk})
    return case
