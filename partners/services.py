"""Writes about partners and memberships. Keyword-only arguments, one transaction each."""

from django.db import transaction

from . import access
from .models import Membership, Partner


@transaction.atomic
def membership_set(*, user, partner: Partner, role: str) -> Membership:
    """Give ``user`` the ``role`` in ``partner`` (replacing an earlier role there) and sync its groups."""
    membership, _ = Membership.objects.update_or_create(user=user, partner=partner, defaults={"role": role})
    access.sync_user_groups(user)
    return membership


@transaction.atomic
def membership_remove(*, user, partner: Partner) -> None:
    Membership.objects.filter(user=user, partner=partner).delete()
    access.sync_user_groups(user)
