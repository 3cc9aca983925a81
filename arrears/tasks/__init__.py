"""Celery tasks: thin wrappers that take ids and call a service. One module per area; Celery's
autodiscovery imports this package, so every task module is imported here."""

from .routing import escalate_overdue, notify_cases, respite_reminders
from .system import WORKER_HEARTBEAT_KEY, heartbeat

__all__ = ["WORKER_HEARTBEAT_KEY", "escalate_overdue", "heartbeat", "notify_cases", "respite_reminders"]
