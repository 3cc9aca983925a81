"""Password login: lockout after repeated failures, strong passwords, sessions that end when idle."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from security.backends import client_ip
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_name_from_that_address_even_with_the_right_one(client, settings):
    UserFactory(username="els")
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "els", f"wrong-{i}", ip="10.0.0.1")
        assert response.status_code == 200
        assert "Uw gebruikersnaam en wachtwoord komen niet overeen" in response.content.decode()
    locked = attempt(client, "els", "wrong-last", ip="10.0.0.1")
    assert locked.status_code == 429
    assert "Account tijdelijk geblokkeerd" in locked.content.decode()
    # From the same address and with the right password: still locked, not logged in.
    again = attempt(client, "els", PASSWORD, ip="10.0.0.1")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_attacker_cannot_lock_a_colleague_out_from_elsewhere(client, settings):
    """Five wrong passwords for "els" from the attacker's address lock that address, not "els":
    she still logs in from her own."""
    UserFactory(username="els")
    for i in range(settings.AXES_FAILURE_LIMIT + 2):
        attempt(client, "els", f"wrong-{i}", ip="198.51.100.66")
    assert attempt(client, "els", PASSWORD, ip="198.51.100.66").status_code == 429
    assert attempt(client, "els", PASSWORD, ip="10.0.0.20").status_code == 302
    assert client.session["_auth_user_id"]


def test_one_address_trying_many_names_is_locked_too(client, settings):
    UserFactory(username="els")
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{i}", "wrong", ip="192.0.2.7")
    assert attempt(client, "els", PASSWORD, ip="192.0.2.7").status_code == 429
    assert attempt(client, "els", PASSWORD, ip="192.0.2.8").status_code == 302


def test_logging_in_to_an_own_account_does_not_clear_the_address_count(client, settings):
    """An insider guessing a colleague's password cannot reset the address's count by logging in as
    themselves between guesses: a success forgets only that user's own failures from that address."""
    UserFactory(username="els")
    UserFactory(username="mallory")
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "els", f"wrong-{i}", ip="192.0.2.9")
    assert attempt(client, "mallory", PASSWORD, ip="192.0.2.9").status_code == 302
    client.logout()
    attempt(client, "els", "wrong-again", ip="192.0.2.9")
    assert attempt(client, "els", PASSWORD, ip="192.0.2.9").status_code == 429


def test_successful_login_resets_the_count(client, settings):
    UserFactory(username="els")
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "els", f"wrong-{i}")
    assert attempt(client, "els", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="els", failures_since_start__gt=0).exists()


def test_lockout_ends_after_the_cool_off(client, settings):
    UserFactory(username="els")
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "els", f"wrong-{i}")
    assert attempt(client, "els", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1))
    assert attempt(client, "els", PASSWORD).status_code == 302


def test_client_address_behind_trusted_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TIJDIG_TRUSTED_PROXIES = 0
    assert client_ip(request) == "172.18.0.2"
    settings.TIJDIG_TRUSTED_PROXIES = 1  # the proxy appended the real client; "6.6.6.6" was forged
    assert client_ip(request) == "203.0.113.9"


def test_test_client_login_without_request_still_works(client):
    UserFactory(username="els")
    assert client.login(username="els", password=PASSWORD)


@pytest.mark.parametrize(
    "password",
    ["kort-1", "123456789012", "password1234", "els-de-vries-els"],
    ids=["too-short", "numeric", "common", "like-the-name"],
)
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="els-de-vries", first_name="Els")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_long_passphrase_is_accepted():
    validate_password("paars fietspad onder de brug", user=UserFactory.build(username="els"))


def test_session_slides_and_ends_after_inactivity(client, settings):
    user = UserFactory(username="els")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE == 1800

    # Activity pushes the end forward ...
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get(reverse("home")).status_code == 200
    session.refresh_from_db()
    assert (session.expire_date - timezone.now()).total_seconds() > 25 * 60

    # ... and half an hour without any ends the session.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_session_cookie_is_not_persistent(client):
    client.force_login(UserFactory(username="els"))
    client.get(reverse("home"))
    cookie = client.cookies["tijdig_session"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_login_page_speaks_dutch_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Inloggen bij Tijdig" in response.content.decode()
