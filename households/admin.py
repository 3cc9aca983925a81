from django.contrib import admin

from households.models import Household, Tenancy
from partners.admin import LabelledInlineFormSet
from partners.readaudit import AuditedReadAdminMixin


class TenancyInline(admin.TabularInline):
    model = Tenancy
    formset = LabelledInlineFormSet
    extra = 0
    fields = ["contract_number", "monthly_rent", "start_date", "end_date"]


@admin.register(Household)
class HouseholdAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["name", "postcode", "house_number", "city", "municipality", "corporation"]
    list_filter = ["corporation", "municipality"]
    search_fields = ["name", "surname", "postcode", "street", "tenancies__contract_number"]
    list_select_related = ["municipality", "corporation"]
    raw_id_fields = ["neighbourhood"]
    inlines = [TenancyInline]


@admin.register(Tenancy)
class TenancyAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    list_display = ["contract_number", "corporation", "household", "monthly_rent", "start_date", "end_date"]
    list_filter = ["corporation"]
    search_fields = ["contract_number", "household__name"]
    raw_id_fields = ["household"]
    list_select_related = ["corporation", "household"]
