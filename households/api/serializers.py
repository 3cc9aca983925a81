"""Household and tenancy representations. A household shows only the fields its reader may see."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.models import PERSONAL_FIELDS, Household, Tenancy
from partners.models import Municipality, Neighbourhood
from partners.readaudit import AuditedReadSerializerMixin

#: Every household field the API can show besides ``id``; a reader gets the subset it may see.
HOUSEHOLD_FIELDS = (*PERSONAL_FIELDS, "municipality", "neighbourhood")


class HouseholdSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    """Shows ``id``, ``corporation`` and the fields named in the household's ``visible_fields`` attribute
    (set by the view from the selectors); the other fields are left out of the answer, not nulled."""

    corporation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # Output only. Declared writable (with a queryset) so the schema does not list them as always
    # present: a reader gets only the fields it may see.
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True, help_text="CBS municipality code."
    )
    neighbourhood = serializers.PrimaryKeyRelatedField(
        queryset=Neighbourhood.objects.all(), required=False, allow_null=True, help_text="CBS neighbourhood code."
    )
    email = serializers.CharField(required=False, allow_blank=True, help_text="As the ledger gives it.")
    visible_fields = serializers.SerializerMethodField(
        help_text="The household fields you may see (a social service sees the signal's fields until it "
        "takes the signal up or accepts a referral)."
    )

    class Meta:
        model = Household
        fields = ("id", "corporation", *HOUSEHOLD_FIELDS, "visible_fields")
        extra_kwargs = {name: {"required": False} for name in HOUSEHOLD_FIELDS}

    def _visible(self, household) -> list[str]:
        visible = getattr(household, "visible_fields", ())
        return [name for name in HOUSEHOLD_FIELDS if name in visible]

    def get_visible_fields(self, household) -> list[str]:
        return self._visible(household)

    def to_representation(self, household):
        data = super().to_representation(household)
        keep = {"id", "corporation", "visible_fields", *self._visible(household)}
        return {key: value for key, value in data.items() if key in keep}


class ArrearsStateSerializer(serializers.Serializer):
    """A tenancy's arrears as the latest import left them (``ledger.ArrearsState``)."""

    as_of = serializers.DateField()
    balance = serializers.DecimalField(max_digits=10, decimal_places=2)
    previous_balance = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    months_of_rent = serializers.DecimalField(max_digits=6, decimal_places=2)
    oldest_unpaid_due_date = serializers.DateField(allow_null=True)
    days_overdue = serializers.IntegerField()
    last_payment_date = serializers.DateField(allow_null=True)
    reminder_date = serializers.DateField(allow_null=True)
    collection_stage = serializers.CharField()


class TenancySerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    corporation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    arrears = serializers.SerializerMethodField(help_text="The arrears as the latest import left them, or null.")

    class Meta:
        model = Tenancy
        fields = (
            "id",
            "corporation",
            "household",
            "contract_number",
            "monthly_rent",
            "start_date",
            "end_date",
            "arrears",
        )

    @extend_schema_field(ArrearsStateSerializer(allow_null=True))
    def get_arrears(self, tenancy):
        state = getattr(tenancy, "arrears", None)  # the reverse one-to-one raises AttributeError when absent
        return ArrearsStateSerializer(state).data if state is not None else None
