"""The drop folder: ``<TIJDIG_INBOX_DIR>/<partner slug>/``. Celery beat scans it (nightly by default);
each file is submitted once (by content hash) and, when its import is done, moved to ``processed/``
or ``failed/`` with its report (``<name>.report.json``) beside it. Every completed scan notes its time,
so the catch-up task can tell when a scheduled scan was missed (:func:`scan_missed`, ADR 0064)."""

import datetime as dt
import json
import logging
import time
from pathlib import Path

from celery.schedules import schedule as every
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ledger.importing.errors import ImportRejected
from ledger.models import LedgerImport
from partners.models import Partner

logger = logging.getLogger(__name__)

DONE_DIRS = ("processed", "failed")
SKIP_SUFFIXES = (".part", ".tmp", ".filepart", ".crdownload", ".report.json")
LAST_SCAN_KEY = "tijdig:inbox-last-scan"


def root() -> Path:
    return Path(settings.TIJDIG_INBOX_DIR)


def waiting_files(folder: Path):
    """Files ready to import: not hidden, not half-uploaded, untouched for a little while."""
    min_age = settings.TIJDIG_INBOX_MIN_AGE_SECONDS
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~")) or path.name.endswith(SKIP_SUFFIXES):
            continue
        if time.time() - path.stat().st_mtime < min_age:
            continue
        yield path


def scan(*, submit, enqueue) -> dict:
    """Submit every waiting file of every active corporation; file away the ones whose content was
    imported before; re-enqueue imports whose task was lost or failed."""
    started = timezone.now()
    counts = {"submitted": 0, "filed": 0, "requeued": 0, "refused": 0}
    stale = timezone.now() - timezone.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    for partner in Partner.objects.filter(kind=Partner.Kind.CORPORATION, is_active=True):
        folder = root() / partner.slug
        for name in ("", *DONE_DIRS):
            (folder / name).mkdir(parents=True, exist_ok=True)
        for path in waiting_files(folder):
            try:
                with path.open("rb") as handle:
                    ledger_import = submit(
                        partner=partner,
                        file=handle,
                        file_name=path.name,
                        source=LedgerImport.Source.DROP_FOLDER,
                        source_path=str(path),
                    )
            except ImportRejected as refused:  # too large, not a ledger file, a zip bomb: nothing was stored
                file_refused(path, str(refused))
                counts["refused"] += 1
                continue
            status = ledger_import.status
            if status in (LedgerImport.Status.SUCCEEDED, LedgerImport.Status.REJECTED):
                file_away(ledger_import, path)
                counts["filed"] += 1
            elif status == LedgerImport.Status.FAILED or (ledger_import.started_at or ledger_import.created_at) < stale:
                enqueue(ledger_import.pk)  # its task failed or was lost
                counts["requeued"] += 1
            elif status == LedgerImport.Status.PENDING and not ledger_import.attempts:
                counts["submitted"] += 1
    cache.set(LAST_SCAN_KEY, started.isoformat(), timeout=None)
    return counts


def last_scan():
    """When the last completed scan started (``None``: none known)."""
    value = cache.get(LAST_SCAN_KEY)
    return dt.datetime.fromisoformat(value) if value else None


def scan_missed() -> bool:
    """Has a scheduled scan come due since the last completed one? True when none is known (a new
    installation, or an emptied cache): one scan too many imports nothing twice."""
    last = last_scan()
    if last is None:
        return True
    schedule = settings.CELERY_BEAT_SCHEDULE["scan-ledger-inbox"]["schedule"]
    if isinstance(schedule, int | float):
        schedule = every(dt.timedelta(seconds=schedule))
    return schedule.is_due(last).is_due


def report_path(path: Path) -> Path:
    """The report of a filed-away file lies beside it: ``<name>.report.json``."""
    return path.with_name(path.name + ".report.json")


def _file(path: Path, folder: str, tag, report: dict) -> Path:
    """Move ``path`` into ``folder`` beside it (a name already there gets ``.<tag>.<time>``) and write
    its report."""
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        target = target_dir / f"{path.stem}.{tag}.{int(time.time())}{path.suffix}"
    path.rename(target)
    report_path(target).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return target


def file_refused(path: Path, message: str) -> Path:
    """Move a file that was refused before it was stored (no import exists) to ``failed/``, with a
    report that says why, as an import's report would."""
    report = {"import": None, "file": path.name, "status": "refused", "message": message}
    target = _file(path, DONE_DIRS[1], "refused", report)
    logger.warning("dropped file refused before import, filed in %s", target.parent.name)
    return target


def file_away(ledger_import, path: Path | None = None) -> Path | None:
    """Move the dropped file to ``processed/`` or ``failed/`` and write its report beside it."""
    path = Path(path or ledger_import.source_path)
    if not path.is_file():
        return None
    ok = ledger_import.status == LedgerImport.Status.SUCCEEDED
    report = {
        "import": ledger_import.pk,
        "file": path.name,
        "status": ledger_import.status,
        "message": ledger_import.message,
        "as_of": ledger_import.as_of.isoformat() if ledger_import.as_of else None,
        "summary": ledger_import.summary,
        "errors": ledger_import.errors,
    }
    if Path(ledger_import.source_path or "") != path:
        report["note"] = f"Same content as import {ledger_import.pk} ({ledger_import.file_name}): nothing changed."
    target = _file(path, DONE_DIRS[0 if ok else 1], ledger_import.pk, report)
    logger.info("ledger import %s: dropped file filed in %s", ledger_import.pk, target.parent.name)
    return target
