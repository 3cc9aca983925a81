"""PostgreSQL or Redis briefly unreachable: the web app answers with the Dutch 503 page (and /health/
with 503 JSON), and works again by itself as soon as the line is back.

The app runs in pytest-django's live server (the real WSGI handler, which closes broken connections
between requests as production does); its database and broker lines go through a proxy of our own
that the test cuts and restores — the shared servers are never touched."""

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client

from tests.partners.factories import UserFactory
from tests.resilience.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def fetch(url, cookie=None):
    """GET without following redirects: (status, headers, body)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def database_via_proxy():
    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL (make test-postgres)")
    settings_dict = connection.settings_dict  # shared by every thread's connection, the live server's too
    original = {"HOST": settings_dict["HOST"], "PORT": settings_dict["PORT"]}
    with TcpProxy(original["HOST"] or "127.0.0.1", original["PORT"] or 5432) as proxy:
        connection.close()
        settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
        try:
            yield proxy
        finally:
            proxy.restore()
            connection.close()
            settings_dict.update(original)


@pytest.fixture
def session_cookie(live_server, settings):
    settings.SESSION_COOKIE_SECURE = False
    client = Client()
    client.force_login(UserFactory(username="els"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_database_outage_shows_the_503_page_then_recovers(live_server, session_cookie, database_via_proxy):
    home, health = f"{live_server.url}/", f"{live_server.url}/health/"
    status, _headers, body = fetch(home, session_cookie)
    assert status == 200
    assert "Welkom" in body

    database_via_proxy.cut()
    status, headers, body = fetch(home, session_cookie)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Tijdig is even niet beschikbaar" in body
    assert headers["X-Request-ID"] in body
    assert "Traceback" not in body and "5432" not in body
    status, headers, body = fetch(health, session_cookie)
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["database"] == "unavailable"

    database_via_proxy.restore()
    status, _headers, body = fetch(home, session_cookie)
    assert status == 200 and "Welkom" in body  # still signed in: the session survived the outage
    status, _headers, body = fetch(health)
    assert json.loads(body)["database"] == "ok"


def test_broker_outage_makes_health_503_then_recovers(client, settings):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("needs Redis (make test-postgres)")
    broker = urlsplit(settings.CELERY_BROKER_URL)
    with TcpProxy(broker.hostname, broker.port or 6379) as proxy:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{proxy.port}{broker.path}"
        assert client.get("/health/").json()["broker"] == "ok"
        proxy.cut()
        response = client.get("/health/")
        assert response.status_code == 503
        assert response.json()["broker"] == "unavailable"
        proxy.restore()
        assert client.get("/health/").status_code == 200
