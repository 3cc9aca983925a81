from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners import audit, rules_policy, services
from partners.models import (
    Agreement,
    ApiToken,
    AuditEvent,
    Membership,
    Municipality,
    Neighbourhood,
    Partner,
    Role,
    RoutingRule,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)


def admin_partner_ids(request) -> set[int]:
    """Partners the signed-in user is a partner admin of (the scope of what they edit here)."""
    return set(Membership.objects.filter(user=request.user, role=Role.ADMIN).values_list("partner_id", flat=True))


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    """A tabular inline shows each field under a column heading, without a ``<label>``: a screen reader
    would announce an unnamed field (WCAG 1.3.1 and 4.1.2; axe's ``label`` and ``select-name`` rules).
    Every visible field gets its heading and its row as its accessible name ("Naam (routeringsregel 2)";
    in the empty row that "add another" copies, "Naam (routeringsregel, nieuw)"). Used by every tabular
    inline (docs/accessibility.md)."""

    def _construct_form(self, i, **kwargs):
        return self._labelled(super()._construct_form(i, **kwargs), i + 1)

    @property
    def empty_form(self):
        return self._labelled(super().empty_form, None)

    def _labelled(self, form, number):
        thing = self.model._meta.verbose_name
        for field in form.fields.values():
            if field.widget.is_hidden:
                continue
            if number is None:
                name = gettext("%(field)s (%(object)s, new)") % {"field": field.label, "object": thing}
            else:
                name = gettext("%(field)s (%(object)s %(number)s)") % {
                    "field": field.label,
                    "object": thing,
                    "number": number,
                }
            field.widget.attrs["aria-label"] = name
        return form


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "role"]
    list_filter = ["partner", "role"]
    search_fields = ["user__username", "partner__name"]
    autocomplete_fields = ["user", "partner"]


class RoutingRuleInline(admin.TabularInline):
    """The agreement's rules: edited by the corporation's partner admin (and the platform administrator),
    read by the social service's (``partners.rules_policy``)."""

    model = RoutingRule
    formset = LabelledInlineFormSet
    extra = 0
    ordering = ["position", "id"]
    fields = [
        "position",
        "name",
        "is_active",
        "threshold_match",
        "min_amount",
        "min_months_of_rent",
        "min_days_overdue",
        "crisis",
        "checklist_complete",
        "destination",
        "mark_late",
    ]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or rules_policy.can_view_rules(request.user, obj)
        )

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or rules_policy.can_edit_rules(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or rules_policy.can_edit_rules(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or rules_policy.can_edit_rules(request.user, obj)
        )


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """One predicate per question (``partners.rules_policy``, docs/adr/0024): the platform administrator
    binds the pair (adds, deletes, sets corporation, municipality, social service); the corporation's
    partner admin edits the rules, default and deadlines of its outgoing agreements; the social
    service's partner admin sees them read-only and is e-mailed when they change. A rule that would
    signal without the Besluit art. 2 checklist is refused by the model's validation (docs/adr/0023)."""

    list_display = ["corporation", "municipality", "social_service", "is_active", "signed_on", "default_destination"]
    list_filter = ["is_active", "default_destination"]
    list_select_related = ["corporation", "municipality", "social_service"]
    inlines = [RoutingRuleInline]
    pair_fields = ["corporation", "municipality", "social_service", "signed_on", "is_active"]
    fieldsets = [
        (None, {"fields": pair_fields}),
        (_("When no rule applies"), {"fields": ["default_destination", "late_after_days"]}),
        (_("Escalation"), {"fields": ["contact_deadline_working_days", "take_up_deadline_working_days"]}),
    ]

    def get_queryset(self, request):
        return rules_policy.visible_agreements(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [] if rules_policy.can_bind(request.user) else self.pair_fields

    def has_add_permission(self, request):
        return rules_policy.can_bind(request.user)

    def has_delete_permission(self, request, obj=None):
        return rules_policy.can_bind(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or rules_policy.can_view_rules(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules_policy.can_edit_rules(request.user, obj))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = audit.Action.CHANGE if change else audit.Action.CREATE
        audit.record(user=request.user, action=action, obj=obj, channel="admin", detail={"fields": form.changed_data})

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(user=request.user, action=audit.Action.CREATE, obj=obj, channel="admin")
        for obj, fields in formset.changed_objects:
            audit.record(
                user=request.user, action=audit.Action.CHANGE, obj=obj, channel="admin", detail={"fields": fields}
            )
        for obj in formset.deleted_objects:
            audit.record(
                user=request.user, action=audit.Action.DELETE, obj=obj, channel="admin", detail={"rule": str(obj)}
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes = (
            [gettext("Agreement: %(fields)s") % {"fields": ", ".join(form.changed_data)}]
            if (change and form.changed_data)
            else []
        )
        for formset in formsets:
            changes += [gettext("New rule: %(rule)s") % {"rule": obj} for obj in formset.new_objects]
            changes += [
                gettext("Rule changed: %(rule)s (%(fields)s)") % {"rule": obj, "fields": ", ".join(fields)}
                for obj, fields in formset.changed_objects
            ]
            changes += [gettext("Rule deleted: %(rule)s") % {"rule": obj} for obj in formset.deleted_objects]
        rules_policy.rules_changed(agreement=form.instance, by=request.user, changes=changes)


class ReadOnlyAdminMixin:
    """For logs (audit trail, retention runs): shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit trail cannot be edited through the app."""

    list_display = ["at", "username", "partner", "action", "object_type", "object_id", "channel"]
    list_filter = ["action", "object_type", "partner"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        """A partner admin sees what was done by their own partner's people."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(partner_id__in=admin_partner_ids(request))


class ApiTokenAddForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "partner", "name", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        user, partner = cleaned.get("user"), cleaned.get("partner")
        if user and partner and not Membership.objects.filter(user=user, partner=partner).exists():
            raise forms.ValidationError(_("The user is not a member of this partner."))
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created here (shown once, on the page after saving) and revoked, never edited."""

    list_display = ["prefix", "user", "partner", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["partner", "revoked_at"]
    search_fields = ["user__username", "prefix", "name"]
    readonly_fields = ["user", "partner", "prefix", "created_at", "last_used_at"]
    fields = ["user", "partner", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    autocomplete_fields = ["user", "partner"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
            kwargs["fields"] = ApiTokenAddForm.Meta.fields
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else ApiTokenAddForm.Meta.fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, raw = services.api_token_create(
            user=obj.user, partner=obj.partner, name=obj.name, expires_at=obj.expires_at
        )
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = token.pk, token.prefix, token.key_hash, token.created_at
        request.tijdig_new_api_token = raw
        return None

    def response_add(self, request, obj, post_url_continue=None):
        context = {**self.admin_site.each_context(request), "token": obj, "raw": request.tijdig_new_api_token}
        context.update(opts=self.model._meta, title=_("API token created"))
        return TemplateResponse(request, "admin/partners/apitoken/created.html", context)  # admin: never cached

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)


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


class WebhookSubscriptionForm(forms.ModelForm):
    """The secret is write-only: never shown again, kept when left empty on a change."""

    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Signs each delivery (HMAC-SHA256). Leave empty to keep the current secret."),
    )
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["partner", "url", "secret", "events", "is_active"]

    def clean_secret(self):
        secret = self.cleaned_data.get("secret") or ""
        if not secret:
            if self.instance.pk and self.instance.secret:
                return self.instance.secret
            raise forms.ValidationError(_("A new subscription needs a secret."))
        return secret


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(PartnerAdminScope, admin.ModelAdmin):
    """A partner admin registers where their systems hear of events (docs/adr/0083)."""

    form = WebhookSubscriptionForm
    list_display = ["partner", "url", "event_list", "is_active", "created_at"]
    list_filter = ["partner", "is_active"]
    search_fields = ["url", "partner__name"]

    @admin.display(description=_("events"))
    def event_list(self, obj):
        return ", ".join(obj.events or [])


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PartnerAdminScope, admin.ModelAdmin):
    """Read-only: what was sent, to where, and how it went."""

    partner_field = "subscription__partner"
    list_display = ["id", "event", "subscription", "status", "response_code", "attempts", "created_at", "delivered_at"]
    list_filter = ["status", "event"]
    search_fields = ["id"]
    readonly_fields = [
        "id",
        "subscription",
        "event",
        "payload",
        "status",
        "attempts",
        "response_code",
        "last_error",
        "created_at",
        "delivered_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
