"""Writes about partners and memberships. Keyword-only arguments, one transaction each."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import access
from partners.errors import DomainError
from partners.models import ApiToken, Membership, Partner

API_TOKEN_PREFIX = "tdg_"  # noqa: S105 (a marker, not a secret)


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


def api_token_hash(raw: str) -> str:
    """The stored form of an API token. SHA-256 is enough: the token is 256 random bits, not a password."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, partner: Partner | None = None, name: str = "", expires_at=None) -> tuple[ApiToken, str]:
    """Create an API token for ``user`` scoped to ``partner`` (default: the user's only partner).

    Returns the token row and the token itself, which is not stored and cannot be shown again.
    """
    memberships = Membership.objects.filter(user=user).select_related("partner")
    if partner is None:
        partners = [m.partner for m in memberships]
        if len(partners) != 1:
            raise DomainError(
                _("User %(user)s works for %(count)d partners: say which one the token is for.")
                % {"user": user.get_username(), "count": len(partners)}
            )
        partner = partners[0]
    elif not memberships.filter(partner=partner).exists():
        raise DomainError(
            _("User %(user)s is not a member of %(partner)s.") % {"user": user.get_username(), "partner": partner}
        )
    if not user.is_active:
        raise DomainError(_("User %(user)s is not active.") % {"user": user.get_username()})
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, partner=partner, name=name, prefix=raw[:12], key_hash=api_token_hash(raw), expires_at=expires_at
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
