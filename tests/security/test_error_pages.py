"""Error pages: Dutch, with the request id as reference, never a path, stack trace or personal data."""

import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from security import errors
from tests.partners.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def test_404_is_dutch_and_does_not_echo_the_path(client):
    response = client.get("/huishoudens/de-vries-voorstraat-1/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in body
    assert "de-vries" not in body
    assert f"Referentie: {response['X-Request-ID']}" in body


def test_500_hides_the_exception_and_logs_it(client, caplog):
    response = client.get("/test/bug/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in body
    assert "Vries" not in body and "Traceback" not in body
    assert response["X-Request-ID"] in body
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].exc_info is not None


@pytest.mark.parametrize("url", ["/test/database-down/", "/test/redis-down/"])
def test_outage_in_a_view_gives_the_503_page(client, url):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Tijdig is even niet beschikbaar" in body
    assert "5432" not in body and "6379" not in body
    assert response["X-Request-ID"] in body


def test_outage_outside_a_view_gives_the_503_page_too():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = errors.server_error(request)
    assert response.status_code == 503


def test_csrf_failure_is_a_dutch_403(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "els", "password": "x"})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()


def test_bad_host_is_a_dutch_400(client):
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_403_page(client):
    response = errors.permission_denied(RequestFactory().get("/"))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_error_pages_work_for_a_signed_in_user(client):
    client.force_login(UserFactory(username="els"))
    assert client.get("/bestaat-niet/").status_code == 404
