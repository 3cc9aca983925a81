"""Retention of personal data (docs/domain.md §10): the one module that decides when it must go.

Periods (``settings.TIJDIG``, in months; defaults from the practice docs/domain.md §10 describes):

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

Data minimisation (docs/adr/0071, 0072), for every tenancy whether in arrears or not:

* a household holds personal data (``households.models.PERSONAL_FIELDS``) only while it has an arrears
  episode (a signal) or a case that has not been purged — :func:`person_held_q`; the import fills them
  then, and the purge blanks any other household's (:func:`households_to_strip`);
* ledger lines older than ``LEDGER_WINDOW_MONTHS`` are summarised into one brought-forward line
  (:func:`ledger_cutoff`, :func:`ledger_tenancies_due`);
* a stored ledger file and its error values go ``IMPORT_FILE_APPLIED_DAYS`` after an applied import,
  ``IMPORT_FILE_REJECTED_DAYS`` after a rejected or failed one (:func:`import_files_due`);
* audit events go after ``AUDIT_RETENTION_MONTHS`` (:func:`audit_cutoff`).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from arrears.holding import person_held_q
from arrears.models import Case, Signal
from arrears.workflow import CaseState
from households.models import PERSONAL_FIELDS, Household
from ledger.models import ArrearsState, LedgerImport, LedgerLine
from ledger.window import ledger_cutoff, months_before, old_lines_q


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


def _has_personal_data_q() -> Q:
    q = Q()
    for field, empty in PERSONAL_FIELDS.items():
        q |= Q(**{f"{field}__isnull": False}) if empty is None else ~Q(**{field: empty})
    return q


def households_to_strip():
    """Households that hold personal data without an open or recent arrears episode: rows without a
    person from now on (their tenancies, rent and ledger stay — detection needs them)."""
    return Household.objects.exclude(person_held_q()).filter(_has_personal_data_q())


def ledger_tenancies_due(now: dt.datetime):
    """Tenancies with booking lines older than the window. Left out: a tenancy with an unpaid charge
    booked before the window — the episode rules count its days overdue from its oldest unpaid charge,
    so its lines stay until that is paid (docs/adr/0072). Payments settle the oldest charges first, so
    every charge due on or after the oldest unpaid due date may be unpaid."""
    cutoff = ledger_cutoff(now)
    unpaid_before_window = LedgerLine.objects.filter(
        tenancy_id=OuterRef("tenancy_id"), booking_date__lt=cutoff, amount__gt=0
    ).filter(
        Q(due_date__gte=OuterRef("oldest_unpaid_due_date"))
        | Q(due_date__isnull=True, booking_date__gte=OuterRef("oldest_unpaid_due_date"))
    )
    long_arrears = (
        ArrearsState.objects.filter(balance__gt=0, oldest_unpaid_due_date__isnull=False)
        .filter(Q(oldest_unpaid_due_date__lt=cutoff) | Exists(unpaid_before_window))
        .values("tenancy_id")
    )
    return (
        LedgerLine.objects.filter(old_lines_q(cutoff), ledger_import__isnull=False)
        .exclude(tenancy_id__in=long_arrears)
        .values_list("tenancy_id", flat=True)
        .distinct()
    )


def import_files_due(now: dt.datetime):
    """Finished imports whose stored file (and error values) must go at ``now``."""
    periods = settings.TIJDIG
    applied = now - dt.timedelta(days=periods["IMPORT_FILE_APPLIED_DAYS"])
    rejected = now - dt.timedelta(days=periods["IMPORT_FILE_REJECTED_DAYS"])
    done = Q(finished_at__isnull=False)
    return LedgerImport.objects.filter(file_purged_at__isnull=True).filter(
        done & Q(status=LedgerImport.Status.SUCCEEDED, finished_at__lte=applied)
        | done & Q(status__in=[LedgerImport.Status.REJECTED, LedgerImport.Status.FAILED], finished_at__lte=rejected)
    )


def file_window_passed(*, applied: bool, moment: dt.datetime, now: dt.datetime) -> bool:
    """For a drop-folder file (``processed/`` or ``failed/``) filed away at ``moment``."""
    days = settings.TIJDIG["IMPORT_FILE_APPLIED_DAYS" if applied else "IMPORT_FILE_REJECTED_DAYS"]
    return moment <= now - dt.timedelta(days=days)


def audit_cutoff(now: dt.datetime) -> dt.datetime:
    """Audit events older than this go."""
    return months_before(now, settings.TIJDIG["AUDIT_RETENTION_MONTHS"])


def erasure_refusal(household) -> str | None:
    """Why a household's data cannot be erased on request now, or ``None`` when it can (right of
    erasure, AVG art. 17): never while a case or signal about it is open."""
    if household.anonymised_at is not None:
        return _("This household's personal data have already been removed.")
    if Case.objects.filter(household=household).exclude(state=CaseState.CLOSED).exists():
        return _("A case about this household is still open: close it first.")
    if Signal.objects.filter(household=household, status=Signal.Status.OPEN).exists():
        return _("The household still has open rent arrears (an open arrears episode): its data are needed for that.")
    return None
