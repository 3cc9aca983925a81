"""Reads for the household/case page beyond the case itself: tenancies, episodes, the arrears history
per month, referrals and where a case may be referred to.

Each function is given a case the user was allowed to fetch (``case_get``) and narrows to what the
user's partner may see: a social service sees the signals of the case, never the corporation's ledger.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from households.models import Tenancy
from partners.models import Partner

from ..models import ArrearsSnapshot, Referral, Signal
from ._partners import partner_ids_of


def sees_ledger(*, user, case, partner_ids=None) -> bool:
    """Only the household's corporation sees its tenancies, rent and ledger history."""
    partner_ids = partner_ids_of(user) if partner_ids is None else partner_ids
    return case.corporation_id in partner_ids


def case_tenancies(*, user, case):
    if not sees_ledger(user=user, case=case):
        return Tenancy.objects.none()
    return (
        Tenancy.objects.filter(household_id=case.household_id, corporation_id=case.corporation_id)
        .select_related("arrears")
        .order_by("-start_date", "contract_number")
    )


def case_signals(*, user, case):
    """The arrears episodes: for the corporation every episode of the household, for others those of
    this case."""
    signals = Signal.objects.select_related("tenancy").order_by("-opened_on", "-pk")
    if sees_ledger(user=user, case=case):
        return signals.filter(household_id=case.household_id, corporation_id=case.corporation_id)
    return signals.filter(case=case)


def arrears_history(*, user, case, months=24):
    """The household's arrears per month (the last snapshot of each month, summed over its tenancies),
    oldest first, at most ``months`` months: ``[{"month": "2026-03", "balance": Decimal}, ...]``."""
    if not sees_ledger(user=user, case=case):
        return []
    rows = (
        ArrearsSnapshot.objects.filter(
            tenancy__household_id=case.household_id, tenancy__corporation_id=case.corporation_id
        )
        .order_by("as_of")
        .values_list("tenancy_id", "as_of", "balance")
    )
    last = {}
    for tenancy_id, as_of, balance in rows:
        last[(as_of.strftime("%Y-%m"), tenancy_id)] = balance
    per_month = {}
    for (month, _tenancy), balance in last.items():
        per_month[month] = per_month.get(month, 0) + balance
    return [{"month": month, "balance": per_month[month]} for month in sorted(per_month)[-months:]]


def case_referrals(*, user, case):
    """Referrals of the case the user's partner sent or received."""
    partner_ids = partner_ids_of(user)
    return (
        Referral.objects.filter(case=case)
        .filter(Q(from_partner_id__in=partner_ids) | Q(to_partner_id__in=partner_ids))
        .select_related("from_partner", "to_partner", "created_by", "decided_by")
        .order_by("-created_at")
    )


def referral_targets(*, user, case):
    """Social services the case's corporation has an active agreement with for the household's
    municipality (any of its agreements when the municipality is unknown)."""
    if case.corporation_id not in partner_ids_of(user):
        return Partner.objects.none()
    agreements = Q(
        received_agreements__corporation_id=case.corporation_id,
        received_agreements__is_active=True,
    )
    if case.household.municipality_id:
        agreements &= Q(received_agreements__municipality_id=case.household.municipality_id)
    return Partner.objects.filter(agreements, kind=Partner.Kind.SOCIAL_SERVICE, is_active=True).distinct()


def partner_colleagues(*, user):
    """People in the user's partners a case can be assigned to."""
    return (
        get_user_model()
        .objects.filter(memberships__partner_id__in=partner_ids_of(user), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
