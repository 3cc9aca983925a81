"""Arrears ended (docs/adr/0093): a case whose arrears were paid off closes itself after a while.

The ledger import sets ``Case.arrears_ended_on`` when a case's last open arrears episode closes
(``arrears.flagging``). With ``TIJDIG["AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS"]`` set (default: off), the
daily beat job closes the open cases whose arrears ended at least that many days ago with the
corporation's outcome "arrears paid" (``arrears.outcomes``): only cases still in the corporation's own
queue (new or in progress, so not with the social service), with no new open episode, not in respite,
with no referral waiting for an answer and not on the eviction track (a crisis needs a person). Each is
closed like a caseworker's close (state, outcome, a timeline row saying it closed itself and why, an
audit row, the ``case.closed`` webhook), set-based per batch. Running it twice closes nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from arrears import eviction, outcomes
from arrears.models import Case, CaseEvent, Referral, Signal
from arrears.workflow import CORPORATION_STATES, CaseState, check_transition
from partners import audit, webhooks

BATCH = 500


def after_days() -> int | None:
    """The setting: days after the arrears ended before a case closes itself, or ``None`` (off)."""
    days = settings.TIJDIG.get("AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS")
    return None if days is None else int(days)


def due(*, today: dt.date, days: int) -> QuerySet[Case]:
    """The open cases that may close themselves today (the rule; the job and its tests ask here)."""
    return (
        Case.objects.filter(
            state__in=CORPORATION_STATES,
            queue_partner_id=F("corporation_id"),
            arrears_ended_on__isnull=False,
            arrears_ended_on__lte=today - dt.timedelta(days=days),
        )
        .exclude(respite_until__gte=today)
        .exclude(eviction.crisis_q())
        .exclude(Exists(Signal.objects.filter(case=OuterRef("pk"), status=Signal.Status.OPEN)))
        .exclude(Exists(Referral.objects.filter(case=OuterRef("pk"), status=Referral.Status.PENDING)))
    )


def arrears_ended_auto_close(*, today: dt.date | None = None) -> int:
    """Close the cases :func:`due` today; returns how many. Does nothing while the setting is off."""
    days = after_days()
    if days is None:
        return 0
    today = today or timezone.localdate()
    closed = 0
    while True:
        count = _close_batch(today=today, days=days)
        closed += count
        if count < BATCH:
            return closed


@transaction.atomic
def _close_batch(*, today: dt.date, days: int) -> int:
    rows = list(
        due(today=today, days=days)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
        .values_list("pk", "state", "household_id", "corporation_id", "queue_partner_id", "arrears_ended_on")[:BATCH]
    )
    if not rows:
        return 0
    for _pk, state, *_rest in rows:
        check_transition(state, CaseState.CLOSED)
    # ``due`` has only cases with the date; said for the types.
    ended = {pk: ended_on for pk, *_rest, ended_on in rows if ended_on is not None}
    now = timezone.now()
    outcome = outcomes.CORPORATION.arrears_paid
    ids = [row[0] for row in rows]
    Case.objects.filter(pk__in=ids).update(
        state=CaseState.CLOSED,
        closed_at=now,
        corporation_outcome=outcome,
        escalated_at=None,
        escalation_reason="",
        version=F("version") + 1,
        updated_at=now,
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=pk,
                kind=CaseEvent.Kind.STATE,
                partner_id=corporation_id,
                from_state=state,
                to_state=CaseState.CLOSED,
                reason=_(
                    "Closed automatically: the arrears were cleared on %(date)s and no new arrears episode "
                    "followed within %(days)s days."
                )
                % {"date": date_format(ended[pk], "d-m-Y"), "days": days},
                data={
                    "outcome": "",
                    "corporation_outcome": outcome,
                    "arrears_ended_on": ended[pk].isoformat(),
                    "auto_closed": True,
                    "after_days": days,
                },
            )
            for pk, state, _household, corporation_id, *_rest in rows
        ]
    )
    audit.record_many(
        user=None,
        action=audit.Action.CHANGE,
        object_type="arrears.Case",
        rows=[(pk, household_id) for pk, _state, household_id, *_rest in rows],
        channel="service",
        detail={"closed": outcome, "auto_closed": True},
    )
    webhooks.emit_many(
        "case.closed",
        [({row[3], row[4]}, {"case_id": row[0]}) for row in rows],  # the corporation and the queue partner
    )
    return len(rows)
