"""The corporation caseworker's journey in a real browser (issue 16; docs/adr/0090, 0093, 0094): from the
home page's counts (each a link to exactly those cases) to the queue's triage filters (repeat arrears,
age; no filter that cannot match for a corporation), a case whose checklist is recorded in one submit with
the ledger's reminder date while the routing banner updates in place, the referral to the social service,
a case whose arrears were cleared closed in one click, and the households in respite one click from
home. A screenshot per step: test-artifacts/journey-caseworker/NN-<step>.png."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from arrears.models import Case, Signal
from arrears.services import cases as case_services
from ledger.models import ArrearsState
from tests.arrears.factories import SignalFactory, flagged_case
from tests.e2e.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SHOTS = "journey-caseworker"


@pytest.fixture
def morning(world):
    """Corporation A's morning: a young household with repeat arrears whose checklist is not complete
    (the ledger carries the reminder's date), a household whose arrears were cleared two days ago, one in
    respite, and a few other new arrears."""
    today = timezone.localdate()
    world.alice.first_name, world.alice.last_name = "Sanne", "de Vries"
    world.alice.save()
    case = flagged_case(
        world.corp_a,
        amount="912.40",
        days=41,
        opened_days_ago=3,
        household={
            "name": "F. de Jong",
            "street": "Singel",
            "house_number": 12,
            "phone": "0612345678",
            "date_of_birth": today.replace(year=today.year - 24),
        },
    )
    signal = case.signals.get()
    # The previous episode of the same household closed four months ago: a repeat.
    SignalFactory(
        tenancy=signal.tenancy,
        status=Signal.Status.CLOSED,
        origin_date=today - dt.timedelta(days=240),
        opened_on=today - dt.timedelta(days=200),
        closed_on=today - dt.timedelta(days=120),
        updated_on=today - dt.timedelta(days=120),
    )
    ledger_reminder = signal.origin_date + dt.timedelta(days=14)
    ArrearsState.objects.filter(tenancy=signal.tenancy).update(reminder_date=ledger_reminder)
    case_services.case_signal(case=case, by=world.alice)  # stays: the checklist is not complete
    paid = flagged_case(world.corp_a, opened_days_ago=20, household={"name": "K. Bakker", "street": "Voorstraat"})
    paid.signals.update(status=Signal.Status.CLOSED, closed_on=today - dt.timedelta(days=2), amount=0)
    Case.objects.filter(pk=paid.pk).update(arrears_ended_on=today - dt.timedelta(days=2))
    ArrearsState.objects.filter(tenancy__household=paid.household).update(balance=0, months_of_rent=0, days_overdue=0)
    respite = flagged_case(world.corp_a, opened_days_ago=30, household={"name": "M. Smit", "street": "Vest"})
    Case.objects.filter(pk=respite.pk).update(respite_until=today + dt.timedelta(days=40))
    for number in range(3):
        flagged_case(world.corp_a, opened_days_ago=1, household={"street": "Spuiweg", "house_number": 20 + number})
    return {"case": case, "paid": paid, "respite": respite, "ledger_reminder": ledger_reminder}


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


def _count(page):
    heading = page.locator("#queue-results h2").inner_text()
    return int(re.search(r"(\d+)\s+casus", heading).group(1))


def test_corporation_caseworker_from_new_arrears_to_a_referral(page, screenshot, morning):
    (ARTIFACTS / SHOTS).mkdir(parents=True, exist_ok=True)
    case, paid, respite = morning["case"], morning["paid"], morning["respite"]
    login(page, "alice", PASSWORD)

    # 1. Home: every count is a link to the queue filtered to exactly those cases; the rows link too.
    page.goto("/")
    open_cases = page.locator("a[data-figure=open_cases]")
    expect(open_cases).to_have_text("6")
    expect(page.locator("a[data-figure=in_respite]")).to_have_text("1")
    expect(page.locator(f"table.data a[href$='/cases/{case.pk}/']").first).to_be_visible()
    screenshot(page, f"{SHOTS}/01-home")
    with page.expect_navigation():
        open_cases.click()
    assert _count(page) == 6

    # 2. The queue's filters fit the role: no "referred to us" for a corporation; repeat and age triage.
    queue_choices = page.locator("select[name=queue] option").all_inner_texts()
    assert "Naar ons verwezen, wacht op antwoord" not in queue_choices
    if page.locator("#queue-filter details[open]").count() == 0:  # open already when a filter is set
        page.click("#queue-filter summary")
    page.select_option("select[name=repeat]", "yes")
    page.select_option("select[name=age]", "under27")
    with page.expect_response(lambda r: "/queue/" in r.url):
        page.click("#queue-filter button[type=submit]")
    expect(page.locator("#queue-results h2")).to_contain_text(re.compile(r"^\s*1 casus"))
    row = page.locator(f"#case-row-{case.pk}")
    expect(row).to_contain_text("Herhaalde achterstand")
    screenshot(page, f"{SHOTS}/02-queue-repeat-under-27")

    # 3. The case: the routing banner says what the checklist still lacks.
    with page.expect_navigation():
        row.locator("td.household a").click()
    main = page.locator("#case-main")
    head = main.locator(".case-head")
    expect(head).to_contain_text("Wacht op de checklist")
    expect(head).to_contain_text("Schriftelijke herinnering verstuurd")
    expect(head).to_contain_text("Herhaalde achterstand")
    screenshot(page, f"{SHOTS}/03-case-waiting-for-the-checklist")

    # 4. Two steps in one submit; the reminder's date comes from the ledger. The banner updates in place.
    page.click("details#action-checklist > summary")
    reminder = morning["ledger_reminder"]
    expect(page.locator("#id_reminder_sent_date_checklist")).to_have_value(reminder.isoformat())
    expect(page.locator("#action-checklist")).to_contain_text("Uit de export van de huuradministratie")
    today = timezone.localdate()
    _act(
        page,
        None,
        {
            "#id_reminder_sent_checklist": True,
            "#id_pointed_to_help_checklist": True,
            "#id_pointed_to_help_date_checklist": today.isoformat(),
        },
        "#action-checklist button[type=submit]",
        "Stappen vastgelegd",
    )
    expect(head).to_contain_text("Wacht op de checklist")
    expect(head).not_to_contain_text("Schriftelijke herinnering verstuurd")
    expect(head).to_contain_text("Persoonlijk contact geprobeerd, Aangeboden gegevens door te geven")
    timeline = page.locator("#h-timeline + ol")
    expect(timeline).to_contain_text("Sanne de Vries (Corporatie A)")
    text = timeline.inner_text()
    assert "Nieuw → Nieuw" not in text and "(Corporatie A) (Corporatie A)" not in text
    screenshot(page, f"{SHOTS}/04-two-steps-banner-updated")

    # 5. The household agrees to a warm handover: refer it to the social service.
    _act(
        page,
        "Verwijzen naar de sociale dienst",
        {
            "#id_consent_on_referral": today.isoformat(),
            "#id_reason_referral": "Wil hulp bij het op orde brengen van de financiën",
        },
        "#action-refer button[type=submit]",
        "Sociale Dienst",
    )
    expect(main.locator("#h-referrals + ul")).to_contain_text("Corporatie A → Sociale Dienst")
    screenshot(page, f"{SHOTS}/05-referred")

    # 6. A household whose arrears were cleared: the case says so and closes in one click.
    page.goto(f"/cases/{paid.pk}/")
    expect(head).to_contain_text("Achterstand ingelopen op")
    expect(head).not_to_contain_text("Eerste contact te laat")
    screenshot(page, f"{SHOTS}/06-arrears-cleared")
    with page.expect_response(lambda r: "/close/" in r.url and r.request.method == "POST"):
        page.click("#close-arrears-ended button")
    expect(head).to_contain_text("Achterstand betaald")
    expect(head).to_contain_text("Gesloten")
    screenshot(page, f"{SHOTS}/07-closed-arrears-paid")

    # 7. The households in respite are one click from home.
    page.goto("/")
    with page.expect_navigation():
        page.click("a[data-figure=in_respite]")
    assert _count(page) == 1
    expect(page.locator(f"#case-row-{respite.pk}")).to_contain_text("Respijt tot")
    screenshot(page, f"{SHOTS}/08-in-respite")
