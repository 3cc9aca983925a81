"""The caseworker's morning in a real browser (Debian's Chromium): find a flagged household in the queue,
open it, work it; screenshots of the queue and the case page go to test-artifacts/."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ..factories import ArrearsSnapshotFactory, MembershipFactory, NeighbourhoodFactory, UserFactory, flagged_case
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def drechtsteden(world):
    """The world's corporation A with a few flagged households, one of them (Jansen) with a year of
    arrears history, and a team lead."""
    bu = NeighbourhoodFactory(municipality=world.dordrecht, code="BU05050301", name="Krispijn")
    jansen = flagged_case(
        world.corp_a,
        name="M. Jansen",
        street="Bosboom Toussaintstraat",
        house_number=14,
        postcode="3313 AB",
        phone="0612345678",
        neighbourhood=bu,
        amount="1312.40",
        months="2.10",
        previous="1100.00",
        opened_days_ago=9,
    )
    tenancy = jansen.household.tenancies.get()
    today = timezone.localdate()
    for back in range(12, 0, -1):
        month_end = (today.replace(day=1) - dt.timedelta(days=30 * back)).replace(day=28)
        ArrearsSnapshotFactory(tenancy=tenancy, as_of=month_end, balance=Decimal(max(0, 12 - back) * 120))
    for i, (name, amount) in enumerate([("P. de Wit", "310.00"), ("K. Yilmaz", "845.50"), ("S. Bakker", "95.00")]):
        flagged_case(world.corp_a, name=name, street="Vrieseweg", house_number=20 + i, neighbourhood=bu, amount=amount)
    MembershipFactory(user=UserFactory(username="lead"), partner=world.corp_a, role="manager")
    return jansen


def test_queue_search_filter_and_case_page(page, screenshot, drechtsteden):
    login(page, "alice", PASSWORD)
    page.goto("/queue/")
    page.wait_for_selector("#queue-results")
    assert page.locator("#queue-results h2").inner_text().startswith("4 casussen")
    # The overdue, unclaimed case stands out and says so in words.
    jansen_row = page.locator(f"#case-row-{drechtsteden.pk}")
    assert "Te laat" in jansen_row.inner_text()
    assert "Niet geclaimd" in jansen_row.inner_text()
    screenshot(page, "queue")

    # Filter with htmx: the results change, the address bar shows only the filters.
    page.click(".filter-panel summary")  # the filters fold away until they are used
    page.fill("#id_amount_min", "800")
    with page.expect_response(lambda r: "/queue/" in r.url and r.request.method == "GET"):
        page.click("#queue-filter button[type=submit]")
    page.wait_for_function("document.querySelector('#queue-results h2').innerText.startsWith('2 casussen')")
    assert "amount_min=800" in page.url

    # Search by postcode: posted, never in the address bar.
    page.goto("/queue/")
    page.fill("#id_q", "3313ab")
    with page.expect_response(lambda r: "/queue/search/" in r.url):
        page.click("#queue-search button[type=submit]:not([name])")
    page.wait_for_function("document.querySelector('#queue-results h2').innerText.startsWith('1 casus')")
    assert "3313" not in page.url
    page.click(f"#case-row-{drechtsteden.pk} a")
    page.wait_for_selector("h1")
    assert "M. Jansen" in page.locator("h1").inner_text()
    assert "0612345678" in page.content()
    # The arrears history is drawn (Chart.js gives the canvas its size) and also offered as a table.
    page.wait_for_function("document.querySelector('canvas[data-chart]').dataset.drawn === '1'")
    assert page.locator("details.history-table tbody tr").count() == 12
    screenshot(page, "case-page")


STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def test_pages_work_under_a_strict_content_security_policy(page, drechtsteden):
    """The pages, their htmx swaps and the chart work with no inline script or style allowed: every
    response gets a strict CSP header here and the browser reports any violation."""

    def with_csp(route):
        response = route.fetch(max_redirects=0)
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", with_csp)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"
    )
    login(page, "alice", PASSWORD)
    page.goto("/queue/")
    page.click(".filter-panel summary")
    page.select_option("#id_state", "new")
    with page.expect_response(lambda r: "/queue/" in r.url):
        page.click("#queue-filter button[type=submit]")
    page.wait_for_function("document.querySelector('#queue-results h2').innerText.startsWith('4 casussen')")
    assert page.evaluate("window.__csp") == []
    page.goto(f"/cases/{drechtsteden.pk}/")
    page.wait_for_function("document.querySelector('canvas[data-chart]').dataset.drawn === '1'")
    page.click("#action-note summary")
    assert page.evaluate("window.__csp") == []
