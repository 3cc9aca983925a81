"""Ledger-import tasks: run one import; scan the drop folder (Celery beat, nightly); catch up on a
scan or an import that an outage made miss its turn (Celery beat, every few minutes; ADR 0064)."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ledger.importing import inbox
from ledger.models import LedgerImport
from ledger.services import import_catch_up, import_queue, import_run, import_submit

#: Seconds before a task retries an import another worker holds (a duplicate, or a redelivered
#: task whose killed worker's database session has not ended yet).
BUSY_RETRY_SECONDS = 30


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,  # the outcome is on the LedgerImport row; handing it over needs only the broker
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def import_ledger(self, import_id):
    ledger_import = import_run(import_id=import_id)
    if ledger_import is None:
        return None
    if ledger_import.status in (LedgerImport.Status.PENDING, LedgerImport.Status.RUNNING):
        # Held by another worker: look again later rather than leave it to a worker that may be gone.
        raise self.retry(countdown=BUSY_RETRY_SECONDS)
    if ledger_import.source_path and ledger_import.status in (
        LedgerImport.Status.SUCCEEDED,
        LedgerImport.Status.REJECTED,
    ):
        inbox.file_away(ledger_import)
    return {"id": ledger_import.pk, "status": ledger_import.status}


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
    soft_time_limit=600,
    time_limit=660,
)
def scan_inbox():
    return inbox.scan(submit=import_submit, enqueue=lambda pk: import_queue(import_id=pk))


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def catch_up_imports():
    """Queue imports whose task never reached the broker or was lost, and run the drop-folder scan
    when a scheduled one was missed (beat could not reach Redis when it was due, or the scan failed)."""
    result = {"imports": import_catch_up()}
    if inbox.scan_missed():
        result["scan"] = scan_inbox()
    return result
