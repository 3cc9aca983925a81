"""Reads for the right of access and erasure: only a partner admin of the household's corporation
finds a household here; anyone else gets ``Http404`` (its existence is not disclosed)."""

from django.http import Http404

from households.models import Household, normalise_postcode
from partners.models import Role


def _admin_partner_ids(user):
    if not user.is_authenticated:
        return []
    return list(user.memberships.filter(role=Role.ADMIN).values_list("partner_id", flat=True))


def privacy_household_get(*, user, pk):
    household = Household.objects.filter(pk=pk, corporation_id__in=_admin_partner_ids(user)).first()
    if household is None:
        raise Http404
    return household


def privacy_household_find(*, user, contract_number, postcode):
    """The household renting ``contract_number`` from one of the user's corporations at ``postcode``
    (both exact; the postcode normalised), or ``None``. No partial match, no list: a partner admin
    finds the one household a privacy request names and browses nothing (docs/adr/0025)."""
    postcode = normalise_postcode(postcode or "")
    if not postcode:
        return None
    return (
        Household.objects.filter(
            corporation_id__in=_admin_partner_ids(user),
            postcode=postcode,
            tenancies__contract_number=contract_number.strip(),
            tenancies__corporation_id__in=_admin_partner_ids(user),
        )
        .distinct()
        .first()
    )


def is_partner_admin(*, user):
    return bool(_admin_partner_ids(user))
