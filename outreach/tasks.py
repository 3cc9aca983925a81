"""The letters' share of the nightly retention purge (scheduled in ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def letters_purge():
    """Idempotent: deletes the letters of cases the retention purge anonymised."""
    from outreach.services import letters_purge as purge

    return {"letters_deleted": purge()}
