"""What every case service does: lock the case with the version guard, find the partner the user acts
for, refuse what the workflow or the user's role does not allow, and :func:`record` the act (timeline, audit,
access)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from arrears import case_access
from arrears.models import Case, CaseEvent
from arrears.workflow import CORPORATION_STATES, TransitionNotAllowed, check_transition
from partners import access, audit, bounds
from partners.errors import Conflict, InvalidInput, NotAllowed
from partners.models import Partner, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db import models
    from django_stubs_ext import StrOrPromise

    from partners.models import Partner

WORK_ROLES = (Role.CASEWORKER, Role.MANAGER)


def lock_case(case: Case | int, expected_version: int | None = None) -> Case:
    """The case, re-read with a row lock; :class:`Conflict` when someone changed it since ``expected_version``."""
    pk = case.pk if isinstance(case, Case) else case
    locked = Case.objects.select_for_update().select_related("corporation", "queue_partner").get(pk=pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise Conflict(_("Someone else changed this case in the meantime. Reload the page and try again."))
    return locked


def save(case: Case, *fields: str) -> Case:
    """Save the changed fields and raise the version (the lost-update guard)."""
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    return case


def transition(case: Case, target: str) -> str:
    """Move the case to ``target`` if the workflow allows it; returns the previous state."""
    previous = case.state
    if previous != target:
        try:
            check_transition(previous, target)
        except TransitionNotAllowed as error:
            raise NotAllowed(str(error)) from error
        case.state = target
    return previous


def require_open(case: Case) -> None:
    if not case.is_open:
        raise NotAllowed(_("Case %(case)s is closed.") % {"case": case})


def require_corporation_queue(case: Case) -> None:
    if case.state not in CORPORATION_STATES:
        raise NotAllowed(
            _("Case %(case)s is with %(partner)s; this can only be done while the case is with the corporation.")
            % {"case": case, "partner": case.queue_partner}
        )


def allows(check: Callable[..., object], **kwargs: object) -> bool:
    """Whether a service's ``*_check`` lets this happen now. The case page offers an action only where
    its service would do it, so the page and the API follow one rule (the check), not two copies."""
    try:
        check(**kwargs)
    except (NotAllowed, Conflict):
        return False
    return True


def acting_partner(
    case: Case,
    by: User | AnonymousUser | None,
    *,
    queue: bool = False,
    corporation: bool = False,
    roles: Collection[str] = WORK_ROLES,
) -> Partner:
    """The partner ``by`` acts for on this case, or :class:`NotAllowed`.

    ``queue``: only for the partner whose queue the case is in; ``corporation``: only for the case's
    corporation; otherwise any partner that may work the case (a ``work_case`` permission).
    """
    if by is None or not by.is_authenticated:
        raise NotAllowed(_("Sign in first."))
    memberships = access.memberships_of(by)
    if corporation:
        candidates = [case.corporation_id]
    elif queue:
        candidates = [case.queue_partner_id]
    else:
        candidates = [case.queue_partner_id, case.corporation_id]
    for partner_id in candidates:
        if partner_id in memberships and Role(memberships[partner_id]) in roles:
            if not access.user_has_perm(by, case_access.WORK_CASE, case):
                break
            return case.corporation if partner_id == case.corporation_id else _partner(case, partner_id)
    raise NotAllowed(_("You cannot do this on case %(case)s.") % {"case": case})


def _partner(case: Case, partner_id: int) -> Partner:
    if partner_id == case.queue_partner_id:
        return case.queue_partner
    return Partner.objects.get(pk=partner_id)


def record(
    case: Case,
    *events: CaseEvent,
    by: User | AnonymousUser | None,
    partner: Partner | None,
    audited: bool = True,
    audit_obj: models.Model | None = None,
    audit_action: str = audit.Action.CHANGE,
    audit_detail: dict[str, object] | None = None,
    sync_access: bool = False,
) -> None:
    """Write one act to the case's history, the way every case service ends.

    In this order, inside the service's transaction: the timeline rows (``events``: unsaved
    :class:`~arrears.models.CaseEvent` objects; the case, the actor ``by`` and the ``partner`` are filled
    in here), the audit record of ``audit_obj`` (the case unless given; ``audited=False`` for an act the
    audit does not record), then, for an act that changes who may see the case (``sync_access``), its
    permission rows (:func:`arrears.case_access.sync_case_access`).
    """
    actor = by if by is not None and by.is_authenticated else None
    for event in events:
        event.case, event.actor, event.partner = case, actor, partner
        event.reason = (event.reason or "")[:500]
        event.save(force_insert=True)
    if audited:
        audit.record(
            user=by,
            action=audit_action,
            obj=audit_obj if audit_obj is not None else case,
            household_id=case.household_id,
            channel="service",
            detail=audit_detail,
            partner=partner,
        )
    if sync_access:
        case_access.sync_case_access(case_ids=[case.pk])


def business_date(value: object, field_label: StrOrPromise) -> dt.date:
    """A date within ``partners.bounds`` (every surface's dates pass here: pages, API, commands)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidInput(_("%(field)s: “%(value)s” is not a date.") % {"field": field_label, "value": value})
    if not bounds.is_business_date(value):
        raise InvalidInput(f"{field_label}: {bounds.DATE_RANGE_MESSAGE}")
    return value


def past_or_today(value: object, field_label: StrOrPromise) -> dt.date:
    """A business date that is not in the future."""
    value = business_date(value, field_label)
    if value > timezone.localdate():
        raise InvalidInput(
            _("%(field)s: %(date)s lies in the future.") % {"field": field_label, "date": value.strftime("%d-%m-%Y")}
        )
    return value


def required_text(value: str | None, field_label: StrOrPromise, max_length: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(_("%(field)s is required.") % {"field": field_label})
    return limited_text(text, field_label, max_length)


def limited_text(value: str | None, field_label: StrOrPromise, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise InvalidInput(
            _("%(field)s is %(length)s characters long; at most %(max)s are allowed.")
            % {"field": field_label, "length": len(text), "max": max_length}
        )
    return text
