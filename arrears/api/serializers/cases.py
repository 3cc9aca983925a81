"""Cases, their signals, timeline, notes and referrals as the API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from arrears import disclosure
from arrears.models import Case, CaseEvent, ContactAttempt, EvictionStep, Note, Referral, Signal
from households.api.serializers import HouseholdSerializer
from partners.readaudit import AuditedReadSerializerMixin

#: Signal fields every reader of the signal gets: which signal it is and whose.
SIGNAL_IDENTITY = ("id", "case", "household", "corporation")
#: API field name → its name in ``arrears.disclosure`` where the two differ.
DISCLOSURE_NAMES = {"tenancy": "tenancies"}
#: The signal fields only full readers see (no longer required in the schema).
CORPORATION_SIGNAL_FIELDS = ("tenancy", "amount_at_open", "peak_amount", "months_of_rent", "updated_on")


def disclosed(context, case) -> frozenset:
    """The disclosure function's answer for ``case``, once per case per response (a list view may put
    the whole page's answers in ``context["disclosed"]`` up front)."""
    cache = context.setdefault("disclosed", {})
    if case is None or "request" not in context:
        return frozenset()  # no reader known: nothing beyond the identity fields (fail closed)
    if case.pk not in cache:
        cache[case.pk] = disclosure.visible_fields(user=context["request"].user, case=case)
    return cache[case.pk]


class SignalSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    """One arrears episode of a tenancy (the resource keeps its name, `signals`): opened when the
    corporation's trigger first holds, followed while it lasts, closed when the arrears are cleared. A
    social service before take-up gets the fields a DDAS signal carries."""

    corporation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    whole_euros = serializers.IntegerField(read_only=True, help_text="DDAS `bedrag`: the amount in whole euros.")
    crisis = serializers.SerializerMethodField(help_text="An eviction is announced or granted (DDAS `crisis`).")
    warm_handover = serializers.SerializerMethodField(help_text="DDAS `warmeOverdracht`.")

    class Meta:
        model = Signal
        fields = (
            "id",
            "case",
            "household",
            "corporation",
            "partner_type",
            "status",
            "origin_date",
            "opened_on",
            "closed_on",
            "amount",
            "whole_euros",
            "days_overdue",
            "crisis",
            "warm_handover",
            *CORPORATION_SIGNAL_FIELDS,
        )
        extra_kwargs = {name: {"required": False} for name in CORPORATION_SIGNAL_FIELDS}

    def get_crisis(self, signal) -> bool:
        return bool(signal.case_id and signal.case.is_crisis)

    def get_warm_handover(self, signal) -> bool:
        return bool(signal.case_id and signal.case.warm_handover)

    def to_representation(self, signal):
        """Only the fields ``arrears.disclosure`` gives this reader on the signal's case."""
        data = super().to_representation(signal)
        visible = disclosed(self.context, signal.case)
        return {
            name: value
            for name, value in data.items()
            if name in SIGNAL_IDENTITY or DISCLOSURE_NAMES.get(name, name) in visible
        }


class ChecklistSerializer(serializers.Serializer):
    """The legal steps before a signal (Besluit gemeentelijke schuldhulpverlening, art. 2)."""

    reminder_sent_on = serializers.DateField(allow_null=True)
    contact_attempted_on = serializers.DateField(allow_null=True)
    pointed_to_help_on = serializers.DateField(allow_null=True)
    offered_to_share_on = serializers.DateField(allow_null=True)
    objection_on = serializers.DateField(allow_null=True)
    complete = serializers.BooleanField(source="checklist_complete")


class CaseSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    corporation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    queue = serializers.SlugRelatedField(source="queue_partner", slug_field="slug", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    arrears_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Total of the household's open arrears episodes (null: none open).",
    )
    checklist = serializers.SerializerMethodField(
        help_text="The corporation's Besluit art. 2 steps; null for a reader a referral waits on, who sees "
        "none of the corporation's internal workflow."
    )

    class Meta:
        model = Case
        fields = (
            "id",
            "household",
            "corporation",
            "queue",
            "state",
            "assignee",
            "arrears_amount",
            "opened_at",
            "signalled_at",
            "taken_up_at",
            "closed_at",
            "outcome",
            "corporation_outcome",
            "arrears_ended_on",
            "routing_reason",
            "is_late",
            "eviction_date",
            "warm_handover",
            "respite_until",
            "checklist",
            "version",
        )

    @extend_schema_field(ChecklistSerializer(allow_null=True))
    def get_checklist(self, case):
        return ChecklistSerializer(case).data

    def to_representation(self, case):
        """The handling of the case's queue (assignee, routing reason, checklist) only for readers
        ``arrears.disclosure`` gives ``workflow``: not for a social service a referral waits on, for whom
        it is the corporation's internal workflow (docs/adr/0091). The field names stay; the values are
        left empty."""
        data = super().to_representation(case)
        if "request" in self.context and "workflow" not in disclosed(self.context, case):
            data.update(assignee=None, routing_reason="", checklist=None)
        return data


class EvictionStepSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = EvictionStep
        fields = ("id", "kind", "date", "note", "partner", "recorded_by", "created_at")


class CaseDetailSerializer(CaseSerializer):
    household = serializers.SerializerMethodField(
        help_text="The household, with only the fields you may see (see `visible_fields`)."
    )
    signals = serializers.SerializerMethodField()
    crisis = serializers.BooleanField(
        source="is_crisis", read_only=True, help_text="An eviction is announced or granted (DDAS `crisis`)."
    )
    eviction_steps = serializers.SerializerMethodField(
        help_text="The eviction track, oldest date first (the corporation's records: full readers only)."
    )

    class Meta(CaseSerializer.Meta):
        fields = (*CaseSerializer.Meta.fields, "signals", "crisis", "eviction_granted_on", "eviction_steps")

    @extend_schema_field(HouseholdSerializer)
    def get_household(self, case):
        return HouseholdSerializer(case.household, context=self.context).data

    @extend_schema_field(SignalSerializer(many=True))
    def get_signals(self, case):
        if "request" in self.context and not disclosed(self.context, case):
            return []  # the action just moved the case out of the reader's sight
        return SignalSerializer(case.signals.order_by("-opened_on", "-id"), many=True, context=self.context).data

    @extend_schema_field(EvictionStepSerializer(many=True))
    def get_eviction_steps(self, case):
        if "corporation_records" not in disclosed(self.context, case):
            return []
        steps = case.eviction_steps.select_related("partner", "recorded_by")
        return EvictionStepSerializer(steps, many=True, context=self.context).data


class NoteSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Note
        fields = ("id", "case", "partner", "author", "kind", "text", "respite_until", "shareable", "created_at")


class CaseEventSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    redacted = serializers.SerializerMethodField(
        help_text="Another partner's event that is not shared: its reason, data and note are left out."
    )
    note = NoteSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = (
            "id",
            "kind",
            "at",
            "actor",
            "partner",
            "from_state",
            "to_state",
            "reason",
            "data",
            "note",
            "redacted",
        )

    def get_redacted(self, event) -> bool:
        return bool(getattr(event, "redacted", False))


class ContactAttemptSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ContactAttempt
        fields = ("id", "case", "partner", "by", "kind", "reached", "date", "part_of_day", "outcome", "created_at")


class ReferralSerializer(AuditedReadSerializerMixin, serializers.ModelSerializer):
    from_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = (
            "id",
            "case",
            "from_partner",
            "to_partner",
            "status",
            "consent_on",
            "consent_how",
            "consent_withdrawn_on",
            "reason",
            "created_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        )
