from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ledger.importing.fields import FIELDS
from ledger.models import ArrearsSnapshot, ArrearsState, ImportProfile, LedgerImport, LedgerLine
from ledger.services import import_queue, import_submit
from partners import bounds
from partners.admin import PartnerAdminScope
from partners.readaudit import AuditedReadAdminMixin


@admin.register(ImportProfile)
class ImportProfileAdmin(PartnerAdminScope, admin.ModelAdmin):
    list_display = ["name", "partner", "shape", "is_default", "is_complete_export"]
    list_filter = ["partner", "shape"]
    fieldsets = [
        (None, {"fields": ["partner", "name", "shape", "is_default", "is_complete_export"]}),
        (
            _("Reading the file"),
            {
                "fields": ["column_mapping", "delimiter", "decimal_separator", "date_format", "encoding", "sheet_name"],
                "description": _("Leave empty to detect. Fields for the column mapping: %(fields)s.")
                % {"fields": ", ".join(FIELDS)},
            },
        ),
    ]


class LedgerImportForm(forms.ModelForm):
    """Upload by a partner admin: the file goes through ``import_submit`` like any other."""

    upload = forms.FileField(label=_("ledger file (CSV or XLSX)"))
    as_of = bounds.BusinessDateField(
        label=_("export date"), required=False, help_text=_("Empty: from the file (ADR 0012).")
    )

    class Meta:
        model = LedgerImport
        fields = ["partner", "profile"]

    def clean(self):
        data = super().clean()
        partner, profile = data.get("partner"), data.get("profile")
        if partner and not partner.is_corporation:
            self.add_error("partner", _("Only a housing corporation imports a rent ledger."))
        if partner and profile and profile.partner_id != partner.pk:
            self.add_error("profile", _("This profile belongs to another partner."))
        return data


@admin.register(LedgerImport)
class LedgerImportAdmin(AuditedReadAdminMixin, PartnerAdminScope, admin.ModelAdmin):
    list_display = ["file_name", "partner", "source", "status", "as_of", "rows", "new_signals", "created_at"]
    list_filter = ["partner", "status", "source"]
    readonly_fields = [
        "partner", "profile", "source", "file_name", "file", "sha256", "status", "as_of", "as_of_source",
        "created_by", "created_at", "started_at", "finished_at", "attempts", "source_path", "message", "summary",
        "errors",
    ]  # fmt: skip
    actions = ["run_again"]

    @admin.display(description=_("rows"))
    def rows(self, obj):
        return obj.summary.get("rows")

    @admin.display(description=_("new arrears episodes"))
    def new_signals(self, obj):
        return obj.summary.get("new_signals")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = LedgerImportForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["partner", "profile", "upload", "as_of"]

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        imported = import_submit(
            partner=form.cleaned_data["partner"],
            profile=form.cleaned_data["profile"],
            file=upload,
            file_name=upload.name,
            source=LedgerImport.Source.UPLOAD,
            user=request.user,
            as_of=form.cleaned_data["as_of"],
        )
        obj.pk, obj.file_name, obj.status = imported.pk, imported.file_name, imported.status
        transaction.on_commit(lambda: self._report_queue(request, imported))  # after import_submit's own

    def _report_queue(self, request, imported):
        if getattr(imported, "queued", None) is False:
            messages.warning(
                request,
                gettext(
                    "The file “%(name)s” was received and kept (import %(id)s), but the task queue cannot be "
                    "reached right now. The import starts by itself within a few minutes of the queue being "
                    "back; there is no need to upload the file again."
                )
                % {"name": imported.file_name, "id": imported.pk},
            )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # the history of what was imported stays

    @admin.action(description=_("Run the selected failed imports again"))
    def run_again(self, request, queryset):
        for ledger_import in queryset.filter(status=LedgerImport.Status.FAILED):
            import_queue(import_id=ledger_import.pk)


@admin.register(LedgerLine)
class LedgerLineAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["tenancy", "booking_date", "due_date", "amount", "description"]
    raw_id_fields = ["tenancy", "ledger_import"]
    list_select_related = ["tenancy"]


@admin.register(ArrearsState)
class ArrearsStateAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["tenancy", "as_of", "balance", "trend", "months_of_rent", "days_overdue"]
    raw_id_fields = ["tenancy", "ledger_import"]
    list_select_related = ["tenancy"]


@admin.register(ArrearsSnapshot)
class ArrearsSnapshotAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["tenancy", "as_of", "balance", "days_overdue"]
    raw_id_fields = ["tenancy"]
