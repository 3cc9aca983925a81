"""Throttling per API token (a browser session counts per user)."""

from rest_framework.throttling import SimpleRateThrottle

from partners.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]`` (``API_THROTTLE_RATE``) per token."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
