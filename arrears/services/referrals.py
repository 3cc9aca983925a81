"""Referrals: a corporation hands a household over to a social service with its consent (a warm
handover, DDAS ``warmeOverdracht``); the social service accepts or declines; both sides see the status.

While a referral waits, the social service sees the case with the signal fields only and automatic
routing holds. Accepting puts the case in the social service's queue, taken up.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears import case_access, gate
from arrears.models import Case, CaseEvent, Referral
from arrears.services import base
from arrears.workflow import CORPORATION_STATES, CaseState
from partners import access, audit, webhooks
from partners.errors import InvalidInput, NotAllowed
from partners.models import Agreement

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from partners.models import Partner


def _lock_referral(referral: Referral, expected_version: int | None) -> tuple[Case, Referral]:
    case = base.lock_case(referral.case_id, expected_version)
    referral = Referral.objects.select_for_update().select_related("to_partner", "from_partner").get(pk=referral.pk)
    return case, referral


def _require_pending(referral: Referral) -> None:
    if referral.status != Referral.Status.PENDING:
        raise NotAllowed(_("This referral is already “%(status)s”.") % {"status": referral.get_status_display()})


def _referral_event(referral: Referral, reason: str = "") -> CaseEvent:
    """The timeline row of a referral's step (created, accepted, declined, withdrawn)."""
    return CaseEvent(
        kind=CaseEvent.Kind.REFERRAL,
        reason=reason,
        data={"referral_id": referral.pk, "status": referral.status, "to_partner_id": referral.to_partner_id},
    )


def referral_create_check(*, case: Case, by: User) -> Partner:
    """Who may refer the household now: the corporation, on an open case in its own queue, with no
    referral waiting for an answer — one warm handover at a time (the API let a second one go to
    another social service while the first was pending; the case page did not). Returns the partner."""
    partner = base.acting_partner(case, by, corporation=True)
    base.require_open(case)
    base.require_corporation_queue(case)
    pending = case.referrals.filter(status=Referral.Status.PENDING).select_related("to_partner").first()
    if pending is not None:
        raise NotAllowed(
            _("A referral to %(service)s is already waiting for an answer.") % {"service": pending.to_partner}
        )
    return partner


@transaction.atomic
def referral_create(
    *,
    case: Case | int,
    by: User,
    to_partner: Partner,
    consent_on: dt.date,
    consent_how: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Refer the household with its consent: given on ``consent_on``, ``consent_how`` (one of
    ``Referral.ConsentHow``; blank: not recorded, as before docs/adr/0084). A new consent ends a withdrawal
    recorded earlier (``Case.consent_withdrawn_on``)."""
    case = base.lock_case(case, expected_version)
    partner = referral_create_check(case=case, by=by)
    if not to_partner.is_social_service:
        raise NotAllowed(_("A household can only be referred to a social service."))
    if not Agreement.objects.filter(
        corporation_id=case.corporation_id, social_service=to_partner, is_active=True
    ).exists():
        raise NotAllowed(
            _("%(corporation)s has no active agreement with %(service)s.")
            % {"corporation": case.corporation, "service": to_partner}
        )
    consent_on = base.past_or_today(consent_on, _("Consent date"))
    # Besluit art. 2 (arrears.gate): a consent the household's objection overrides opens no way in, so it
    # starts no referral the service would see and could never accept.
    candidate = Referral(case=case, to_partner=to_partner, status=Referral.Status.PENDING, consent_on=consent_on)
    objection = case.objection_on
    if objection is not None and gate.consented_referral(case, to_partner_id=to_partner.pk, referral=candidate) is None:
        raise gate.GateClosed(
            _(
                "The household objected on %(objection)s: a warm handover needs its consent given after "
                "that day (Besluit art. 2), not on %(consent)s."
            )
            % {"objection": objection.strftime("%d-%m-%Y"), "consent": consent_on.strftime("%d-%m-%Y")}
        )
    if consent_how and consent_how not in Referral.ConsentHow.values:
        raise InvalidInput(_("How consent was given: “%(value)s” is not a way.") % {"value": consent_how})
    reason = base.limited_text(reason, _("Reason"), 2000)
    referral = Referral.objects.create(
        case=case,
        from_partner=partner,
        to_partner=to_partner,
        consent_on=consent_on,
        consent_how=consent_how or "",
        reason=reason,
        created_by=by,
    )
    case.warm_handover = True
    case.consent_withdrawn_on = None
    base.save(case, "warm_handover", "consent_withdrawn_on")
    base.record(
        case,
        _referral_event(referral, reason),
        by=by,
        partner=partner,
        audit_obj=referral,
        audit_action=audit.Action.CREATE,
        sync_access=True,
    )
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral, by: User, reason: str = "", expected_version: int | None = None) -> Referral:
    case, referral = _lock_referral(referral, expected_version)
    partner = _receiving_partner(referral, by)
    _require_pending(referral)
    base.require_open(case)
    if case.state not in CORPORATION_STATES and case.queue_partner_id != referral.to_partner_id:
        raise NotAllowed(
            _("Case %(case)s is meanwhile with %(partner)s.") % {"case": case, "partner": case.queue_partner}
        )
    now = timezone.now()
    reason = base.limited_text(reason, _("Reason"), 2000)
    referral.status, referral.decided_by, referral.decided_at = Referral.Status.ACCEPTED, by, now
    referral.decision_reason = reason
    referral.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    others = case.referrals.filter(status=Referral.Status.PENDING).exclude(pk=referral.pk)
    others.update(
        status=Referral.Status.WITHDRAWN,
        decided_at=now,
        decision_reason=_("Accepted by %(service)s.") % {"service": referral.to_partner},
    )
    gate.require_entry(case, to_partner_id=referral.to_partner_id, referral=referral)  # consent, no objection
    previous = base.transition(case, CaseState.TAKEN_UP)
    case.queue_partner = referral.to_partner
    case.signalled_at = case.signalled_at or now
    case.taken_up_at = now
    case.assignee = by
    case.warm_handover = True
    case.routing_decision, case.routing_rule = Case.RoutingDecision.REFERRAL, None
    case.routing_reason = (_("Warm handover accepted by %(service)s.") % {"service": referral.to_partner})[:300]
    case.routed_at = now
    case.escalated_at, case.escalation_reason = None, ""
    base.save(
        case,
        "state",
        "queue_partner",
        "signalled_at",
        "taken_up_at",
        "assignee",
        "warm_handover",
        "routing_decision",
        "routing_rule",
        "routing_reason",
        "routed_at",
        "escalated_at",
        "escalation_reason",
    )
    base.record(
        case,
        _referral_event(referral, reason),
        CaseEvent(kind=CaseEvent.Kind.STATE, from_state=previous, to_state=case.state, reason=case.routing_reason),
        by=by,
        partner=partner,
        audit_obj=referral,
        sync_access=True,
    )
    _emit_answered(case, referral)
    return referral


def _emit_answered(case: Case, referral: Referral) -> None:
    ids = {"case_id": case.pk, "referral_id": referral.pk, "status": referral.status}
    webhooks.emit(webhooks.partners_of(case) | {referral.to_partner_id}, "referral.answered", ids)


@transaction.atomic
def referral_decline(*, referral: Referral, by: User, reason: str, expected_version: int | None = None) -> Referral:
    case, referral = _lock_referral(referral, expected_version)
    partner = _receiving_partner(referral, by)
    _require_pending(referral)
    reason = base.required_text(reason, _("Reason"), 2000)
    _decide(case, referral, by, partner, Referral.Status.DECLINED, reason)
    _emit_answered(case, referral)
    return referral


@transaction.atomic
def referral_withdraw(
    *, referral: Referral, by: User, reason: str = "", expected_version: int | None = None
) -> Referral:
    case, referral = _lock_referral(referral, expected_version)
    if referral.from_partner_id != case.corporation_id:
        raise NotAllowed(_("You cannot do this on case %(case)s.") % {"case": case})
    partner = base.acting_partner(case, by, corporation=True)
    _require_pending(referral)
    reason = base.limited_text(reason, _("Reason"), 2000)
    _decide(case, referral, by, partner, Referral.Status.WITHDRAWN, reason)
    return referral


def _consented(case: Case) -> QuerySet[Referral]:
    """The case's referrals whose consent stands: pending or accepted, consent not withdrawn."""
    return case.referrals.filter(
        status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED], consent_withdrawn_on__isnull=True
    )


def consent_withdraw_check(*, case: Case, by: User) -> Partner:
    """Who may record that the household withdrew its consent to a warm handover (or objected to the
    sharing after it, AVG art. 21): the corporation, or the social service the case is with, on an open
    case with a consent that stands. Returns the acting partner."""
    partner = base.acting_partner(case, by)
    base.require_open(case)
    if not _consented(case).exists():
        raise NotAllowed(_("Case %(case)s has no warm handover with a consent that stands.") % {"case": case})
    return partner


@transaction.atomic
def consent_withdraw(*, case: Case | int, by: User, date: dt.date, expected_version: int | None = None) -> Case:
    """The household withdrew its consent on ``date`` (docs/adr/0084-consent-over-time.md). From then on
    the consent opens no way in (``arrears.gate``); a referral still waiting on it is withdrawn; a social
    service that has the case only through it reads what the signal carries (``case_access.CONSENT_LOST``).
    Both partners see it on the timeline; access is re-synced."""
    case = base.lock_case(case, expected_version)
    partner = consent_withdraw_check(case=case, by=by)
    date = base.past_or_today(date, _("Consent withdrawn on"))
    consented = list(_consented(case).select_for_update())
    now = timezone.now()
    reason = _("The household withdrew its consent to the warm handover on %(date)s.") % {
        "date": date.strftime("%d-%m-%Y")
    }
    for referral in consented:
        referral.consent_withdrawn_on = date
        fields = ["consent_withdrawn_on"]
        if referral.status == Referral.Status.PENDING:
            referral.status, referral.decided_by, referral.decided_at = Referral.Status.WITHDRAWN, by, now
            referral.decision_reason = reason
            fields += ["status", "decided_by", "decided_at", "decision_reason"]
        referral.save(update_fields=fields)
    case.consent_withdrawn_on = date
    case.warm_handover = case.referrals.filter(status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]).exists()
    base.save(case, "consent_withdrawn_on", "warm_handover")
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.REFERRAL,
            shared=True,
            reason=reason,
            data={
                "consent_withdrawn_on": date.isoformat(),
                "referral_ids": [referral.pk for referral in consented],
                "status": "consent_withdrawn",
            },
        ),
        by=by,
        partner=partner,
        audit_detail={"consent_withdrawn_on": date.isoformat()},
        sync_access=True,
    )
    return case


def _receiving_partner(referral: Referral, by: User) -> Partner:
    if access.role_in(by, referral.to_partner_id) not in base.WORK_ROLES or not access.user_has_perm(
        by, case_access.VIEW_CASE, referral.case
    ):
        raise NotAllowed(_("Only %(service)s can answer this referral.") % {"service": referral.to_partner})
    return referral.to_partner


def _decide(case: Case, referral: Referral, by: User, partner: Partner, status: str, reason: str) -> None:
    referral.status, referral.decided_by, referral.decided_at = status, by, timezone.now()
    referral.decision_reason = reason
    referral.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    case.warm_handover = case.referrals.filter(status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]).exists()
    base.save(case, "warm_handover")
    base.record(case, _referral_event(referral, reason), by=by, partner=partner, audit_obj=referral, sync_access=True)
