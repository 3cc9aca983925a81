"""Reads for the API's lists that ``cases.py`` has no selector for: signals and tenancies. Built on
``case_list`` and ``household_list``, so they follow the same object permissions."""

from django.db.models import Q

from arrears.models import Signal
from arrears.selectors.cases import case_list, household_list
from households.models import Tenancy
from partners import access


def narrow_to_partner(cases, partner):
    """Of the cases a user may see, those one of its partners takes part in (for a token scoped to
    one partner of a user who works for several; docs/adr/0051). ``partner=None`` narrows nothing."""
    if partner is None:
        return cases
    return cases.filter(Q(corporation=partner) | Q(queue_partner=partner) | Q(referrals__to_partner=partner))


def signal_list(*, user, partner=None):
    """Signals of the cases the user may see."""
    cases = narrow_to_partner(case_list(user=user), partner)
    return Signal.objects.filter(case__in=cases.values("pk")).select_related("case", "corporation")


def tenancy_list(*, user, partner=None):
    """Tenancies of the households the user sees in full, let by the user's own corporation (a social
    service sees no contracts or rents)."""
    own = access.partner_ids_for(user) if partner is None else {partner.pk}
    households = household_list_for(user=user, partner=partner)
    return Tenancy.objects.filter(corporation_id__in=own, household__in=households.values("pk")).select_related(
        "corporation", "arrears"
    )


def household_list_for(*, user, partner=None):
    """``household_list`` (the households the user sees in full), narrowed like ``narrow_to_partner``."""
    households = household_list(user=user)
    if partner is None:
        return households
    cases = narrow_to_partner(case_list(user=user), partner)
    return households.filter(Q(corporation=partner) | Q(pk__in=cases.values("household_id")))
