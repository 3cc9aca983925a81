"""django-axes' lockout check as an authentication backend."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out user name before the password is even checked.

    Every login over HTTP passes the request. A call without one (``Client.login`` in tests, a
    script) has no client to count failures for, so it is left to the next backend rather than
    refused outright as axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address for lockout counting. Behind ``TIJDIG_TRUSTED_PROXIES`` reverse proxies
    (the TLS proxy) it is the entry those proxies appended to ``X-Forwarded-For``; a client cannot
    forge it, because anything it sends itself stands further left."""
    from django.conf import settings

    proxies = settings.TIJDIG_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
