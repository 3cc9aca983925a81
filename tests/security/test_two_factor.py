"""Two-factor login as production has it (marker ``two_factor`` keeps it required)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import AuditEvent
from security import checks, two_factor
from security.middleware import TwoFactorRequiredMiddleware
from tests.partners.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.two_factor, pytest.mark.django_db]
PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, username, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return response


@pytest.fixture
def els(db):
    return MembershipFactory(user=UserFactory(username="els")).user


@pytest.fixture
def enrolled(els):
    device = TOTPDevice.objects.create(user=els, name="authenticator", confirmed=True)
    codes = two_factor.recovery_codes_regenerate(user=els)
    return els, device, codes


def test_first_login_enrols_an_authenticator_with_qr_code_and_recovery_codes(client, els):
    password_login(client, "els")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("two-factor-setup") + "?next=%2F"

    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Inloggen in twee stappen instellen" in body
    assert f'src="{reverse("two-factor-qr")}"' in body
    device = TOTPDevice.objects.get(user=els, confirmed=False)
    assert two_factor.secret_for_display(device) in body

    qr = client.get(reverse("two-factor-qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<svg")
    assert "no-store" in qr["Cache-Control"]

    wrong = client.post(reverse("two-factor-setup"), {"token": "000000", "next": "/"})
    assert wrong.status_code == 200
    assert "Die code klopt niet" in wrong.content.decode()
    device.throttle_reset()

    done = client.post(reverse("two-factor-setup"), {"token": code(device), "next": "/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert all(c in done.content.decode() for c in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=els).count() == 10
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(user=els, action="login", channel="two_factor:TOTPDevice").count() == 1


def test_enrolled_user_must_enter_a_code_after_the_password(client, enrolled):
    user, device, _codes = enrolled
    password_login(client, "els", next_url="/privacy/")
    session_before = client.session.session_key
    blocked = client.get("/privacy/")
    assert blocked.status_code == 302
    assert blocked.url == reverse("two-factor-verify") + "?next=%2Fprivacy%2F"
    assert client.get(reverse("two-factor-setup")).url.startswith(reverse("two-factor-verify"))

    response = client.post(reverse("two-factor-verify"), {"token": code(device), "next": "/privacy/"})
    assert response.status_code == 302
    assert response.url == "/privacy/"
    assert client.session.session_key != session_before  # a fresh session key once verified
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(user=user, action="login", channel="password").count() == 1


def test_wrong_code_is_refused_and_throttled(client, enrolled):
    user, device, _codes = enrolled
    password_login(client, "els")
    response = client.post(reverse("two-factor-verify"), {"token": "123456"})
    assert response.status_code == 200
    assert "probeerde het te vaak" in response.content.decode()
    # After a failure django-otp makes the next try wait, so even the right code fails at once.
    response = client.post(reverse("two-factor-verify"), {"token": code(device)})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(user=user, channel="two_factor", detail__failed=True).count() == 2


def test_recovery_code_logs_in_once(client, enrolled):
    _user, _device, codes = enrolled
    password_login(client, "els")
    response = client.post(reverse("two-factor-verify"), {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert two_factor.recovery_codes_left(_user) == 9

    client.post(reverse("logout"))
    password_login(client, "els")
    again = client.post(reverse("two-factor-verify"), {"token": codes[0]})
    assert again.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_recovery_codes_can_be_renewed_by_a_verified_user(client, enrolled):
    user, device, codes = enrolled
    password_login(client, "els")
    client.post(reverse("two-factor-verify"), {"token": code(device)})
    page = client.get(reverse("two-factor-recovery-codes"))
    assert "10 ongebruikte herstelcodes" in page.content.decode()
    renewed = client.post(reverse("two-factor-recovery-codes"))
    new_codes = renewed.context["codes"]
    assert set(new_codes).isdisjoint(codes)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new_codes)


@pytest.mark.parametrize("url", ["/", "/privacy/", "/admin/", "/2fa/recovery-codes/"])
def test_nothing_but_the_two_factor_pages_before_verification(client, enrolled, url):
    password_login(client, "els")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-verify"))


def test_open_pages_stay_reachable_before_verification(client, enrolled):
    password_login(client, "els")
    assert client.get(reverse("health")).status_code in (200, 503)
    assert client.get(reverse("two-factor-verify")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_offsite_next_is_ignored(client, enrolled):
    _user, device, _codes = enrolled
    password_login(client, "els")
    response = client.post(reverse("two-factor-verify"), {"token": code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_api_without_second_factor_gets_403_json(enrolled):
    user, _device, _codes = enrolled
    request = RequestFactory().get("/api/v1/cases/")
    request.user = user
    user.is_verified = lambda: False
    request.resolver_match = None
    response = TwoFactorRequiredMiddleware(lambda r: None).process_view(request, None, (), {})
    assert response.status_code == 403
    assert json.loads(response.content)["detail"].startswith("Tweestapsverificatie is verplicht")


def test_admin_login_goes_through_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/"


def test_switched_off_only_in_the_local_demo(settings):
    settings.TIJDIG_2FA_REQUIRED = False
    settings.TIJDIG_DEMO = False
    assert [e.id for e in checks.two_factor_only_off_in_the_demo(None)] == ["tijdig.E001"]
    settings.TIJDIG_DEMO = True
    assert checks.two_factor_only_off_in_the_demo(None) == []


def test_production_refuses_to_start_with_two_factor_off():
    env = {"PATH": os.environ["PATH"], "DEBUG": "0", "SECRET_KEY": "x" * 60, "TIJDIG_2FA_REQUIRED": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "TIJDIG_2FA_REQUIRED=0 is only allowed in the local demo" in result.stderr
