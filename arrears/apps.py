from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrearsConfig(AppConfig):
    name = "arrears"
    verbose_name = _("Arrears")

    def ready(self):
        # Models are loaded only now, so the seam's modules are imported here (docs/adr/0080).
        from arrears import flagging, holding
        from arrears.services import eviction_import
        from ledger import hooks

        hooks.register(
            hooks.EpisodeHooks(
                flag_import=flagging.flag_import,
                person_held_sql=holding.person_held_sql,
                record_eviction_steps=eviction_import.record_eviction_steps,
            )
        )
        # Registers this app's Celery tasks in every process: notifications.notify_later queues one by name.
        from arrears import tasks  # noqa: F401
