from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Cross-cutting protection: two-factor login, lockout, headers, request ids, logs, error pages."""

    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from security import checks, signals  # noqa: F401 (registers the system checks and signal handlers)
