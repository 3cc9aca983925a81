"""A first login in a real browser: password, QR code enrolment, recovery codes, home page — with the
production Content-Security-Policy in force and not a single violation reported by Chromium."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.partners.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.two_factor, pytest.mark.django_db(transaction=True)]


def test_first_login_enrols_two_factor_in_the_browser(page, screenshot):
    partner = PartnerFactory(slug="drechtwonen", name="DrechtWonen")
    MembershipFactory(user=UserFactory(username="els"), partner=partner, role="caseworker")
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    page.goto("/login/")
    page.fill("input[name=username]", "els")
    page.fill("input[name=password]", "correct horse battery staple")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_selector("img.qr")
    assert page.locator("h1").inner_text() == "Inloggen in twee stappen instellen"
    assert page.eval_on_selector("img.qr", "img => img.complete && img.naturalWidth > 0")
    screenshot(page, "two-factor-setup")

    device = TOTPDevice.objects.get(user__username="els")
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("ul.recovery-codes li").count() == 10
    with page.expect_navigation():
        page.click("text=Verder")
    assert page.locator("h1").inner_text() == "DrechtWonen"
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
