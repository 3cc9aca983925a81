from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from partners import signals  # noqa: F401 (connects the receivers)
        from partners.api import schema  # noqa: F401 (registers the token scheme with drf-spectacular)
