"""The log of retention purges (docs/domain.md §10): when, how, and how many of each thing went."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PurgeRun(models.Model):
    """One run of the personal-data purge (nightly task, command, or a partner admin's erasure).

    ``counts`` holds numbers only, e.g. ``{"cases_anonymised": 3, "notes_deleted": 7}``; never what
    was deleted.
    """

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Nightly schedule")
        COMMAND = "command", _("Command line")
        ERASURE = "erasure", _("Erasure request")

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    reference_date = models.DateTimeField(_("reference moment"), help_text=_("Periods are counted back from here."))
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        db_table = "arrears_purgerun"  # the table kept its name when the model moved (docs/adr/0080)
        ordering = ["-started_at"]
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_trigger_display()}"
