"""The eviction track's daily alert (issue 15): the managers of a crisis case's queue hear of an eviction
within ``TIJDIG["EVICTION_ALERT_WORKING_DAYS"]`` working days when nobody has reached the household since
the eviction was announced, and again once the eviction date has passed without an outcome recorded
(an executed, cancelled or refused eviction clears the date: ``services.casework.eviction_step_record``).
Each alert is sent once per eviction date; the timeline holds a reminder event for it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears import notifications
from arrears.models import Case, CaseEvent, ContactAttempt, EvictionStep
from arrears.workdays import add_working_days
from arrears.workflow import OPEN_STATES

SOON, PASSED = "soon", "passed"


def _dmy(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _already_alerted(case_ids: list[int], alert: str) -> set[tuple[int, str]]:
    """``(case id, eviction date)`` pairs this alert was sent for."""
    rows = CaseEvent.objects.filter(
        case_id__in=case_ids, kind=CaseEvent.Kind.REMINDER, data__eviction_alert=alert
    ).values_list("case_id", "data__eviction_date")
    return {(pk, str(day)) for pk, day in rows}


def _reached_since_announced(case_ids: list[int]) -> set[int]:
    """Cases where someone reached the household on or after the day the eviction was announced (the
    latest "announced" step's recording; without one, any reached contact counts)."""
    announced = dict(
        EvictionStep.objects.filter(case_id__in=case_ids, kind=EvictionStep.Kind.ANNOUNCED)
        .values("case_id")
        .annotate(at=Max("created_at"))
        .values_list("case_id", "at")
    )
    reached = (
        ContactAttempt.objects.filter(case_id__in=case_ids, reached=True)
        .values("case_id")
        .annotate(last=Max("date"))
        .values_list("case_id", "last")
    )
    return {pk for pk, last in reached if pk not in announced or last >= timezone.localdate(announced[pk])}


@transaction.atomic
def eviction_alert_due(*, today: dt.date | None = None) -> dict[str, int]:
    """Alert the queues' managers of evictions coming without contact, and of evictions past their date
    without an outcome. Returns how many cases got each alert."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.TIJDIG["EVICTION_ALERT_WORKING_DAYS"])
    rows = [
        (pk, day)
        for pk, day in Case.objects.select_for_update(skip_locked=True)
        .filter(state__in=OPEN_STATES, eviction_date__isnull=False, eviction_date__lte=horizon)
        .values_list("pk", "eviction_date")
        if day is not None  # filtered above; said for the types
    ]
    ids = [pk for pk, _day in rows]
    reached = _reached_since_announced(ids)
    counts = {}
    for alert in (SOON, PASSED):
        sent = _already_alerted(ids, alert)
        due = [
            (pk, day)
            for pk, day in rows
            if (pk, day.isoformat()) not in sent
            and (day < today if alert == PASSED else day >= today and pk not in reached)
        ]
        counts[alert] = len(due)
        if not due:
            continue
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case_id=pk,
                    kind=CaseEvent.Kind.REMINDER,
                    reason=(
                        _("Eviction on %(date)s and nobody has reached the household.")
                        if alert == SOON
                        else _("The eviction date %(date)s has passed without an outcome recorded.")
                    )
                    % {"date": _dmy(day)},
                    data={"eviction_alert": alert, "eviction_date": day.isoformat()},
                )
                for pk, day in due
            ]
        )
        kind = notifications.EVICTION_SOON if alert == SOON else notifications.EVICTION_PASSED
        notifications.notify_later(case_ids=[pk for pk, _day in due], kind=kind)
    return counts
