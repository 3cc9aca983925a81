"""The ids of the partners a user belongs to, read once per user object (i.e. once per request)."""

from partners import access


def partner_ids_of(user) -> frozenset:
    return frozenset(access.memberships_of(user))
