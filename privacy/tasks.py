"""The nightly retention purge (scheduled in ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from privacy.models import PurgeRun
from privacy.services.retention import personal_data_purge


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def purge_personal_data():
    """Idempotent: a second run (or a redelivery after a crash) finds nothing left to purge."""
    counts, run = personal_data_purge(trigger=PurgeRun.Trigger.SCHEDULE)
    return {"purge_run": run.pk, **counts}
