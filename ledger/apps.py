from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Rent ledgers")

    def ready(self):
        # Registers the import tasks with Celery in every process (web, worker, commands):
        # ledger.services queues ``ledger.tasks.import_ledger`` by name, as the tasks import the services.
        from ledger import tasks  # noqa: F401
