import copy

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners import bounds
from partners.admin import ReadOnlyAdminMixin
from partners.models import Partner, Role
from partners.readaudit import AuditedReadAdminMixin

from . import gate
from .importing.fields import FIELDS
from .models import (
    ArrearsSnapshot,
    ArrearsState,
    Case,
    CaseEvent,
    ContactAttempt,
    FlaggingRule,
    ImportProfile,
    LedgerImport,
    LedgerLine,
    Note,
    PaymentArrangement,
    PurgeRun,
    Referral,
    Signal,
)
from .services.imports import import_queue, import_submit


class PartnerAdminScope:
    """A partner admin (a staff user, not a superuser) sees and edits only the rows of the partners
    where they are admin."""

    partner_field = "partner"

    def _partner_ids(self, request):
        return list(request.user.memberships.filter(role=Role.ADMIN).values_list("partner_id", flat=True))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.partner_field}_id__in": self._partner_ids(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "partner" and not request.user.is_superuser:
            kwargs["queryset"] = Partner.objects.filter(pk__in=self._partner_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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

    @admin.display(description=_("new signals"))
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


@admin.register(FlaggingRule)
class FlaggingRuleAdmin(PartnerAdminScope, admin.ModelAdmin):
    list_display = ["partner", "min_days_overdue", "min_amount", "min_months_of_rent", "close_after_days_below"]


@admin.register(Signal)
class SignalAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["id", "corporation", "tenancy", "status", "opened_on", "closed_on", "amount", "days_overdue"]
    list_filter = ["corporation", "status"]
    raw_id_fields = ["tenancy", "household", "case"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "actor", "partner", "from_state", "to_state", "reason", "data", "shared"]
    exclude = ["note"]

    def has_add_permission(self, request, obj=None):
        return False


class CaseAdminForm(forms.ModelForm):
    """Moving a case into a social service's queue here passes the Besluit art. 2 gate like every other
    path (``arrears.gate``): the platform administrator cannot waive it either."""

    def clean(self):
        cleaned = super().clean()
        queue = cleaned.get("queue_partner")
        if queue is None or not queue.is_social_service:
            return cleaned
        if self.instance.pk is not None and self.instance.queue_partner_id == queue.pk:
            return cleaned  # not entering: already in that queue
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        try:
            gate.require_entry(candidate, to_partner_id=queue.pk)
        except gate.GateClosed as error:
            raise forms.ValidationError({"queue_partner": str(error)}) from error
        return cleaned


@admin.register(Case)
class CaseAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    form = CaseAdminForm
    list_display = ["id", "household", "corporation", "queue_partner", "state", "routing_decision", "opened_at"]
    list_filter = ["state", "routing_decision", "queue_partner", "corporation"]
    raw_id_fields = ["household", "assignee", "routing_rule"]
    list_select_related = ["household", "corporation", "queue_partner", "assignee"]
    readonly_fields = ["version"]
    inlines = [CaseEventInline]


@admin.register(ContactAttempt)
class ContactAttemptAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["case", "kind", "reached", "date", "part_of_day", "partner"]
    raw_id_fields = ["case"]


@admin.register(Note)
class NoteAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["case", "kind", "partner", "respite_until", "created_at"]
    raw_id_fields = ["case"]


@admin.register(Referral)
class ReferralAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["case", "from_partner", "to_partner", "status", "created_at", "decided_at"]
    list_filter = ["status", "to_partner"]
    raw_id_fields = ["case"]


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The retention log: read-only, counts only."""

    list_display = ["started_at", "trigger", "reference_date", "finished_at", "counts"]
    list_filter = ["trigger"]


@admin.register(PaymentArrangement)
class PaymentArrangementAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["case", "partner", "monthly_amount", "start_date", "end_date", "created_at"]
    raw_id_fields = ["case"]
