from django.contrib import admin

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
    Referral,
    Signal,
)


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "shape", "is_default", "is_complete_export"]
    list_filter = ["partner", "shape"]


@admin.register(LedgerImport)
class LedgerImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "partner", "source", "status", "created_at", "finished_at"]
    list_filter = ["partner", "status", "source"]
    readonly_fields = ["sha256", "summary", "errors", "message", "started_at", "finished_at"]


@admin.register(LedgerLine)
class LedgerLineAdmin(admin.ModelAdmin):
    list_display = ["tenancy", "booking_date", "due_date", "amount", "description"]
    raw_id_fields = ["tenancy", "ledger_import"]
    list_select_related = ["tenancy"]


@admin.register(ArrearsState)
class ArrearsStateAdmin(admin.ModelAdmin):
    list_display = ["tenancy", "as_of", "balance", "months_of_rent", "days_overdue"]
    raw_id_fields = ["tenancy", "ledger_import"]
    list_select_related = ["tenancy"]


@admin.register(ArrearsSnapshot)
class ArrearsSnapshotAdmin(admin.ModelAdmin):
    list_display = ["tenancy", "as_of", "balance", "days_overdue"]
    raw_id_fields = ["tenancy"]


@admin.register(FlaggingRule)
class FlaggingRuleAdmin(admin.ModelAdmin):
    list_display = ["partner", "min_days_overdue", "min_amount", "min_months_of_rent", "close_after_days_below"]


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
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


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["id", "household", "corporation", "queue_partner", "state", "routing_decision", "opened_at"]
    list_filter = ["state", "routing_decision", "queue_partner", "corporation"]
    raw_id_fields = ["household", "assignee", "routing_rule"]
    list_select_related = ["household", "corporation", "queue_partner", "assignee"]
    readonly_fields = ["version"]
    inlines = [CaseEventInline]


@admin.register(ContactAttempt)
class ContactAttemptAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "reached", "date", "part_of_day", "partner"]
    raw_id_fields = ["case"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "partner", "respite_until", "created_at"]
    raw_id_fields = ["case"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["case", "from_partner", "to_partner", "status", "created_at", "decided_at"]
    list_filter = ["status", "to_partner"]
    raw_id_fields = ["case"]


@admin.register(PaymentArrangement)
class PaymentArrangementAdmin(admin.ModelAdmin):
    list_display = ["case", "partner", "monthly_amount", "start_date", "end_date", "created_at"]
    raw_id_fields = ["case"]
