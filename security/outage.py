"""A database or Redis that is briefly unreachable: the user gets a clear Dutch page (503 with
Retry-After), the log gets one warning line with the request id, nobody sees a stack trace."""

import logging

import kombu.exceptions
import redis.exceptions
from django import db
from django.http import HttpResponse
from django.template import loader

from security import request_id

logger = logging.getLogger("tijdig.outage")

OUTAGE_ERRORS = (
    db.OperationalError,  # connection refused or lost, server shutting down (psycopg2, sqlite locked)
    db.InterfaceError,  # connection already closed
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,  # the broker could not take a task
)
RETRY_AFTER_SECONDS = 30


def is_outage(exception) -> bool:
    return isinstance(exception, OUTAGE_ERRORS)


def detach_session(request) -> None:
    """If the session was not loaded yet, make it an empty, unchanged one, so SessionMiddleware does not
    go to the unreachable database again (it skips saving on a 5xx). The user's cookie and the stored
    session are left as they are: the user is still signed in once the database is back."""
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        session._session_cache = {}


def response(request, exception) -> HttpResponse:
    """The 503 page. Rendered without context processors: they may need the database that is down."""
    logger.warning("service unavailable: %s", type(exception).__name__, extra={"error": type(exception).__name__})
    detach_session(request)
    body = loader.render_to_string("503.html", {"request_id": request_id.get()})
    resp = HttpResponse(body, status=503)
    resp["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return resp
