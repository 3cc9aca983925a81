from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from outreach.models import Letter, MessageTemplate


class MessageTemplateSerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = MessageTemplate
        fields = ["id", "partner", "channel", "purpose", "language", "name", "subject", "body", "is_active"]
        read_only_fields = fields


class LetterInput(serializers.Serializer):
    template = serializers.IntegerField(min_value=1, help_text="The id of one of your partner's letter templates.")
    date = serializers.DateField(required=False, allow_null=True, help_text="The letter's date (default: today).")


class LetterSerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "case",
            "partner",
            "template",
            "channel",
            "purpose",
            "date",
            "subject",
            "text",
            "contact_attempt",
            "pdf_url",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_pdf_url(self, obj) -> str:
        return reverse("api:letter-pdf", args=[obj.pk])
