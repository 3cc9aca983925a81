"""Respite (respijt, docs/domain.md §6): the social service asks the corporation to pause collection.

A respite is a shared note with an end date (default ``TIJDIG["RESPITE_DEFAULT_DAYS"]``, at most
``TIJDIG["RESPITE_MAX_DAYS"]`` from the day it is granted or extended: docs/adr/0067); the case's
``respite_until`` always holds the current end. Extending or ending early takes a note too. While it
runs, escalation and re-routing by flagging are held; a reminder fires
``TIJDIG["RESPITE_REMINDER_WORKING_DAYS"]`` working days before it ends, and the beat job ends it the
day after its last day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from arrears import notifications
from arrears.models import Case, CaseEvent, Note
from arrears.services import base
from arrears.workdays import add_working_days
from partners import audit, webhooks
from partners.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from partners.models import Partner


def _social_service(case: Case, by: User) -> Partner:
    partner = base.acting_partner(case, by, queue=True)
    if not partner.is_social_service:
        raise NotAllowed(_("Only the social service working the case can grant respite."))
    return partner


def _dmy(day: dt.date) -> str:
    return date_format(day, "d-m-Y")


def max_days() -> int:
    """The longest respite, counted from the day it is granted or extended (``TIJDIG_RESPITE_MAX_DAYS``)."""
    days: int = settings.TIJDIG["RESPITE_MAX_DAYS"]
    return days


def latest_end(today: dt.date) -> dt.date:
    """The last day a respite granted or extended ``today`` may run to."""
    return today + dt.timedelta(days=max_days())


def _future(until: object, today: dt.date) -> dt.date:
    """The end of a respite: after today and at most :func:`max_days` ahead. The one rule for the page,
    the API and the demo alike: collection is paused for a period someone looks at again, never "until
    9999" (an extension, with its note, can always follow)."""
    if not isinstance(until, dt.date) or isinstance(until, dt.datetime):
        raise InvalidInput(_("Respite until: “%(value)s” is not a date.") % {"value": until})
    if until <= today:
        raise InvalidInput(_("Respite until: %(date)s is not after today.") % {"date": _dmy(until)})
    if until > latest_end(today):
        raise InvalidInput(
            _(
                "Respite until: %(date)s is more than %(days)d days from today; a respite runs at most until "
                "%(latest)s, and can be extended when that day comes closer."
            )
            % {"date": _dmy(until), "days": max_days(), "latest": _dmy(latest_end(today))}
        )
    return until


def _record_note(
    case: Case, by: User, partner: Partner, kind: str, event: str, text: str, until: dt.date | None = None
) -> Note:
    """The respite note, its timeline row, then (after the commit) the webhook ``event`` and the e-mail.
    The webhook is queued first: a partner's system pausing collection should not wait behind the notice
    for people (bench/bench_webhook_latency.py)."""
    note = Note.objects.create(
        case=case, partner=partner, author=by, kind=kind, text=text, respite_until=until, shareable=True
    )
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.RESPITE,
            note=note,
            reason=text[:500],
            data={"note_id": note.pk, "kind": kind, "until": until.isoformat() if until else None},
        ),
        by=by,
        partner=partner,
        audit_obj=note,
        audit_action=audit.Action.CREATE,
    )
    webhooks.emit(webhooks.partners_of(case), event, {"case_id": case.pk, "note_id": note.pk})
    notifications.notify_later(case_ids=[case.pk], kind=notifications.RESPITE_CHANGED)
    return note


@transaction.atomic
def respite_grant(
    *, case: Case | int, by: User, until: dt.date | None = None, text: str = "", expected_version: int | None = None
) -> Note:
    case = base.lock_case(case, expected_version)
    partner = _social_service(case, by)
    base.require_open(case)
    today = timezone.localdate()
    if case.respite_until is not None and case.in_respite(today):  # (in respite: it has an end date)
        raise NotAllowed(
            _("Respite already runs until %(date)s; extend it instead.") % {"date": _dmy(case.respite_until)}
        )
    until = _future(until or today + dt.timedelta(days=settings.TIJDIG["RESPITE_DEFAULT_DAYS"]), today)
    text = base.limited_text(text, _("Note"), 5000) or _("Respite granted until %(date)s: please pause collection.") % {
        "date": _dmy(until)
    }
    case.respite_until, case.respite_reminded_for = until, None
    case.escalated_at, case.escalation_reason = None, ""
    base.save(case, "respite_until", "respite_reminded_for", "escalated_at", "escalation_reason")
    note = _record_note(case, by, partner, Note.Kind.RESPITE_GRANTED, "respite.granted", text, until)
    return note


@transaction.atomic
def respite_extend(
    *, case: Case | int, by: User, until: dt.date, text: str, expected_version: int | None = None
) -> Note:
    case = base.lock_case(case, expected_version)
    partner = _social_service(case, by)
    base.require_open(case)
    today = timezone.localdate()
    current = case.respite_until
    if current is None or not case.in_respite(today):  # (in respite: it has an end date)
        raise NotAllowed(_("There is no respite running to extend."))
    until = _future(until, today)
    if until <= current:
        raise InvalidInput(
            _("Respite until: %(date)s is not after the current end, %(current)s.")
            % {"date": _dmy(until), "current": _dmy(current)}
        )
    text = base.required_text(text, _("Note"), 5000)
    case.respite_until, case.respite_reminded_for = until, None
    base.save(case, "respite_until", "respite_reminded_for")
    note = _record_note(case, by, partner, Note.Kind.RESPITE_EXTENDED, "respite.extended", text, until)
    return note


@transaction.atomic
def respite_end(*, case: Case | int, by: User, text: str, expected_version: int | None = None) -> Note:
    case = base.lock_case(case, expected_version)
    partner = _social_service(case, by)
    if not case.in_respite():
        raise NotAllowed(_("There is no respite running to end."))
    text = base.required_text(text, _("Note"), 5000)
    case.respite_until, case.respite_reminded_for = None, None
    base.save(case, "respite_until", "respite_reminded_for")
    note = _record_note(case, by, partner, Note.Kind.RESPITE_ENDED, "respite.ended", text)
    return note


# --- The handshake (docs/adr/0082) ---------------------------------------------------------------------

#: The respite notes the corporation confirms: a grant or an extension (an end needs no pause).
ACKNOWLEDGED_KINDS = (Note.Kind.RESPITE_GRANTED, Note.Kind.RESPITE_EXTENDED)


def latest_note(case: Case) -> Note | None:
    """The running respite's latest grant or extension (its acknowledgement is the one that counts)."""
    if not case.in_respite():
        return None
    return (
        Note.objects.filter(case=case, kind__in=ACKNOWLEDGED_KINDS)
        .select_related("acknowledged_by")
        .order_by("-created_at", "-id")
        .first()
    )


def unacknowledged(case: Case) -> Note | None:
    """The latest respite note the corporation has not confirmed, while the respite runs; else ``None``."""
    if not case.in_respite():
        return None
    return (
        Note.objects.filter(case=case, kind__in=ACKNOWLEDGED_KINDS, acknowledged_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def respite_acknowledge_check(*, case: Case, by: User) -> Note:
    """What :func:`respite_acknowledge` checks: the case's corporation (caseworker or manager), a running
    respite with a note it has not confirmed. Returns that note."""
    base.acting_partner(case, by, corporation=True)
    note = unacknowledged(case)
    if note is None:
        raise NotAllowed(_("There is no respite on case %(case)s waiting for confirmation.") % {"case": case})
    return note


@transaction.atomic
def respite_acknowledge(*, case: Case | int, by: User, expected_version: int | None = None) -> Note:
    """The corporation confirms it paused collection until the respite's end; the social service sees it."""
    case = base.lock_case(case, expected_version)
    partner = base.acting_partner(case, by, corporation=True)
    note = respite_acknowledge_check(case=case, by=by)
    until = case.respite_until
    now = timezone.now()
    # an unconfirmed grant superseded by an extension is confirmed with it
    Note.objects.filter(case=case, kind__in=ACKNOWLEDGED_KINDS, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by
    )
    note.refresh_from_db()
    base.save(case)
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.RESPITE,
            note=note,
            reason=_("Collection paused until %(date)s.") % {"date": _dmy(until) if until else "-"},
            data={"acknowledged": note.pk, "until": until.isoformat() if until else None},
        ),
        by=by,
        partner=partner,
        audit_obj=note,
        audit_action=audit.Action.CHANGE,
    )
    webhooks.emit(webhooks.partners_of(case), "respite.acknowledged", {"case_id": case.pk, "note_id": note.pk})
    return note


# --- The beat job ------------------------------------------------------------------------------------


@transaction.atomic
def respite_remind_due(*, today: dt.date | None = None) -> int:
    """Remind both sides of respites ending within the reminder window (once per end date)."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.TIJDIG["RESPITE_REMINDER_WORKING_DAYS"])
    due = [
        (pk, until)
        for pk, until in Case.objects.select_for_update(skip_locked=True)
        .filter(respite_until__gte=today, respite_until__lte=horizon)
        .exclude(respite_reminded_for=F("respite_until"))
        .values_list("pk", "respite_until")
        if until is not None  # filtered above; said for the types
    ]
    if not due:
        return 0
    ids = [pk for pk, _until in due]
    Case.objects.filter(pk__in=ids).update(
        respite_reminded_for=F("respite_until"), version=F("version") + 1, updated_at=timezone.now()
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=pk,
                kind=CaseEvent.Kind.REMINDER,
                reason=_("Respite ends on %(date)s.") % {"date": _dmy(until)},
                data={"respite_until": until.isoformat()},
            )
            for pk, until in due
        ]
    )
    notifications.notify_later(case_ids=ids, kind=notifications.RESPITE_ENDING)
    return len(ids)


@transaction.atomic
def respite_expire_due(*, today: dt.date | None = None) -> int:
    """End respites whose last day has passed; flagging and escalation resume."""
    today = today or timezone.localdate()
    due = [
        (pk, until)
        for pk, until in Case.objects.select_for_update(skip_locked=True)
        .filter(respite_until__lt=today)
        .values_list("pk", "respite_until")
        if until is not None  # filtered above; said for the types
    ]
    if not due:
        return 0
    Case.objects.filter(pk__in=[pk for pk, _until in due]).update(
        respite_until=None, respite_reminded_for=None, version=F("version") + 1, updated_at=timezone.now()
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=pk,
                kind=CaseEvent.Kind.RESPITE,
                reason=_("Respite ended on %(date)s.") % {"date": _dmy(until)},
                data={"expired": until.isoformat()},
            )
            for pk, until in due
        ]
    )
    return len(due)


@transaction.atomic
def respite_acknowledgement_escalate_due(*, today: dt.date | None = None) -> int:
    """Escalate to the corporation's managers, once, the running respites it has not confirmed within
    ``TIJDIG["RESPITE_ACKNOWLEDGE_WORKING_DAYS"]`` working days of the grant or extension (docs/adr/0082).
    Returns how many cases were escalated; running it twice escalates nothing twice."""
    today = today or timezone.localdate()
    days: int = settings.TIJDIG["RESPITE_ACKNOWLEDGE_WORKING_DAYS"]
    waiting = (
        Note.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            kind__in=ACKNOWLEDGED_KINDS,
            acknowledged_at__isnull=True,
            acknowledgement_escalated_at__isnull=True,
            case__respite_until__gte=today,
        )
        .values_list("pk", "case_id", "case__corporation_id", "created_at")
    )
    due = [
        (pk, case_id, corporation_id)
        for pk, case_id, corporation_id, created_at in waiting
        if today > add_working_days(timezone.localdate(created_at), days)
    ]
    if not due:
        return 0
    now = timezone.now()
    Note.objects.filter(pk__in=[pk for pk, _case, _corp in due]).update(acknowledgement_escalated_at=now)
    cases = {case_id: corporation_id for _pk, case_id, corporation_id in due}
    reason = _("Respite not confirmed by the corporation within %(days)d working days.") % {"days": days}
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case_id=case_id, kind=CaseEvent.Kind.ESCALATED, partner_id=corporation_id, reason=reason)
            for case_id, corporation_id in cases.items()
        ]
    )
    notifications.notify_later(case_ids=list(cases), kind=notifications.RESPITE_UNACKNOWLEDGED)
    return len(cases)
