"""Reads of households, tenancies, signals and referrals for a user: what the API lists. Built on ``case_list``
so visibility follows the cases (a social service sees a household only through a case it may see)."""

from django.db.models import Exists, OuterRef, Q

from households.models import Household, Tenancy

from ..models import Case, Referral, Signal
from .cases import case_list


def narrow_to_partner(cases, partner):
    """Of the cases a user may see, those one of its partners takes part in (for a token scoped to
    one partner of a user who works for several; docs/adr/0051). ``partner=None`` narrows nothing."""
    if partner is None:
        return cases
    return cases.filter(Q(corporation=partner) | Q(queue_partner=partner) | Q(referrals__to_partner=partner))


def _partner_ids(user):
    return list(user.memberships.values_list("partner_id", flat=True)) if user.is_authenticated else []


def household_list(*, user, partner=None):
    """Households the user may see: its corporations' own tenants, and households of cases it may see.
    ``partner`` narrows it to what that one partner of the user sees."""
    if not user.is_authenticated:
        return Household.objects.none()
    own = _partner_ids(user) if partner is None else [partner.pk]
    cases = narrow_to_partner(case_list(user=user), partner)
    return Household.objects.filter(
        Q(corporation_id__in=own) | Exists(cases.filter(household=OuterRef("pk")).values("pk"))
    ).select_related("corporation")


def tenancy_list(*, user, partner=None):
    """Tenancies of the user's own corporations (a social service sees no contracts or rents)."""
    own = _partner_ids(user) if partner is None else [partner.pk]
    return Tenancy.objects.filter(corporation_id__in=own).select_related("corporation", "arrears")


def signal_list(*, user, partner=None):
    """Signals of the cases the user may see, and the user's corporations' own signals."""
    if not user.is_authenticated:
        return Signal.objects.none()
    own = _partner_ids(user) if partner is None else [partner.pk]
    cases = narrow_to_partner(case_list(user=user), partner)
    return Signal.objects.filter(
        Q(corporation_id__in=own) | Q(case__in=Case.objects.filter(pk__in=cases.values("pk")))
    ).select_related("case", "corporation")


def household_fields(*, user, household, visible_for_case, partner=None) -> set[str]:
    """The household fields the user may see: all of them for its own corporation's tenant, else
    what ``visible_for_case`` (``visible_household_fields``) allows through its visible cases."""
    own = _partner_ids(user) if partner is None else [partner.pk]
    if household.corporation_id in own:
        return {field.name for field in Household._meta.concrete_fields}
    fields = set()
    for case in narrow_to_partner(case_list(user=user), partner).filter(household=household):
        fields |= set(visible_for_case(user=user, case=case))
    return fields


def referral_list(*, user, partner=None):
    """Referrals the user's partners sent or received, of cases the user may see."""
    own = _partner_ids(user) if partner is None else [partner.pk]
    cases = narrow_to_partner(case_list(user=user), partner)
    return Referral.objects.filter(
        Q(from_partner_id__in=own) | Q(to_partner_id__in=own), case__in=Case.objects.filter(pk__in=cases.values("pk"))
    ).select_related("case", "from_partner", "to_partner", "created_by", "decided_by")
