"""Inputs of the case, note, respite and referral actions. They check shape and range; the services
check the rules (who may, in which state) and say why not."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from arrears import outcomes
from arrears.models import EvictionStep, Referral
from arrears.vocabularies import ContactKind, CorporationOutcome, FinalResult, PartOfDay
from partners import bounds
from partners.api.fields import DateField, StrictBooleanField, StrictCharField, StrictDecimalField, StrictIntegerField
from partners.models import Partner

CHECKLIST_ITEMS = ("reminder_sent", "contact_attempted", "pointed_to_help", "offered_to_share")


class VersionedInput(serializers.Serializer):
    expected_version = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The case `version` you saw; if the case changed since, the answer is 409 and nothing changes.",
    )


class EmptyInput(VersionedInput):
    pass


@extend_schema_field(OpenApiTypes.STR)
class ColleagueField(serializers.SlugRelatedField):
    """A user name of an active colleague in the acting partner (``context["partner"]``)."""

    default_error_messages = {
        "does_not_exist": _("Nobody in your organisation has the user name “{value}”."),
        "invalid": _("Give a user name."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        return get_user_model().objects.filter(memberships__partner=self.context["partner"], is_active=True)


class PartnerField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Partner.objects.filter(is_active=True))
        super().__init__(slug_field="slug", **kwargs)


class AssignInput(VersionedInput):
    assignee = ColleagueField(help_text="User name of a colleague in your organisation.")


class BulkAssignInput(serializers.Serializer):
    cases = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=bounds.MAX_ID), min_length=1, max_length=500
    )
    assignee = ColleagueField(help_text="User name of a colleague in your organisation.")


class BulkAssignResult(serializers.Serializer):
    assigned = StrictIntegerField(help_text="How many cases were assigned.")


class ContactAttemptInput(VersionedInput):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    reached = StrictBooleanField()
    date = DateField()
    part_of_day = serializers.ChoiceField(choices=PartOfDay.choices, required=False, allow_blank=True, default="")
    outcome = StrictCharField(required=False, allow_blank=True, default="", max_length=500)


class ChecklistInput(VersionedInput):
    item = serializers.ChoiceField(choices=CHECKLIST_ITEMS)
    date = DateField()
    respite_reason = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="Required during respite: why this collection step cannot wait (the social service sees it).",
    )


class ObjectionInput(VersionedInput):
    date = DateField()
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=500)


class RerouteInput(VersionedInput):
    to_partner = PartnerField(help_text="Slug of the partner whose queue the case moves to.")
    reason = StrictCharField(max_length=500)


class PaymentArrangementInput(VersionedInput):
    monthly_amount = StrictDecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
    start_date = DateField()
    end_date = DateField(required=False, allow_null=True, default=None)
    note = StrictCharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, data):
        if data.get("end_date") and data["end_date"] < data["start_date"]:
            raise serializers.ValidationError({"end_date": [_("The end date is before the start date.")]})
        return data


class EvictionStepInput(VersionedInput):
    kind = serializers.ChoiceField(choices=EvictionStep.Kind.choices, help_text="The step of the eviction.")
    date = DateField(help_text="The day of the step; for `announced`: the eviction date.")
    note = StrictCharField(required=False, allow_blank=True, default="", max_length=500)
    respite_reason = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="Required during respite: why this collection step cannot wait (the social service sees it).",
    )


class CloseInput(VersionedInput):
    """One of two lists, by who closes (``arrears.outcomes``): the field of the other list is a 400 that
    names it."""

    outcome = serializers.ChoiceField(
        choices=FinalResult.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="A social service: the DDAS final result (required). A corporation: leave out.",
    )
    corporation_outcome = serializers.ChoiceField(
        choices=CorporationOutcome.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="A corporation: its own outcome (required); arrears_paid, arrangement_kept and deceased "
        "count as their DDAS final result in the monitor export. A social service: leave out.",
    )
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=500)

    def validate(self, data):
        partner = self.context.get("partner")
        if partner is None:  # nobody to close for: the service refuses
            return data
        given = {field: data.get(field, "") for field in outcomes.FIELDS}
        problems = outcomes.problems(partner, **given)
        if problems:
            raise serializers.ValidationError({field: [message] for field, message in problems.items()})
        return data


class NoteInput(VersionedInput):
    text = StrictCharField(max_length=5000)
    shareable = StrictBooleanField(default=False, help_text="Shared with the other partner on the case.")


class RespiteGrantInput(VersionedInput):
    until = DateField(required=False, allow_null=True, default=None, help_text="Default: 30 days from today.")
    text = StrictCharField(required=False, allow_blank=True, default="", max_length=5000)


class RespiteExtendInput(VersionedInput):
    until = DateField()
    text = StrictCharField(max_length=5000)


class RespiteEndInput(VersionedInput):
    text = StrictCharField(max_length=5000)


class ReferralCreateInput(serializers.Serializer):
    case = StrictIntegerField(min_value=1, max_value=bounds.MAX_ID)
    to_partner = PartnerField(help_text="Slug of the social service.")
    consent_on = DateField(help_text="When the household consented to the handover.")
    consent_how = serializers.ChoiceField(
        choices=Referral.ConsentHow.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="How the household consented (optional).",
    )
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=5000)


class ConsentWithdrawInput(VersionedInput):
    date = DateField(help_text="When the household withdrew its consent (or objected after it).")


class ReferralDecisionInput(serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=5000)


class ReferralDeclineInput(serializers.Serializer):
    reason = StrictCharField(max_length=5000, help_text="Why the referral is declined (shown to the sender).")
