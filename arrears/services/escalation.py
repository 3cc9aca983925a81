"""Automatic escalation (the beat job): a case whose deadline passed is marked for the queue's managers.

Deadlines are the agreement's, counted in Dutch working days (``arrears.workdays``):
- in the corporation's queue, no personal contact attempt within ``contact_deadline_working_days`` of
  flagging (without an agreement: ``TIJDIG["CONTACT_DEADLINE_WORKING_DAYS"]``);
- signalled to the social service and not taken up within ``take_up_deadline_working_days``
  (without an agreement: ``TIJDIG["TAKE_UP_DEADLINE_WORKING_DAYS"]``).
Escalation marks the case (``escalated_at``, a reason, a timeline row) and notifies the managers; the
service that resolves the cause (a contact attempt, take-up, routing, closing) clears it. Cases in
respite are held; a case whose arrears ended (``Case.arrears_ended_on``) is not overdue for first
contact. Running it twice escalates nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from arrears import notifications
from arrears.models import Case, CaseEvent
from arrears.workdays import add_working_days
from arrears.workflow import CORPORATION_STATES, CaseState
from partners.models import Agreement


@lru_cache(maxsize=4096)
def _deadline(start: dt.date, days: int) -> dt.date:
    return add_working_days(start, days)


def _overdue(
    rows: Iterable[tuple[int, int, str | None, dt.datetime | None, int]],
    agreements: dict[tuple[int, str | None], Agreement],
    field: str,
    default: int | None,
    today: dt.date,
    message: str,
) -> defaultdict[str, list[tuple[int, int]]]:
    """``{reason: [(case_id, queue_partner_id)]}`` for rows whose deadline lies before ``today``."""
    found: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for pk, corporation_id, municipality_id, started_at, queue_partner_id in rows:
        agreement = agreements.get((corporation_id, municipality_id))
        days = getattr(agreement, field) if agreement is not None else default
        if days is None or started_at is None:
            continue
        deadline = _deadline(timezone.localdate(started_at), days)
        if today > deadline:
            reason = message % {"days": days, "deadline": date_format(deadline, "d-m-Y")}
            found[reason].append((pk, queue_partner_id))
    return found


@transaction.atomic
def escalate_overdue(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    agreements: dict[tuple[int, str | None], Agreement] = {
        (a.corporation_id, a.municipality_id): a for a in Agreement.objects.filter(is_active=True)
    }
    waiting = (
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(escalated_at__isnull=True)
        .exclude(respite_until__gte=today)
    )
    fields = ("pk", "corporation_id", "household__municipality_id")
    # A case whose arrears ended (arrears.flagging) has nobody left to contact about them.
    no_contact = waiting.filter(
        state__in=CORPORATION_STATES, contact_attempted_on__isnull=True, arrears_ended_on__isnull=True
    ).values_list(*fields, "opened_at", "queue_partner_id")
    not_taken_up = waiting.filter(state=CaseState.SIGNALLED).values_list(*fields, "signalled_at", "queue_partner_id")
    found = _overdue(
        no_contact,
        agreements,
        "contact_deadline_working_days",
        settings.TIJDIG["CONTACT_DEADLINE_WORKING_DAYS"],
        today,
        _("No personal contact attempt within %(days)s working days (deadline %(deadline)s)."),
    )
    for reason, rows in _overdue(
        not_taken_up,
        agreements,
        "take_up_deadline_working_days",
        settings.TIJDIG["TAKE_UP_DEADLINE_WORKING_DAYS"],
        today,
        _("Signal not taken up within %(days)s working days (deadline %(deadline)s)."),
    ).items():
        found[reason].extend(rows)
    now = timezone.now()
    events, ids = [], []
    for reason, rows in found.items():
        case_ids = [pk for pk, _partner in rows]
        Case.objects.filter(pk__in=case_ids, escalated_at__isnull=True).update(
            escalated_at=now, escalation_reason=reason[:300], version=F("version") + 1, updated_at=now
        )
        ids += case_ids
        events += [
            CaseEvent(case_id=pk, kind=CaseEvent.Kind.ESCALATED, partner_id=partner_id, reason=reason, shared=False)
            for pk, partner_id in rows
        ]
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    if ids:
        notifications.notify_later(case_ids=ids, kind=notifications.ESCALATED)
    return len(ids)
