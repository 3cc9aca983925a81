from django.contrib import admin

from partners.admin import ReadOnlyAdminMixin
from privacy.models import PurgeRun


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The retention log: read-only, counts only."""

    list_display = ["started_at", "trigger", "reference_date", "finished_at", "counts"]
    list_filter = ["trigger"]
