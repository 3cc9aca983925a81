"""Reads for the household/case page beyond the case itself: tenancies, episodes, the arrears history
per month, and where a case may be referred to.

Each function is given a case the user was allowed to fetch (``case_get``) and follows
:func:`~arrears.selectors.cases.visible_household_fields`: the tenancy, the ledger's history and the
household's earlier episodes only for those who see the household in full (``"tenancies"``,
``"arrears"``); a social service that has not taken the signal up sees the signals of this case.
"""

from django.db.models import Q

from arrears import disclosure
from arrears.models import Case, Signal
from arrears.selectors._partners import partner_ids_of
from arrears.selectors.cases import visible_household_fields
from arrears.selectors.triage import with_repeat
from households.models import Tenancy
from ledger.models import ArrearsSnapshot
from partners.models import Partner


def _visible(user, case, visible):
    return set(visible_household_fields(user=user, case=case) if visible is None else visible)


def sees_ledger(*, user, case, visible=None) -> bool:
    return "tenancies" in _visible(user, case, visible)


def case_tenancies(*, user, case, visible=None):
    if "tenancies" not in _visible(user, case, visible):
        return Tenancy.objects.none()
    return (
        Tenancy.objects.filter(household_id=case.household_id, corporation_id=case.corporation_id)
        .select_related("arrears")
        .order_by("-start_date", "contract_number")
    )


def case_signals(*, user, case, visible=None):
    """The arrears episodes: every episode of the household for those who see it in full, otherwise
    those of this case."""
    signals = Signal.objects.select_related("tenancy").order_by("-opened_on", "-pk")
    if "arrears" in _visible(user, case, visible):
        return signals.filter(household_id=case.household_id, corporation_id=case.corporation_id)
    return signals.filter(case=case)


def case_is_repeat(*, user, case) -> bool:
    """Is the case a repeat of the household's arrears, as far as the user may see
    (:func:`arrears.selectors.triage.with_repeat`, the queue's rule)? One query."""
    rows = with_repeat(Case.objects.filter(pk=case.pk), partner_ids=disclosure.reader_partner_ids(user))
    return bool(rows.values_list("repeat", flat=True).first())


def arrears_history(*, user, case, months=24, visible=None):
    """The household's arrears per month (the last snapshot of each month, summed over its tenancies),
    oldest first, at most ``months`` months: ``[{"month": "2026-03", "balance": Decimal}, ...]``."""
    if "arrears" not in _visible(user, case, visible):
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
    if not per_month:
        return []
    # Every month from the first to the last, so the chart's axis is time; a month without an export
    # has no balance (``None``: a gap, not a guess).
    first, last_month = min(per_month), max(per_month)
    year, month = int(first[:4]), int(first[5:])
    series = []
    while f"{year:04d}-{month:02d}" <= last_month:
        key = f"{year:04d}-{month:02d}"
        series.append({"month": key, "balance": per_month.get(key)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series[-months:]


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
