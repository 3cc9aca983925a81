"""The personal-data purge (the rules live in ``privacy.retention``): anonymise expired cases, then
remove the personal data of households with nothing left to keep (one transaction); then data
minimisation for every tenancy — personal fields of households without an open or recent arrears
episode blanked, ledger lines older than the window brought forward (batched), stored ledger files and
drop-folder files past their window deleted with their error values, old audit events deleted. Logged as
a ``PurgeRun`` and an ``AuditEvent`` with counts only."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from arrears.models import Case, CaseEvent, ContactAttempt, EvictionStep, Note, PaymentArrangement, Referral, Signal
from households.models import PERSONAL_FIELDS, Household, Tenancy
from ledger import window
from ledger.importing import inbox
from ledger.models import ArrearsSnapshot, ArrearsState, LedgerLine
from partners import audit
from partners.errors import NotAllowed
from partners.models import AuditEvent
from privacy import retention
from privacy.models import PurgeRun

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from ledger.models import LedgerImport

logger = logging.getLogger(__name__)

#: Tenancies per ledger-window batch (one transaction each).
LEDGER_BATCH = 2_000
#: The description of a brought-forward line; the date is the last day it covers.
COUNT_KEYS = [
    "cases_anonymised",
    "notes_deleted",
    "contact_attempts_anonymised",
    "referrals_anonymised",
    "case_events_anonymised",
    "payment_arrangements_anonymised",
    "households_anonymised",
    "tenancies_deleted",
    "signals_deleted",
    "ledger_lines_deleted",
    "arrears_history_deleted",
    "households_stripped",
    "ledger_lines_brought_forward",
    "ledger_tenancies_brought_forward",
    "import_files_deleted",
    "import_file_bytes_deleted",
    "drop_folder_files_deleted",
    "drop_folder_bytes_deleted",
    "drop_folder_reports_stripped",
    "audit_events_deleted",
]


def _counts(case_ids: Collection[int], household_ids: Collection[int]) -> dict[str, int]:
    return {
        "cases_anonymised": len(case_ids),
        "notes_deleted": Note.objects.filter(case_id__in=case_ids).count(),
        "contact_attempts_anonymised": ContactAttempt.objects.filter(case_id__in=case_ids).count(),
        "referrals_anonymised": Referral.objects.filter(case_id__in=case_ids).count(),
        "case_events_anonymised": CaseEvent.objects.filter(case_id__in=case_ids).count(),
        "payment_arrangements_anonymised": PaymentArrangement.objects.filter(case_id__in=case_ids).count(),
        "households_anonymised": len(household_ids),
        "tenancies_deleted": Tenancy.objects.filter(household_id__in=household_ids).count(),
        "signals_deleted": Signal.objects.filter(household_id__in=household_ids).count(),
        "ledger_lines_deleted": LedgerLine.objects.filter(tenancy__household_id__in=household_ids).count(),
        "arrears_history_deleted": ArrearsSnapshot.objects.filter(tenancy__household_id__in=household_ids).count(),
    }


def _anonymise(*, case_ids: Collection[int], household_ids: Collection[int], now: dt.datetime) -> None:
    Note.objects.filter(case_id__in=case_ids).delete()
    ContactAttempt.objects.filter(case_id__in=case_ids).update(outcome="")
    Referral.objects.filter(case_id__in=case_ids).update(reason="", decision_reason="")
    CaseEvent.objects.filter(case_id__in=case_ids).update(reason="", data={})
    PaymentArrangement.objects.filter(case_id__in=case_ids).update(note="")
    EvictionStep.objects.filter(case_id__in=case_ids).update(note="")
    Case.objects.filter(pk__in=case_ids).update(
        anonymised_at=now, eviction_date=None, eviction_granted_on=None, routing_reason=""
    )

    # The tenancy's contract number would tie a later import back to the old history: it goes,
    # with the ledger and signals hanging off it. A tenant still in the ledger returns as new.
    LedgerLine.objects.filter(tenancy__household_id__in=household_ids).delete()
    ArrearsSnapshot.objects.filter(tenancy__household_id__in=household_ids).delete()
    ArrearsState.objects.filter(tenancy__household_id__in=household_ids).delete()
    Signal.objects.filter(household_id__in=household_ids).delete()
    Tenancy.objects.filter(household_id__in=household_ids).delete()
    Household.objects.filter(pk__in=household_ids).update(anonymised_at=now, **PERSONAL_FIELDS)


def _record_purge(
    *, run: PurgeRun, by: User | None = None, household_id: int | None = None, reference: str = ""
) -> None:
    audit.record(
        user=by,
        action=AuditEvent.Action.DELETE,
        obj=run,
        household_id=household_id,
        channel=run.trigger,
        detail={"counts": run.counts, **({"reference": reference} if reference else {})},
    )
    logger.info("personal data purged", extra={"purge_run": run.pk, "trigger": run.trigger, **run.counts})


def personal_data_purge(
    *, trigger: str = PurgeRun.Trigger.SCHEDULE, now: dt.datetime | None = None, dry_run: bool = False
) -> tuple[dict[str, int], PurgeRun | None]:
    """Purge what has passed its retention period at ``now`` (``--as-of``: any moment, to see what a
    date will remove). Returns ``(counts, run)``; with ``dry_run`` nothing changes and ``run`` is
    ``None``. Safe to run twice: the second finds nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        case_ids = list(retention.cases_due(now).values_list("pk", flat=True))
        household_ids = list(retention.households_due(now).values_list("pk", flat=True))
        counts = _counts(case_ids, household_ids)
        if dry_run:
            # The households anonymised above are no longer stripped afterwards: leave them out here too.
            counts["households_stripped"] = retention.households_to_strip().exclude(pk__in=household_ids).count()
            counts.update(_minimise_counts(now, household_ids))
            return counts, None
        run = PurgeRun.objects.create(trigger=trigger, reference_date=now, counts=counts)
        _anonymise(case_ids=case_ids, household_ids=household_ids, now=now)
        counts["households_stripped"] = strip_households()
    counts.update(ledger_window_purge(now=now))
    counts.update(import_files_purge(now=now))
    counts.update(drop_folder_purge(now=now))
    counts["audit_events_deleted"] = AuditEvent.objects.filter(at__lt=retention.audit_cutoff(now)).delete()[0]
    run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    _record_purge(run=run)
    return counts, run


def strip_households(households: QuerySet[Household] | None = None) -> int:
    """Blank the personal fields of ``households`` (default: every household that may no longer hold
    them, :func:`privacy.retention.households_to_strip`) in one UPDATE; returns how many. Rows without a
    person: tenancies, rent, ledger, municipality and neighbourhood stay."""
    households = retention.households_to_strip() if households is None else households
    return households.update(**PERSONAL_FIELDS)


def _minimise_counts(now: dt.datetime, household_ids: Collection[int]) -> dict[str, int]:
    """What the minimisation steps would remove at ``now`` (dry run)."""
    cutoff = window.ledger_cutoff(now)
    tenancies = retention.ledger_tenancies_due(now).exclude(tenancy__household_id__in=household_ids)
    lines = LedgerLine.objects.filter(window.old_lines_q(cutoff), tenancy_id__in=tenancies)
    stored = list(retention.import_files_due(now).exclude(file=""))
    counts = {
        "ledger_lines_brought_forward": lines.count(),
        "ledger_tenancies_brought_forward": tenancies.count(),
        "import_files_deleted": len(stored),
        "import_file_bytes_deleted": sum(_size(f) for f in stored),
        "audit_events_deleted": AuditEvent.objects.filter(at__lt=retention.audit_cutoff(now)).count(),
    }
    counts.update(drop_folder_purge(now=now, dry_run=True))
    return counts


def ledger_window_purge(*, now: dt.datetime) -> dict[str, int]:
    """Summarise each tenancy's lines booked before the window into one *balance brought forward* line
    (booked on the window's first day, due the day before, no import): its balance, oldest unpaid due
    date and last payment stay what they were (docs/adr/0072). One transaction per batch."""
    cutoff = window.ledger_cutoff(now)
    booking_date, due_date, description = window.brought_forward(cutoff)
    tenancy_ids = sorted(retention.ledger_tenancies_due(now))
    deleted = 0
    for start in range(0, len(tenancy_ids), LEDGER_BATCH):
        batch = tenancy_ids[start : start + LEDGER_BATCH]
        with transaction.atomic():
            old = LedgerLine.objects.filter(window.old_lines_q(cutoff), tenancy_id__in=batch)
            totals = dict(
                old.values_list("tenancy_id").annotate(total=Sum("amount")).values_list("tenancy_id", "total")
            )
            deleted += old.delete()[0]
            LedgerLine.objects.bulk_create(
                LedgerLine(
                    tenancy_id=tenancy_id,
                    booking_date=booking_date,
                    due_date=due_date,
                    amount=total,
                    description=description,
                    ledger_import=None,
                )
                for tenancy_id, total in totals.items()
            )
    return {"ledger_lines_brought_forward": deleted, "ledger_tenancies_brought_forward": len(tenancy_ids)}


def _size(ledger_import: LedgerImport) -> int:
    try:
        return ledger_import.file.size
    except (OSError, ValueError):
        return 0


def strip_error_values(errors: list[Any] | None) -> list[dict[str, Any]]:
    """The stored row problems without the offending values: line, column, code, reason stay."""
    return [{k: v for k, v in e.items() if k != "value"} for e in errors or [] if isinstance(e, dict)]


def import_files_purge(*, now: dt.datetime) -> dict[str, int]:
    """Delete the stored file of each import past its window and drop its error values; the hash (the
    file is still recognised when sent again), counts and error positions and codes stay."""
    files = bytes_ = 0
    for ledger_import in retention.import_files_due(now).iterator(chunk_size=500):
        if ledger_import.file:
            size = _size(ledger_import)
            ledger_import.file.delete(save=False)
            files, bytes_ = files + 1, bytes_ + size
        ledger_import.errors = strip_error_values(ledger_import.errors)
        ledger_import.file_purged_at = now
        ledger_import.save(update_fields=["file", "errors", "file_purged_at"])
    return {"import_files_deleted": files, "import_file_bytes_deleted": bytes_}


def drop_folder_purge(*, now: dt.datetime, dry_run: bool = False) -> dict[str, int]:
    """The drop folder's ``processed/`` and ``failed/`` files past their window (counted from when they
    were filed away, the report's time) go; their ``.report.json`` stays without error values."""
    counts = {"drop_folder_files_deleted": 0, "drop_folder_bytes_deleted": 0, "drop_folder_reports_stripped": 0}
    root = inbox.root()
    if not root.is_dir():
        return counts
    for done, applied in ((inbox.DONE_DIRS[0], True), (inbox.DONE_DIRS[1], False)):
        for folder in root.glob(f"*/{done}"):
            for path in sorted(folder.iterdir()):
                if not path.is_file():
                    continue
                report = path if path.name.endswith(".report.json") else inbox.report_path(path)
                moment = report if report.is_file() else path
                filed = dt.datetime.fromtimestamp(moment.stat().st_mtime, tz=dt.UTC)
                if not retention.file_window_passed(applied=applied, moment=filed, now=now):
                    continue
                if path is report:
                    counts["drop_folder_reports_stripped"] += _strip_report(path, dry_run=dry_run)
                else:
                    counts["drop_folder_files_deleted"] += 1
                    counts["drop_folder_bytes_deleted"] += path.stat().st_size
                    if not dry_run:
                        path.unlink()
    return counts


def _strip_report(path: Path, *, dry_run: bool) -> int:
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return 0
    errors = report.get("errors") or []
    if not any(isinstance(e, dict) and "value" in e for e in errors):
        return 0
    if not dry_run:
        report["errors"] = strip_error_values(errors)
        report["file_deleted"] = True
        stat = path.stat()
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        # Keep the filing time: the window is counted from it.
        os.utime(path, (stat.st_atime, stat.st_mtime))
    return 1


def household_erase(*, household: Household, by: User, reference: str = "") -> PurgeRun:
    """Right of erasure: remove one household's personal data now, whatever the periods say.
    Refused (``partners.errors.NotAllowed``) while a case or signal about it is open. ``reference``:
    the privacy request's reference, kept in the audit row."""
    now = timezone.now()
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        refusal = retention.erasure_refusal(household)
        if refusal:
            raise NotAllowed(refusal)
        case_ids = list(
            Case.objects.filter(household=household, anonymised_at__isnull=True).values_list("pk", flat=True)
        )
        counts = _counts(case_ids, [household.pk])
        run = PurgeRun.objects.create(trigger=PurgeRun.Trigger.ERASURE, reference_date=now, counts=counts)
        _anonymise(case_ids=case_ids, household_ids=[household.pk], now=now)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        _record_purge(run=run, by=by, household_id=household.pk, reference=reference)
    return run
