"""The caseworker's morning in a real browser (Debian's Chromium): find a flagged household in the queue,
open it, work it; screenshots of the queue and the case page go to test-artifacts/."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.arrears.factories import flagged_case
from tests.e2e.conftest import login
from tests.ledger.factories import ArrearsSnapshotFactory
from tests.partners.factories import MembershipFactory, NeighbourhoodFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def drechtsteden(world):
    """The world's corporation A with a few flagged households, one of them (Jansen) with a year of
    arrears history, and a team lead."""
    bu = NeighbourhoodFactory(municipality=world.dordrecht, code="BU05050301", name="Krispijn")
    jansen = flagged_case(
        world.corp_a,
        amount="1312.40",
        months="2.10",
        previous="1100.00",
        opened_days_ago=9,
        household={
            "name": "M. Jansen",
            "street": "Bosboom Toussaintstraat",
            "house_number": 14,
            "postcode": "3313 AB",
            "phone": "0612345678",
            "neighbourhood": bu,
        },
    )
    tenancy = jansen.household.tenancies.get()
    today = timezone.localdate()
    for back in range(12, 0, -1):
        month_end = (today.replace(day=1) - dt.timedelta(days=30 * back)).replace(day=28)
        ArrearsSnapshotFactory(tenancy=tenancy, as_of=month_end, balance=Decimal(max(0, 12 - back) * 120))
    for i, (name, amount) in enumerate([("P. de Wit", "310.00"), ("K. Yilmaz", "845.50"), ("S. Bakker", "95.00")]):
        flagged_case(
            world.corp_a,
            amount=amount,
            household={"name": name, "street": "Vrieseweg", "house_number": 20 + i, "neighbourhood": bu},
        )
    MembershipFactory(user=UserFactory(username="lead"), partner=world.corp_a, role="manager")
    return jansen


def test_queue_search_filter_and_case_page(page, screenshot, drechtsteden):
    login(page, "alice", PASSWORD)
    page.goto("/queue/")
    page.wait_for_selector("#queue-results")
    assert page.locator("#queue-results h2").inner_text().startswith("4 casussen")
    # The overdue, unclaimed case stands out and says so in words.
    jansen_row = page.locator(f"#case-row-{drechtsteden.pk}")
    assert "Eerste contact te laat" in jansen_row.inner_text()
    assert "Niet geclaimd" in jansen_row.inner_text()
    screenshot(page, "queue")

    # Filter with htmx: the results change, the address bar shows only the filters.
    page.click(".filter-panel summary")  # the filters fold away until they are used
    page.fill("#id_amount_min", "800")
    with page.expect_response(lambda r: "/queue/" in r.url and r.request.method == "GET"):
        page.click("#queue-filter button[type=submit]")
    expect(page.locator("#queue-results h2")).to_contain_text(re.compile(r"^\s*2 casussen"))
    assert "amount_min=800" in page.url

    # Search by postcode: posted, never in the address bar.
    page.goto("/queue/")
    page.fill("#id_q", "3313ab")
    with page.expect_response(lambda r: "/queue/search/" in r.url):
        page.click("#queue-search button[type=submit]:not([name])")
    expect(page.locator("#queue-results h2")).to_contain_text(re.compile(r"^\s*1 casus"))
    assert "3313" not in page.url
    page.click(f"#case-row-{drechtsteden.pk} a")
    page.wait_for_selector("h1")
    assert "M. Jansen" in page.locator("h1").inner_text()
    assert "0612345678" in page.content()
    # The arrears history is drawn (Chart.js gives the canvas its size) and also offered as a table.
    expect(page.locator("canvas[data-chart]")).to_have_attribute("data-drawn", "1")
    assert page.locator("details.history-table tbody tr").count() == 12
    screenshot(page, "case-page")


def _logout(page):
    with page.expect_navigation():
        page.click("header form[action='/logout/'] button")


def _act(page, summary, fill=None, button=None, message=""):
    """Open an action on the case page, fill it in, submit it and wait for its message (htmx swap)."""
    if summary:
        page.click(f"details.action > summary:has-text('{summary}')")
    for selector, value in (fill or {}).items():
        if value is True:
            page.check(selector)
        elif selector.startswith("select"):
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    with page.expect_response(lambda r: "/cases/" in r.url and r.request.method == "POST"):
        page.click(button)
    expect(page.locator("#messages")).to_contain_text(message, timeout=15_000)


def test_claim_contact_refer_then_social_service_accepts_and_grants_respite(page, screenshot, drechtsteden, world):
    """The issue's scenario: the corporation's caseworker finds a flagged household, claims it, logs a
    contact and refers it; the social service accepts and grants respite; the caseworker sees the respite."""
    case = drechtsteden
    today = timezone.localdate()
    login(page, "alice", PASSWORD)
    page.goto("/queue/")
    page.fill("#id_q", "Jansen")
    page.click("#queue-search button[type=submit]:not([name])")
    expect(page.locator("#queue-results h2")).to_contain_text(re.compile(r"^\s*1 casus"))
    with page.expect_navigation():
        page.click(f"#case-row-{case.pk} a")

    _act(page, None, button="button:has-text('Claim deze casus')", message="U heeft deze casus geclaimd")
    assert "Toegewezen aan alice" in page.locator(".case-head").inner_text()
    _act(
        page,
        "Contactpoging vastleggen",
        {
            "select#id_kind_contact": "Telefoon",
            "#id_reached_contact_1": True,
            "#id_outcome_contact": "Voicemail ingesproken",
        },
        "#action-contact button[type=submit]",
        "huishouden niet bereikt",
    )
    assert "Voicemail ingesproken" in page.locator("#h-timeline + ol").inner_text()
    _act(
        page,
        "Verwijzen naar de sociale dienst",
        {
            "select#id_to_partner_referral": str(world.sd.pk),
            "#id_consent_on_referral": today.isoformat(),
            "#id_reason_referral": "Wil graag hulp bij de huurachterstand",
        },
        "#action-refer button[type=submit]",
        "Verwezen naar Sociale Dienst",
    )
    _logout(page)

    login(page, "charlie", PASSWORD)
    page.goto("/queue/")
    row = page.locator(f"#case-row-{case.pk}")
    assert "Verwijzing wacht op uw antwoord" in row.inner_text()
    with page.expect_navigation():
        row.locator("a").first.click()
    assert "Wil graag hulp bij de huurachterstand" in page.locator(".referral-decision").inner_text()
    _act(
        page,
        None,
        button="#action-referral_accept button[type=submit]",
        message="verwijzing van Corporatie A geaccepteerd",
    )
    _act(
        page,
        "Respijt verlenen",
        {"#id_text_grant": "Huurder betaalt de lopende huur."},
        "#action-respite_grant button[type=submit]",
        "Respijt verleend",
    )
    _logout(page)

    login(page, "alice", PASSWORD)
    until = (today + dt.timedelta(days=30)).strftime("%d-%m-%Y")
    page.goto("/queue/")
    page.fill("#id_q", "Jansen")
    page.click("#queue-search button[type=submit]:not([name])")
    expect(page.locator("#queue-results h2")).to_contain_text(re.compile(r"^\s*1 casus"))
    row = page.locator(f"#case-row-{case.pk}")
    assert f"Respijt tot {until}" in row.inner_text()
    screenshot(page, "queue-respite")
    with page.expect_navigation():
        row.locator("a").first.click()
    assert f"Respijt tot {until}" in page.locator(".case-head").inner_text()
    assert "Huurder betaalt de lopende huur." in page.locator("#h-timeline + ol").inner_text()
    screenshot(page, "case-page-respite")


def test_pages_work_under_the_content_security_policy(page, drechtsteden):
    """The pages, their htmx swaps and the chart work under the portal's own Content-Security-Policy (no
    inline script or style, no eval): the browser reports any violation."""
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"
    )
    policy = page.request.get("/login/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
    login(page, "alice", PASSWORD)
    page.goto("/queue/")
    page.click(".filter-panel summary")
    page.select_option("#id_state", "new")
    with page.expect_response(lambda r: "/queue/" in r.url):
        page.click("#queue-filter button[type=submit]")
    expect(page.locator("#queue-results h2")).to_contain_text(re.compile(r"^\s*4 casussen"))
    assert page.evaluate("window.__csp") == []
    page.goto(f"/cases/{drechtsteden.pk}/")
    expect(page.locator("canvas[data-chart]")).to_have_attribute("data-drawn", "1")
    page.click("#action-note summary")
    assert page.evaluate("window.__csp") == []
