"""Test-only URLs: the portal's, plus views that fail in the ways production must survive."""

import redis
from django.db import OperationalError
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def redis_down(request):
    raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def bug(request):
    raise ValueError("J. de Vries, Voorstraat 1, 3311 AA Dordrecht")  # personal data in an exception text


urlpatterns = [
    path("test/database-down/", database_down),
    path("test/redis-down/", redis_down),
    path("test/bug/", bug),
    *portal_urlpatterns,
]

handler400 = "security.errors.bad_request"
handler403 = "security.errors.permission_denied"
handler404 = "security.errors.page_not_found"
handler500 = "security.errors.server_error"
