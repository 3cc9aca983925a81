"""Celery tasks: thin wrappers that take ids and call a service. One module per area; Celery's
autodiscovery imports this package, so every task module is imported here."""

from .dashboards import snapshot_weekly_figures
from .system import WORKER_HEARTBEAT_KEY, heartbeat

__all__ = ["WORKER_HEARTBEAT_KEY", "heartbeat", "snapshot_weekly_figures"]
