import pytest

from tests.e2e.conftest import login
from tests.partners.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_caseworker_logs_in_and_lands_on_dutch_home_page(page, screenshot):
    partner = PartnerFactory(slug="drechtwonen", name="DrechtWonen")
    MembershipFactory(user=UserFactory(username="els"), partner=partner, role="caseworker")
    login(page, "els", "correct horse battery staple")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "DrechtWonen"
    assert "Mijn werkvoorraad" in page.content()
    screenshot(page, "home-caseworker")
