"""Reads about partners and the signed-in user's place in them."""

from partners.models import Membership, Partner, Role


def membership_for(*, user):
    """The user's membership (one partner per user in practice), or ``None``."""
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("partner").filter(user=user).order_by("id").first()


def partners_for(*, user):
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(memberships__user=user).distinct()


def has_role(*, user, roles):
    return Membership.objects.filter(user=user, role__in=[Role(r) for r in roles]).exists()
