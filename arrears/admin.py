import copy

from django import forms
from django.contrib import admin

from arrears import gate
from arrears.models import Case, CaseEvent, ContactAttempt, FlaggingRule, Note, PaymentArrangement, Referral, Signal
from partners.admin import LabelledInlineFormSet, PartnerAdminScope
from partners.readaudit import AuditedReadAdminMixin


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
    formset = LabelledInlineFormSet
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


@admin.register(PaymentArrangement)
class PaymentArrangementAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["case", "partner", "monthly_amount", "start_date", "end_date", "created_at"]
    raw_id_fields = ["case"]
