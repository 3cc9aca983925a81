"""Per-user API tokens (``Authorization: Bearer tdg_…``), scoped to one partner."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from partners.models import ApiToken, Membership
from partners.services import api_token_hash

#: ``last_used_at`` is written at most this often per token (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates a system by its token; ``request.auth`` is then the :class:`ApiToken` and
    ``request.auth.membership`` the user's membership in the token's partner (its role)."""

    keyword = "bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: give 'Bearer <token>'."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_token(raw)

    def authenticate_token(self, raw):
        now = timezone.now()
        token = ApiToken.objects.select_related("user", "partner").filter(key_hash=api_token_hash(raw)).first()
        if (
            token is None
            or token.revoked_at is not None
            or (token.expires_at is not None and token.expires_at <= now)
            or not token.user.is_active
            or not token.partner.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        membership = Membership.objects.select_related("partner").filter(user=token.user, partner=token.partner).first()
        if membership is None:
            raise exceptions.AuthenticationFailed(_("The token's user no longer works for the token's partner."))
        token.membership = membership
        ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)).filter(
            pk=token.pk
        ).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
