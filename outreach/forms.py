from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import MessageTemplate


class LetterForm(forms.Form):
    """Choose a template (of the user's own partner) and the letter's date."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=MessageTemplate.objects.none())
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
