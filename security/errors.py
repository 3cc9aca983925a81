"""Error pages (400, 403, 404, 500, CSRF failure) in the user's language, with the request id and
nothing else: no path, no exception text, no personal data.

They are rendered without context processors, which may need the database; a 500 caused by a
database or Redis outage (raised in a middleware, where ``ServiceUnavailableMiddleware`` cannot
catch it) becomes the 503 page instead.
"""

import sys

from django.http import HttpResponse
from django.template import loader

from security import outage, request_id


def _page(template, status):
    return HttpResponse(loader.render_to_string(template, {"request_id": request_id.get()}), status=status)


def bad_request(request, exception=None):
    return _page("400.html", 400)


def permission_denied(request, exception=None):
    return _page("403.html", 403)


def page_not_found(request, exception=None):
    return _page("404.html", 404)


def server_error(request):
    exception = sys.exc_info()[1]
    if outage.is_outage(exception):
        return outage.response(request, exception)
    return _page("500.html", 500)


def csrf_failure(request, reason=""):
    return _page("403_csrf.html", 403)
