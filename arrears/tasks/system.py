"""System tasks: the worker heartbeat."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

WORKER_HEARTBEAT_KEY = "tijdig:worker-heartbeat"


@shared_task(acks_late=True, ignore_result=False)
def heartbeat():
    """Proves a worker is alive and reaches the database; /health/ reads the time it last ran."""
    from ..models import Case

    at = timezone.now().isoformat()
    cache.set(WORKER_HEARTBEAT_KEY, at, timeout=None)
    return {"at": at, "cases": Case.objects.count()}
