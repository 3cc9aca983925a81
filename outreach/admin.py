from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from outreach import placeholders
from outreach.models import MessageTemplate
from partners.admin import PartnerAdminScope


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["partner", "channel", "purpose", "language", "name", "subject", "body", "is_active"]
        help_texts = {
            "body": _("Placeholders in single braces, e.g. {household_name}; see the list below."),
        }


@admin.register(MessageTemplate)
class MessageTemplateAdmin(PartnerAdminScope, admin.ModelAdmin):
    """A partner admin edits their own partner's templates; an unknown placeholder is refused by the
    model's ``clean`` (docs/adr/0095)."""

    form = MessageTemplateForm
    list_display = ["name", "partner", "channel", "purpose", "language", "is_active", "updated_at"]
    list_filter = ["channel", "purpose", "language", "is_active", "partner"]
    search_fields = ["name", "subject"]
    readonly_fields = ["placeholder_list"]

    @admin.display(description=_("placeholders"))
    def placeholder_list(self, obj):
        return format_html_join(
            "",
            "<div><code>{{{}}}</code> — {}</div>",
            ((name, str(text)) for name, text in placeholders.PLACEHOLDERS.items()),
        )
