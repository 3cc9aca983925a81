"""The work on a case before and after the signal: contact attempts, the Besluit art. 2 checklist, the
tenant's objection, the eviction track (its steps, the eviction date) and payment arrangements
(re-exported by ``services.cases``; a step that completes the checklist or makes a crisis routes the case
through ``services._routing``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arrears import checklist, gate, routing
from arrears.models import Case, CaseEvent, ContactAttempt, EvictionStep, PaymentArrangement, Referral
from arrears.services import base
from arrears.services._routing import route_if_due
from arrears.vocabularies import ContactKind, PartOfDay
from arrears.workflow import CORPORATION_STATES, CaseState
from partners import audit, webhooks
from partners.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from partners.models import Partner


@transaction.atomic
def contact_attempt_record(
    *,
    case: Case | int,
    by: User,
    kind: str,
    reached: bool,
    date: dt.date,
    part_of_day: str = "",
    outcome: str = "",
    expected_version: int | None = None,
) -> ContactAttempt:
    """Record a contact attempt (DDAS vocabulary). The corporation's first personal attempt ticks the
    checklist item and ends a "no contact attempt" escalation; a complete checklist routes the case."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by)
    base.require_open(case)
    if kind not in ContactKind.values:
        raise InvalidInput(_("Kind: “%(value)s” is not a contact kind.") % {"value": kind})
    if part_of_day and part_of_day not in PartOfDay.values:
        raise InvalidInput(_("Part of day: “%(value)s” is not a part of the day.") % {"value": part_of_day})
    date = base.past_or_today(date, _("Date"))
    outcome = base.limited_text(outcome, _("Outcome"), 500)
    attempt = ContactAttempt.objects.create(
        case=case,
        partner=partner,
        by=by,
        kind=kind,
        reached=bool(reached),
        date=date,
        part_of_day=part_of_day or "",
        outcome=outcome,
    )
    is_corporation = partner.pk == case.corporation_id
    fields = []
    if is_corporation and checklist.counts_as_personal_contact(kind) and not case.contact_attempted_on:
        case.contact_attempted_on = date
        fields.append("contact_attempted_on")
    if is_corporation and case.escalated_at and case.state in CORPORATION_STATES:
        case.escalated_at, case.escalation_reason = None, ""
        fields += ["escalated_at", "escalation_reason"]
    base.save(case, *fields)
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.CONTACT,
            shared=is_corporation,
            data={
                "contact_attempt_id": attempt.pk,
                "kind": kind,
                "reached": bool(reached),
                "date": date.isoformat(),
                "part_of_day": part_of_day or "",
                "checklist": "contact_attempted" in fields,
            },
        ),
        by=by,
        partner=partner,
        audit_obj=attempt,
        audit_action=audit.Action.CREATE,
    )
    if "contact_attempted_on" in fields:  # a checklist step: signal now, or say what is still missing
        route_if_due(case, by, partner)
    return attempt


def checklist_check(*, case: Case, by: User) -> Partner:
    """Who may record a checklist step now: the corporation, on an open case in its own queue. Once
    the case sits with a social service the steps that let it go there are history, not to be
    rewritten (the API allowed it while the case page did not). Returns the acting partner."""
    partner = base.acting_partner(case, by, corporation=True)
    base.require_open(case)
    base.require_corporation_queue(case)
    return partner


def respite_reason_required(case: Case, respite_reason: str) -> str:
    """During respite the corporation's own collection steps (a reminder, an eviction step) are refused
    unless it states why (docs/adr/0082-respite-handshake.md); the reason goes on the shared timeline
    event, so the social service sees it. Returns the cleaned reason ("" outside respite)."""
    if case.respite_until is None or not case.in_respite():
        return ""
    respite_reason = base.limited_text(respite_reason, _("Reason during respite"), 500)
    if not respite_reason:
        raise NotAllowed(
            _(
                "The household is in respite until %(date)s: collection is paused. State why this step "
                "cannot wait (the social service sees the reason)."
            )
            % {"date": case.respite_until.strftime("%d-%m-%Y")}
        )
    return respite_reason


#: The checklist item that is a collection step of the corporation's own (refused during respite
#: unless a reason is stated).
_COLLECTION_ITEMS = frozenset({"reminder_sent"})


@transaction.atomic
def checklist_record(
    *,
    case: Case | int,
    by: User,
    item: str,
    date: dt.date,
    respite_reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """The corporation records one Besluit art. 2 step (:func:`checklist_record_steps`)."""
    return checklist_record_steps(
        case=case, by=by, steps={item: date}, respite_reason=respite_reason, expected_version=expected_version
    )


@transaction.atomic
def checklist_record_steps(
    *,
    case: Case | int,
    by: User,
    steps: Mapping[str, dt.date],
    respite_reason: str = "",
    expected_version: int | None = None,
    evidence: Mapping[str, int | str] | None = None,
) -> Case:
    """The corporation records one or more Besluit art. 2 steps at once, each with its own date, in one
    transaction (all or none). Each step is a timeline row. Afterwards the case is routed by the rules
    where it may be (``route_if_due``): a complete checklist signals it, an incomplete one keeps the
    routing banner true (what is still missing). A reminder during respite needs a ``respite_reason``
    (``respite_reason_required``). ``evidence``: what proves the steps (e.g. ``{"letter_id": 7}``, the
    letter that took them, ``outreach.services.letter_send``), kept in each step's event data."""
    case = base.lock_case(case, expected_version)
    partner = checklist_check(case=case, by=by)
    if not steps:
        raise InvalidInput(_("Checklist: choose at least one step."))
    unknown = [item for item in steps if item not in checklist.ITEMS]
    if unknown:
        raise InvalidInput(
            _("Checklist item: “%(value)s” is not one of %(items)s.")
            % {"value": unknown[0], "items": ", ".join(checklist.ITEMS)}
        )
    needs_reason = any(item in _COLLECTION_ITEMS for item in steps)
    respite_reason = respite_reason_required(case, respite_reason) if needs_reason else ""
    dated = {item: base.past_or_today(date, checklist.label_for(item)) for item, date in steps.items()}
    events = []
    for item in checklist.ITEMS:  # the law's order, whatever order the caller gave
        if item not in dated:
            continue
        date, field = dated[item], checklist.field_for(item)
        previous = getattr(case, field)
        setattr(case, field, date)
        data = {"item": item, "date": date.isoformat(), "previous": previous.isoformat() if previous else None}
        data.update(evidence or {})
        reason = str(checklist.label_for(item))
        if respite_reason and item in _COLLECTION_ITEMS:
            data.update(in_respite=True, respite_reason=respite_reason)
            reason = _("%(step)s — during respite: %(reason)s") % {"step": reason, "reason": respite_reason}
        events.append((item, CaseEvent(kind=CaseEvent.Kind.CHECKLIST, shared=True, reason=reason, data=data)))
    # Written before routing, which reads the facts from the database; the version is raised once, by
    # routing's save or (when routing changes nothing) after it: one act, one version.
    case.save(update_fields=[checklist.field_for(item) for item in dated])
    for item, event in events:
        base.record(case, event, by=by, partner=partner, audit_detail={"checklist": item})
    if not route_if_due(case, by, partner):
        base.save(case)
    return case


def objection_check(*, case: Case, by: User) -> Partner:
    """Who may record the tenant's objection now: the corporation, on an open case, once. A second
    objection would overwrite the date of the first (the case page refused it, the API did not)."""
    partner = base.acting_partner(case, by, corporation=True)
    base.require_open(case)
    if case.objection_on:
        raise NotAllowed(
            _("The household's objection of %(date)s is already recorded.")
            % {"date": case.objection_on.strftime("%d-%m-%Y")}
        )
    return partner


@transaction.atomic
def objection_record(
    *, case: Case | int, by: User, date: dt.date, reason: str = "", expected_version: int | None = None
) -> Case:
    """The tenant objected to the signal: it blocks signalling. A signal not yet taken up comes back
    to the corporation; once taken up the household already works with the social service. A referral
    still waiting for an answer whose consent the objection overrides (given on or before its date,
    ``gate.consented_referral``) is withdrawn: the service it waits on no longer sees the case."""
    case = base.lock_case(case, expected_version)
    partner = objection_check(case=case, by=by)
    date = base.past_or_today(date, _("Objection date"))
    reason = base.limited_text(reason, _("Reason"), 500)
    previous = case.state
    case.objection_on = date
    fields = ["objection_on"]
    overridden = [
        referral
        for referral in case.referrals.select_for_update().filter(status=Referral.Status.PENDING)
        if gate.consented_referral(case, to_partner_id=referral.to_partner_id, referral=referral) is None
    ]
    for referral in overridden:
        referral.status, referral.decided_by, referral.decided_at = Referral.Status.WITHDRAWN, by, timezone.now()
        referral.decision_reason = _("The household objected on %(date)s.") % {"date": date.strftime("%d-%m-%Y")}
        referral.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if overridden:
        case.warm_handover = case.referrals.filter(
            status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]
        ).exists()
        fields.append("warm_handover")
    decision = routing.decide(routing.Facts(objection_on=date), None)
    if case.state in CORPORATION_STATES or case.state == CaseState.SIGNALLED:
        if case.state == CaseState.SIGNALLED:
            base.transition(case, CaseState.NEW)
            case.queue_partner, case.assignee = case.corporation, None
            case.is_late = False
            fields += ["state", "queue_partner", "assignee", "is_late"]
        case.routing_decision, case.routing_rule, case.routing_reason = decision.kind, None, decision.reason[:300]
        fields += ["routing_decision", "routing_rule", "routing_reason"]
    base.save(case, *fields)
    data: dict[str, object] = {"item": "objection", "date": date.isoformat()}
    if overridden:
        data["withdrawn_referral_ids"] = [referral.pk for referral in overridden]
    events = [CaseEvent(kind=CaseEvent.Kind.CHECKLIST, reason=reason, data=data)]
    if previous != case.state:
        events.append(
            CaseEvent(
                kind=CaseEvent.Kind.ROUTED,
                from_state=previous,
                to_state=case.state,
                reason=decision.reason,
                data=decision.event_data(),
            )
        )
    base.record(
        case,
        *events,
        by=by,
        partner=partner,
        audit_detail={"objection": date.isoformat()},
        sync_access=True,
    )
    return case


@transaction.atomic
def eviction_date_record(
    *, case: Case | int, by: User, date: dt.date | None, expected_version: int | None = None
) -> Case:
    """The corporation records (or clears, ``date=None``) an eviction date: the case is a crisis."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, corporation=True)
    base.require_open(case)
    if date is not None:
        date = base.business_date(date, _("Eviction date"))
    case.eviction_date = date
    base.save(case, "eviction_date")
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.SIGNAL,
            reason=_("Eviction date set: crisis.") if date else _("Eviction date removed."),
            data={"eviction_date": date.isoformat() if date else None},
        ),
        by=by,
        partner=partner,
        audit_detail={"eviction_date": bool(date)},
    )
    route_if_due(case, by, partner)
    return case


def eviction_step_check(*, case: Case, by: User) -> Partner:
    """Who may record an eviction step: the corporation (it brings the eviction), on an open case —
    also while a social service works it. Returns the acting partner."""
    partner = base.acting_partner(case, by, corporation=True)
    base.require_open(case)
    return partner


#: Steps that happened (not a date to come): their date may not lie in the future.
_PAST_STEPS = frozenset(
    {
        EvictionStep.Kind.SUMMONS,
        EvictionStep.Kind.JUDGMENT_GRANTED,
        EvictionStep.Kind.JUDGMENT_REFUSED,
        EvictionStep.Kind.EXECUTED,
        EvictionStep.Kind.CANCELLED,
    }
)

#: Steps that end the eviction track: the crisis fields are cleared (the steps stay as history).
_ENDING_STEPS = frozenset({EvictionStep.Kind.JUDGMENT_REFUSED, EvictionStep.Kind.EXECUTED, EvictionStep.Kind.CANCELLED})


@transaction.atomic
def eviction_step_record(
    *,
    case: Case | int,
    by: User,
    kind: str,
    date: dt.date,
    note: str = "",
    respite_reason: str = "",
    expected_version: int | None = None,
) -> EvictionStep:
    """The corporation records a step of a rent eviction. A judgment granting the eviction or an
    announced eviction (``date`` is then the eviction date) makes the case a crisis (``arrears.eviction``);
    a refusal, an executed or a cancelled eviction ends it. A crisis case is routed right away when the
    Besluit art. 2 steps allow (``route_if_due``). During respite the step is refused unless a
    ``respite_reason`` is stated; it is then on the shared event (``respite_reason_required``)."""
    case = base.lock_case(case, expected_version)
    partner = eviction_step_check(case=case, by=by)
    return _eviction_step(case, by=by, partner=partner, kind=kind, date=date, note=note, respite_reason=respite_reason)


@transaction.atomic
def eviction_step_import(
    *, case: Case | int, ledger_import_id: int, kind: str, date: dt.date, announced_on: dt.date | None = None
) -> EvictionStep | None:
    """A step the corporation's ledger export gives (``arrears.services.eviction_import``, docs/adr/0081):
    recorded as from the page — crisis fields, timeline, audit, same-day routing, webhook — for the
    corporation by nobody (``recorded_by`` empty), the note naming the import. ``None``, and nothing
    changes, when the case has a step of this kind and date already (the same file twice, or the next
    night's export repeating it). During respite the export cannot be refused (the corporation's own
    system took the step): the step is recorded with :data:`IMPORT_RESPITE_REASON`, flagged ``in_respite``
    on the shared event like a caseworker's stated reason, so the social service sees it."""
    case = base.lock_case(case)
    base.require_open(case)
    if case.eviction_steps.filter(kind=kind, date=date).exists():
        return None
    note = _("From ledger import #%(id)s") % {"id": ledger_import_id}
    if announced_on is not None:
        note += "; " + _("announced on %(date)s") % {"date": announced_on.strftime("%d-%m-%Y")}
    return _eviction_step(
        case,
        by=None,
        partner=case.corporation,
        kind=kind,
        date=date,
        note=note,
        respite_reason=str(IMPORT_RESPITE_REASON),
        data={"ledger_import_id": ledger_import_id},
    )


#: The reason an imported eviction step carries during respite.
IMPORT_RESPITE_REASON = gettext_lazy("recorded in the corporation's ledger export, not by a caseworker")


def _eviction_step(
    case: Case,
    *,
    by: User | None,
    partner: Partner,
    kind: str,
    date: dt.date,
    note: str,
    respite_reason: str,
    data: dict[str, object] | None = None,
) -> EvictionStep:
    """Record the step on the locked, checked case: the page's, the API's and the import's one path. During
    respite it needs ``respite_reason`` (``respite_reason_required``)."""
    if kind not in EvictionStep.Kind.values:
        raise InvalidInput(_("Step: “%(value)s” is not a step of an eviction.") % {"value": kind})
    label = EvictionStep.Kind(kind).label
    date = base.past_or_today(date, label) if kind in _PAST_STEPS else base.business_date(date, label)
    note = base.limited_text(note, _("Note"), 500)
    respite_reason = respite_reason_required(case, respite_reason)
    step = EvictionStep.objects.create(case=case, kind=kind, date=date, note=note, recorded_by=by, partner=partner)
    was_crisis = case.is_crisis
    if kind == EvictionStep.Kind.JUDGMENT_GRANTED:
        case.eviction_granted_on = date
    elif kind == EvictionStep.Kind.ANNOUNCED:
        case.eviction_date = date
    elif kind in _ENDING_STEPS:
        case.eviction_date = case.eviction_granted_on = None
    base.save(case, "eviction_date", "eviction_granted_on")
    data = {**(data or {}), "eviction_step_id": step.pk, "step": kind, "date": date.isoformat()}
    data["crisis"] = case.is_crisis
    reason = note
    if respite_reason:
        data.update(in_respite=True, respite_reason=respite_reason)
        reason = _("During respite: %(reason)s") % {"reason": respite_reason} + (f" — {note}" if note else "")
    base.record(
        case,
        CaseEvent(kind=CaseEvent.Kind.EVICTION, shared=True, reason=reason, data=data),
        by=by,
        partner=partner,
        audit_obj=step,
        audit_action=audit.Action.CREATE,
        audit_detail={"eviction_step": kind, "crisis": case.is_crisis, "was_crisis": was_crisis},
    )
    route_if_due(case, by, partner)
    webhooks.emit(
        webhooks.partners_of(case), "eviction.step_recorded", {"case_id": case.pk, "eviction_step_id": step.pk}
    )
    return step


def payment_arrangement_check(*, case: Case, by: User) -> Partner:
    """Who may record a payment arrangement: the corporation (it collects the rent), on an open case —
    also while a social service works the case. The social service could do it through the API
    while the case page never offered it."""
    partner = base.acting_partner(case, by, corporation=True)
    base.require_open(case)
    return partner


@transaction.atomic
def payment_arrangement_record(
    *,
    case: Case | int,
    by: User,
    monthly_amount: Decimal | str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PaymentArrangement:
    """Record a payment arrangement (the newest is the current one), visible to both partners."""
    case = base.lock_case(case, expected_version)
    partner = payment_arrangement_check(case=case, by=by)
    try:
        amount = Decimal(str(monthly_amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as error:
        raise InvalidInput(_("Monthly amount: “%(value)s” is not an amount.") % {"value": monthly_amount}) from error
    if amount <= 0:
        raise InvalidInput(_("Monthly amount: must be more than € 0,00."))
    start_date = base.business_date(start_date, _("Start date"))
    if end_date is not None:
        end_date = base.business_date(end_date, _("End date"))
    if end_date is not None and end_date < start_date:
        raise InvalidInput(_("End date: %(end)s lies before the start date.") % {"end": end_date.strftime("%d-%m-%Y")})
    note = base.limited_text(note, _("Note"), 2000)
    arrangement = PaymentArrangement.objects.create(
        case=case,
        partner=partner,
        created_by=by,
        monthly_amount=amount,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    base.save(case)
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.PAYMENT_ARRANGEMENT,
            data={
                "payment_arrangement_id": arrangement.pk,
                "monthly_amount": str(amount),
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat() if end_date else None,
            },
        ),
        by=by,
        partner=partner,
        audit_obj=arrangement,
        audit_action=audit.Action.CREATE,
    )
    return arrangement
