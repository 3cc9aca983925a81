"""Celery tasks: thin wrappers that take ids and call a service. One module per area; Celery's
autodiscovery imports this package, so every task module is imported here."""

from .dashboards import snapshot_weekly_figures
from .imports import import_ledger, scan_inbox
from .retention import purge_personal_data
from .routing import escalate_overdue, notify_cases, respite_reminders
from .system import WORKER_HEARTBEAT_KEY, heartbeat

__all__ = [
    "WORKER_HEARTBEAT_KEY",
    "escalate_overdue",
    "heartbeat",
    "import_ledger",
    "notify_cases",
    "purge_personal_data",
    "respite_reminders",
    "scan_inbox",
    "snapshot_weekly_figures",
]
