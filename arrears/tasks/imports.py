"""Ledger-import tasks: run one import; scan the drop folder (Celery beat)."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def import_ledger(import_id):
    from ..importing import inbox
    from ..models import LedgerImport
    from ..services.imports import import_run

    ledger_import = import_run(import_id=import_id)
    if ledger_import is None:
        return None
    if ledger_import.source_path and ledger_import.status in (
        LedgerImport.Status.SUCCEEDED,
        LedgerImport.Status.REJECTED,
    ):
        inbox.file_away(ledger_import)
    return {"id": ledger_import.pk, "status": ledger_import.status}


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def scan_inbox():
    from ..importing import inbox
    from ..services.imports import import_submit

    return inbox.scan(submit=import_submit, enqueue=import_ledger.delay)
