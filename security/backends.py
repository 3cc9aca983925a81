"""django-axes' lockout check as an authentication backend, and the handler that keeps its counts."""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings


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
    proxies = settings.TIJDIG_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class PairResetHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful login forgets only that user's failures from
    that address.

    Axes' own reset deletes every attempt matching any lockout parameter, the per-address one
    included: anyone with an account of their own could then guess a colleague's password four
    times, log in as themselves to wipe the address's count, and guess again without end.
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
