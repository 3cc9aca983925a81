"""Security headers, cookies and the Content-Security-Policy, as production settings send them."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_csp(header):
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_strict_content_security_policy_and_headers(client):
    response = client.get(reverse("login"))
    assert parse_csp(response["Content-Security-Policy"]) == CSP
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_hsts_over_https(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_except_health(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response.url.startswith("https://")
    assert client.get(reverse("health")).status_code in (200, 503)


def test_cookies_are_secure_httponly_and_same_site(client):
    UserFactory(username="els")
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "els", "password": "correct horse battery staple"})
    session = response.cookies["tijdig_session"]
    csrf = client.cookies["csrftoken"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_pages_of_signed_in_users_are_never_cached(client):
    client.force_login(UserFactory(username="els"))
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "on*= event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def _our_templates():
    dirs = [Path(d) for d in django_settings.TEMPLATES[0]["DIRS"]]
    dirs += [ROOT / app / "templates" for app in ("partners", "households", "arrears", "security")]
    return sorted(p for d in dirs if d.exists() for p in d.rglob("*.html"))


def test_no_template_needs_inline_script_or_style():
    """The CSP forbids inline code; this finds it before a browser silently refuses it."""
    offences = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in _our_templates()
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert _our_templates(), "no templates found"
    assert offences == []
