"""Retention of personal data (DOMAIN.md §5): the one module that decides when it must go.

Periods (``settings.TIJDIG``, in months; defaults from the practice DOMAIN.md cites):

* ``RETENTION_NOT_TAKEN_UP_MONTHS`` (6): a case the social service never took up — counted from the
  signal (``signalled_at``, or ``opened_at`` when it never left the corporation).
* ``RETENTION_TAKEN_UP_MONTHS`` (12): a case that was taken up — counted from ``taken_up_at``;
* ``RETENTION_CLOSED_MONTHS`` (18): and for such a case, counted from ``closed_at``.

Each period is a minimum and only *closed* cases ever expire: while a case is open its data are in
use (docs/adr/0062-retention.md). A case expires when every period that applies to it has passed.

A *household* (name, address, contact details, tenancies, ledger, signals) goes once all its cases
have expired or been anonymised, none of its signals is open and no signal without a case closed
within the not-taken-up period. Anonymous counts stay: anonymised case rows keep their dates, states
and outcome, contact attempts their kind and result; the dashboards' weekly tables are not touched.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from households.models import Household

from .models import Case, Signal
from .workflow import CaseState


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same wall-clock moment ``months`` calendar months earlier (31 March − 1 → 28/29 Feb)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Cutoffs:
    """A case's moment must lie at or before its cutoff for the period to have passed."""

    not_taken_up: dt.datetime
    taken_up: dt.datetime
    closed: dt.datetime


def cutoffs(now: dt.datetime) -> Cutoffs:
    periods = settings.TIJDIG
    return Cutoffs(
        not_taken_up=months_before(now, periods["RETENTION_NOT_TAKEN_UP_MONTHS"]),
        taken_up=months_before(now, periods["RETENTION_TAKEN_UP_MONTHS"]),
        closed=months_before(now, periods["RETENTION_CLOSED_MONTHS"]),
    )


def expired_case_q(now: dt.datetime) -> Q:
    """Cases whose personal data may no longer be kept at ``now``."""
    c = cutoffs(now)
    signal_moment_passed = Q(signalled_at__lte=c.not_taken_up) | Q(
        signalled_at__isnull=True, opened_at__lte=c.not_taken_up
    )
    never_taken_up = Q(taken_up_at__isnull=True) & signal_moment_passed
    taken_up = Q(taken_up_at__lte=c.taken_up, closed_at__lte=c.closed)
    return Q(state=CaseState.CLOSED, closed_at__isnull=False) & (never_taken_up | taken_up)


def cases_due(now: dt.datetime):
    """Expired cases not yet anonymised."""
    return Case.objects.filter(expired_case_q(now), anonymised_at__isnull=True)


def households_due(now: dt.datetime):
    """Households whose personal data must go now (see the module docstring)."""
    cases = Case.objects.filter(household=OuterRef("pk"))
    signals = Signal.objects.filter(household=OuterRef("pk"))
    not_taken_up_day = cutoffs(now).not_taken_up.date()
    return (
        Household.objects.filter(anonymised_at__isnull=True)
        .filter(Exists(cases) | Exists(signals))
        .exclude(Exists(cases.filter(anonymised_at__isnull=True).exclude(expired_case_q(now))))
        .exclude(Exists(signals.filter(status=Signal.Status.OPEN)))
        .exclude(Exists(signals.filter(case__isnull=True, closed_on__gt=not_taken_up_day)))
    )


def erasure_refusal(household) -> str | None:
    """Why a household's data cannot be erased on request now, or ``None`` when it can (right of
    erasure, AVG art. 17): never while a case or signal about it is open."""
    from django.utils.translation import gettext as _

    if household.anonymised_at is not None:
        return _("This household's personal data have already been removed.")
    if Case.objects.filter(household=household).exclude(state=CaseState.CLOSED).exists():
        return _("A case about this household is still open: close it first.")
    if Signal.objects.filter(household=household, status=Signal.Status.OPEN).exists():
        return _("The household still has open rent arrears (an open signal): its data are needed for that.")
    return None
