"""Request ids and the access log, extra security headers, the two-factor gate and the outage page."""

import logging
import time

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import empty
from django.utils.translation import gettext as _

from partners import bounds
from partners.api.exceptions import validation_error_body
from partners.api.views import api_not_found
from security import outage, request_id, two_factor

access_log = logging.getLogger("tijdig.access")


def _loaded_user(request):
    """The request's user if something already loaded it, else ``None``: these middlewares must not
    be the ones that hit the database (they also run while it is down)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    return None if wrapped is empty else wrapped


class RequestIdMiddleware:
    """Give every request an id (kept from the proxy's ``X-Request-ID`` if sane), put it on every log
    line written while the request runs, echo it in the response and log one access line per request:
    method, path *without* query string, status, duration and the user's id (never a name)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id.new_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = rid
        token = request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[request_id.HEADER] = rid
            user = _loaded_user(request)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy, and no caching of any page shown to a
    signed-in user (pages carry personal data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = _loaded_user(request)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
            patch_vary_headers(response, ["Cookie"])
        return response


class TwoFactorRequiredMiddleware:
    """With ``TIJDIG_2FA_REQUIRED`` a signed-in user reaches nothing but the two-factor pages until
    a second factor is verified in this session: enrolment first if the user has no device yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.TIJDIG_2FA_REQUIRED:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in two_factor.OPEN_VIEWS:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(two_factor.API_MESSAGE), "errors": {}}, status=403)
        target = "two-factor-verify" if two_factor.has_confirmed_device(user) else "two-factor-setup"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + two_factor.next_query(request.get_full_path())
        return response


class BadInputMiddleware:
    """Input no view can use answers 4xx before any view reads it (docs/adr/0067):

    - a number in the path beyond any id (``partners.bounds.MAX_ID``) is a 404 — the admin's
      ``<path:object_id>`` pages would pass it to SQLite, which cannot hold it;
    - a NUL character in a query string or a posted form is a 400: PostgreSQL text cannot hold one, and no
      field of the portal takes one. Multipart bodies (uploads) are left to their forms, unread here.

    Pages get the 400/404 page; the API its own error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(bounds.beyond_any_id(part) for part in request.path.split("/")):
            if request.path.startswith("/api/"):
                return api_not_found(request)
            raise Http404("An id beyond any id.")
        bad = _keys_with_nul(request.GET)
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            bad |= _keys_with_nul(request.POST)
        if not bad:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            errors = {key: [_("Contains a NUL character.")] for key in sorted(bad)}
            return JsonResponse(validation_error_body(errors), status=400)
        raise SuspiciousOperation("A NUL character in the request's parameters.")


def _keys_with_nul(params):
    return {
        key.replace("\x00", "\\x00")
        for key, values in params.lists()
        if "\x00" in key or any("\x00" in v for v in values)
    }


class ServiceUnavailableMiddleware:
    """A database or Redis outage while a view runs becomes the Dutch 503 page, not a stack trace.
    (Outages in other middleware reach ``security.views.server_error``, which does the same.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if outage.is_outage(exception):
            return outage.response(request, exception)
        return None
