"""The ids of the partners a user belongs to, read once per user object (i.e. once per request)."""

from partners.models import Membership


def partner_ids_of(user) -> frozenset:
    cached = getattr(user, "_tijdig_partner_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("partner_id", flat=True))
        user._tijdig_partner_ids = cached
    return cached
