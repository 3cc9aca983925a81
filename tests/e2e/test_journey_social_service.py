"""The social-service caseworker's journey in a real browser (issue 16, docs/adr/0091): from the home page
to the referral waiting in its tray, the case as the social service may see it before accepting (none of
the corporation's internal workflow), accept the warm handover, log the contact, grant respite. A
screenshot per step: test-artifacts/journey-social-service/NN-<step>.png."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from arrears.services import cases as case_services
from arrears.services import referrals
from arrears.vocabularies import ContactKind
from arrears.workflow import CaseState
from tests.arrears.factories import flagged_case, move_case
from tests.e2e.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SHOTS = "journey-social-service"


@pytest.fixture
def handover(world):
    """Corporation A's caseworker works a household whose checklist is not complete ("Wacht op de
    checklist"), and refers it today with its consent; meanwhile the social service has late signals in
    its queue, older than the referral."""
    today = timezone.localdate()
    case = flagged_case(
        world.corp_a,
        amount="1480.00",
        days=87,
        opened_days_ago=87,
        household={"name": "R. Veenstra", "street": "Dubbeldamseweg", "house_number": 31, "phone": "0687654321"},
    )
    case_services.case_signal(case=case, by=world.alice)  # held back: the checklist is not complete
    case_services.case_claim(case=case, by=world.alice)
    case_services.contact_attempt_record(
        case=case, by=world.alice, kind=ContactKind.PHONE, reached=True, date=today, outcome="Belafspraak corporatie"
    )
    referrals.referral_create(
        case=case, by=world.alice, to_partner=world.sd, consent_on=today, reason="Wil graag hulp met de schulden"
    )
    for number in range(3):
        late = flagged_case(world.corp_a, days=130, household={"street": "Vrieseweg", "house_number": 40 + number})
        move_case(
            late,
            queue_partner=world.sd,
            state=CaseState.SIGNALLED,
            signalled_at=timezone.now() - dt.timedelta(days=12),
            is_late=True,
        )
    return case


def _act(page, summary, fill, button, message):
    """Open an action on the case page, fill it in, submit it and wait for its message (htmx swap)."""
    if summary:
        page.click(f"details.action > summary:has-text('{summary}')")
    for selector, value in fill.items():
        if value is True:
            page.check(selector)
        elif selector.startswith("select"):
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    with page.expect_response(lambda r: "/cases/" in r.url and r.request.method == "POST"):
        page.click(button)
    expect(page.locator("#messages")).to_contain_text(message)


def test_social_service_accepts_a_warm_handover_and_grants_respite(page, screenshot, handover):
    (ARTIFACTS / SHOTS).mkdir(parents=True, exist_ok=True)
    case = handover
    login(page, "charlie", PASSWORD)

    # 1. Home: the trays, most urgent first, each a link; the referral waits in its own tray.
    page.goto("/")
    referral_tray = page.locator(".tray-referral a")
    expect(referral_tray).to_contain_text(re.compile(r"1\s+Verwijzingen die wachten op uw antwoord"))
    expect(page.locator(".tray-overdue a")).to_contain_text(re.compile(r"3\s+Eerste contact te laat"))
    expect(page.locator(f"#referral-case-{case.pk}")).to_contain_text("R. Veenstra")
    screenshot(page, f"{SHOTS}/01-home")

    # 2. Its tray: exactly that referral; it has waited 0 days (not the 87 of the arrears episode).
    with page.expect_navigation():
        referral_tray.click()
    expect(page.locator("#queue-results h2")).to_contain_text(re.compile(r"^\s*1 casus"))
    row = page.locator(f"#case-row-{case.pk}")
    expect(row).to_contain_text("Verwijzing wacht op uw antwoord")
    assert row.locator("td.num").nth(2).inner_text().strip() == "0"
    screenshot(page, f"{SHOTS}/02-referral-tray")

    # The whole queue: the referral leads, before the older late signals.
    page.goto("/queue/")
    expect(page.locator("table.queue tbody tr").first).to_have_id(f"case-row-{case.pk}")

    # 3. The case before accepting: what the signal carries and the referral, nothing of the
    #    corporation's internal workflow (its routing banner, assignee, contact attempt, claim).
    with page.expect_navigation():
        page.click(f"#case-row-{case.pk} a")
    main = page.locator("#case-main")
    expect(main.locator("h1")).to_contain_text("R. Veenstra")
    expect(main.locator(".referral-decision")).to_contain_text("Wil graag hulp met de schulden")
    text = main.inner_text()
    for internal in ("Wacht op de checklist", "Routering", "Toegewezen aan", "Belafspraak", "Geclaimd"):
        assert internal not in text, internal
    assert "Claim deze casus" not in text
    screenshot(page, f"{SHOTS}/03-case-before-accepting")

    # 4. Accept the warm handover: the case is the social service's now, in its name, in full.
    _act(page, None, {}, "#action-referral_accept button[type=submit]", "verwijzing van Corporatie A geaccepteerd")
    expect(main.locator(".case-head")).to_contain_text("Toegewezen aan charlie")
    expect(main.locator(".case-head")).to_contain_text("Opgepakt door sociale dienst")
    expect(main).to_contain_text("0687654321")
    screenshot(page, f"{SHOTS}/04-accepted")

    # 5. Log the contact with the household.
    _act(
        page,
        "Contactpoging vastleggen",
        {
            "select#id_kind_contact": "Huisbezoek",
            "#id_reached_contact_0": True,
            "#id_outcome_contact": "Intake gepland",
        },
        "#action-contact button[type=submit]",
        "huishouden bereikt",
    )
    expect(page.locator("#h-timeline + ol")).to_contain_text("Intake gepland")
    screenshot(page, f"{SHOTS}/05-contact-logged")

    # 6. Grant respite: the corporation pauses collection.
    until = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d-%m-%Y")
    _act(
        page,
        "Respijt verlenen",
        {"#id_text_grant": "Huurder betaalt de lopende huur; schuldhulp start."},
        "#action-respite_grant button[type=submit]",
        "Respijt verleend",
    )
    expect(main.locator(".case-head")).to_contain_text(f"Respijt tot {until}")
    screenshot(page, f"{SHOTS}/06-respite-granted")
