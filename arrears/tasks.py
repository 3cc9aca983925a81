"""Celery tasks of the case work: routing's beat jobs (escalation, respite reminders and expiry, eviction alerts,
auto-closing cases whose arrears ended), the e-mail notices they cause, and the worker heartbeat. Thin: each
calls a service; all are safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from arrears import notifications
from arrears.models import Case
from arrears.services import arrears_ended, escalation, eviction_alerts, respite


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def escalate_overdue():
    """Daily: mark cases whose working-day deadline passed."""
    return {"escalated": escalation.escalate_overdue()}


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def arrears_ended_auto_close():
    """Daily: close the cases whose arrears ended long enough ago, if the setting is on (docs/adr/0093)."""
    return {"closed": arrears_ended.arrears_ended_auto_close()}


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def respite_reminders():
    """Daily: end respites whose last day passed, then remind of those ending soon."""
    return {"expired": respite.respite_expire_due(), "reminded": respite.respite_remind_due()}


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def respite_acknowledgements_due():
    """Daily: escalate respites the corporation did not confirm in time to its managers (docs/adr/0082)."""
    return {"escalated": respite.respite_acknowledgement_escalate_due()}


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def eviction_alerts_due():
    """Daily: alert the managers of crisis cases whose eviction is near without contact, or past without
    an outcome (issue 15)."""
    return eviction_alerts.eviction_alert_due()


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def notify_cases(case_ids, kind):
    return {"sent": notifications.send(case_ids=case_ids, kind=kind)}


WORKER_HEARTBEAT_KEY = "tijdig:worker-heartbeat"


@shared_task(acks_late=True, ignore_result=False)
def heartbeat():
    """Proves a worker is alive and reaches the database; /health/ reads the time it last ran."""
    at = timezone.now().isoformat()
    cache.set(WORKER_HEARTBEAT_KEY, at, timeout=None)
    return {"at": at, "cases": Case.objects.count()}
