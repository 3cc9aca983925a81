"""Ledger imports: the upload and the report."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ledger.models import ImportProfile, LedgerImport
from partners.api.fields import DateField
from partners.readaudit import AuditedReadSerializerMixin


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="Line in the file (1 = the header).")
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(
        allow_blank=True, default="", help_text="The cell's value; empty once the stored file has passed its window."
    )
    reason = serializers.CharField()


class ImportSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:import-detail", help_text="Poll this for the status.")
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    profile = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    summary = serializers.DictField(
        help_text="When done: rows, tenancies, rejected_rows, new_signals, updated_signals, closed_signals, … "
        "(`*_signals`: arrears episodes opened, updated and closed by the import)"
    )
    errors = ImportErrorSerializer(many=True, help_text="Rejected rows: line, column, value and reason.")

    class Meta:
        model = LedgerImport
        fields = (
            "id",
            "url",
            "partner",
            "source",
            "file_name",
            "profile",
            "status",
            "as_of",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "summary",
            "message",
            "errors",
        )
        extra_kwargs = {"message": {"help_text": "Why the whole file was rejected, if it was."}}


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=255, help_text="The ledger export: CSV (; , or tab) or XLSX.")
    as_of = DateField(required=False, help_text="The export date (default: from the file name or today).")
    profile = serializers.CharField(
        required=False, max_length=100, help_text="Name of one of your import profiles (default: your default one)."
    )

    def validate_profile(self, name):
        profile = ImportProfile.objects.filter(partner=self.context["partner"], name=name).first()
        if profile is None:
            raise serializers.ValidationError(_("You have no import profile named “%(name)s”.") % {"name": name})
        return profile
