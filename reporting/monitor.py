"""The monitor's key figures: **reach** and **help accepted**, per ISO week and per calendar quarter.

Both are shares of one cohort, the households *signalled* in a period:

- a social service: the cases that reached it in the period — routed to its queue or referred to it (a
  pending or accepted referral), households in its municipalities — by the day they reached it. That is
  the DDAS monitor export's rule for which signals it carries (``ddas.delivered_cases``), so a quarter
  here is the export's quarter (``reporting.weeks.Quarter``, the export form's default period);
- a corporation: its cases opened (flagged) in the period.

Of the cohort, **reached**: at least one successful contact attempt by the partner itself (a DDAS
``contactpoging`` with ``bereikt``); **accepted**: the case was taken up by the social service
(``Case.taken_up_at``, the export's ``datum_opgepakt``). Counted *as known now*, like an export made today:
a recent period still grows as contact is made, so these figures are not stored in the weekly snapshot
(``WeeklyFigures``) but counted from the cases each time — one ``GROUP BY`` day for all periods shown. The
case rows stay after the retention purge (anonymised, with their dates), so past periods keep their figures.

Counts here are raw; ``reporting.tables`` rounds them and computes the shares (ADR 0044, ADR 0092).
"""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from arrears.models import Case, ContactAttempt
from reporting import ddas
from reporting.sql import LocalDate, without_jit
from reporting.weeks import local_tz

SIGNALLED, REACHED, ACCEPTED = "signalled", "reached", "accepted"
COUNTS = (SIGNALLED, REACHED, ACCEPTED)


def cohort(partner):
    """The partner's signalled cases, each with ``start``: when it was signalled to the partner."""
    if partner.is_corporation:
        return Case.objects.filter(corporation=partner).annotate(start=F("opened_at"))
    return ddas.delivered_cases(partner.municipalities.all(), [partner]).annotate(start=F("delivered_at"))


def _midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=local_tz())


def counts_per_day(partner, first_day, last_day, *, now=None) -> dict[dt.date, dict]:
    """``{day: {signalled, reached, accepted}}`` for the cases signalled from ``first_day`` to
    ``last_day`` (local dates, inclusive), as known at ``now``."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    reached = ContactAttempt.objects.filter(case=OuterRef("pk"), partner=partner, reached=True, date__lte=today)
    rows = (
        cohort(partner)
        .filter(start__gte=_midnight(first_day), start__lt=min(_midnight(last_day + dt.timedelta(days=1)), now))
        .annotate(day=LocalDate("start"), was_reached=Exists(reached))
        .order_by()
        .values("day")
        .annotate(
            signalled=Count("pk"),
            reached=Count("pk", filter=Q(was_reached=True)),
            accepted=Count("pk", filter=Q(taken_up_at__lte=now)),
        )
    )
    with without_jit():
        return {row.pop("day"): row for row in rows}


def tally(days: dict, periods) -> list[dict]:
    """Add ``counts_per_day``'s days up per period (``Week`` or ``Quarter``: ``first_day``, ``last_day``)."""
    result = []
    for period in periods:
        row = dict.fromkeys(COUNTS, 0)
        for day, counts in days.items():
            if period.first_day <= day <= period.last_day:
                for key in COUNTS:
                    row[key] += counts[key]
        result.append(row)
    return result


def per_period(partner, periods, *, now=None) -> list[dict]:
    """Raw counts for each of ``periods``, in order (one query)."""
    if not periods:
        return []
    first, last = min(p.first_day for p in periods), max(p.last_day for p in periods)
    return tally(counts_per_day(partner, first, last, now=now), periods)
