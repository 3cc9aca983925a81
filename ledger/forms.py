"""The partner admin's ledger upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx", ".xls")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file"),
        help_text=_("The export from your rent administration: CSV or Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )
    profile = forms.ModelChoiceField(
        label=_("Import profile"), queryset=None, required=False, empty_label=_("Default profile")
    )

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(
                _("“%(name)s” is not a CSV or Excel file (allowed: %(allowed)s)."),
                params={"name": upload.name, "allowed": ", ".join(ALLOWED_EXTENSIONS)},
            )
        return upload
