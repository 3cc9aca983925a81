"""A manager's Monday in a real browser (Debian's Chromium, nl-NL), issue 16: open the dashboard, read the
headline figures and what they mean, switch reach and help accepted to the quarter view, follow the open
cases to the queue and see the same number there, download the quarter as CSV and everything as XLSX.
One screenshot per step: test-artifacts/journey-manager/NN-<step>.png."""

import csv
import datetime as dt
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from arrears.models import ContactAttempt
from arrears.vocabularies import FinalResult
from arrears.workflow import CaseState
from reporting.page import quarters_shown
from reporting.suppression import round_count
from reporting.weeks import current_quarter, current_week, last_weeks
from tests.arrears.factories import flagged_case, move_case
from tests.e2e.conftest import ARTIFACTS, login
from tests.partners.factories import MembershipFactory, NeighbourhoodFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "journey-manager"
CASES = 22  # one every three days, about nine weeks back


def shot(page, number, step, target=None):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{number:02d}-{step}.png"
    (target or page).screenshot(path=str(path), **({} if target else {"full_page": False}))
    return path


@pytest.fixture
def monday(world):
    """Corporation A's last nine weeks in Dordrecht: 22 cases, four closed, seven with the social service
    (two of them taken up), every other one reached by A; one household in respite."""
    krispijn = NeighbourhoodFactory(municipality=world.dordrecht, code="BU05050301", name="Krispijn")
    now = timezone.now()
    for index in range(CASES):
        opened = now - dt.timedelta(days=3 * index, hours=1)
        case = flagged_case(
            world.corp_a,
            opened_at=opened,
            household={"municipality": world.dordrecht, "neighbourhood": krispijn},
            respite_until=timezone.localdate() + dt.timedelta(days=20) if index == 5 else None,
        )
        if index % 5 == 4:  # closed: paid
            move_case(case, state=CaseState.CLOSED, closed_at=opened + dt.timedelta(days=2), outcome=FinalResult.PAID)
        elif index % 3 == 0:  # signalled to the social service; every other one taken up
            taken_up = index % 6 == 0
            move_case(
                case,
                queue_partner=world.sd,
                state=CaseState.TAKEN_UP if taken_up else CaseState.SIGNALLED,
                signalled_at=opened + dt.timedelta(minutes=10),
                taken_up_at=opened + dt.timedelta(minutes=20) if taken_up else None,
            )
        if index % 2 == 0:
            ContactAttempt.objects.create(
                case=case, partner=world.corp_a, kind="Telefoon", reached=True, date=timezone.localdate(opened)
            )
    MembershipFactory(user=UserFactory(username="marieke"), partner=world.corp_a, role="manager")
    return world


def number(text):
    return int(re.sub(r"\D", "", text))


def test_a_managers_monday(page, monday, tmp_path):
    open_cases = CASES - 4
    login(page, "marieke", "correct horse battery staple")

    # 1. The dashboard, from the top bar.
    page.click("text=Dashboard")
    expect(page.locator("h1")).to_have_text("Dashboard Corporatie A")
    page.wait_for_selector("#monitor-weeks canvas[data-rendered=true]")
    shot(page, 1, "dashboard")

    # 2. The headline figures, each with what it counts: open cases rounded to a multiple of 5, with the
    #    queue's exact number beside it (the corporation's open cases include those with the social service).
    card = page.locator("#headline-open_cases")
    assert number(card.locator("dd.value").inner_text()) == round_count(open_cases)  # 18 → 20
    link = card.locator(".queue-link a")
    assert link.get_attribute("data-exact") == str(open_cases)
    expect(link).to_have_text(f"{open_cases} casussen in de werkvoorraad")
    expect(card.locator("dd.definition")).to_contain_text("in uw eigen werkvoorraad of bij een sociale dienst")
    expect(page.locator("#headline-reach dt")).to_contain_text("Bereik (%)")
    expect(page.locator("#headline-reach dd.definition")).to_contain_text("geslaagde contactpoging")
    expect(page.locator("#headline-help_accepted dt")).to_contain_text("Hulp aangenomen (%)")
    shot(page, 2, "headlines", page.locator(".headlines"))

    # 3. A share over too few households: "te weinig gegevens", its reason on keyboard focus (not "<5").
    hidden = page.locator("#monitor-weeks .suppressed").first
    expect(hidden).to_have_text("te weinig gegevens")
    hidden.focus()
    reason = hidden.evaluate("cell => getComputedStyle(cell, '::after').content")
    assert "minder dan 10" in reason
    assert hidden.get_attribute("aria-describedby") == "why-suppressed"
    assert "<5" not in page.locator("main").inner_text()
    shot(page, 3, "too-little-data", page.locator("#monitor-weeks"))

    # 4. Reach and help accepted per quarter: the DDAS monitor export's periods, this quarter last.
    page.click("nav.view-switch >> text=per kwartaal")
    page.wait_for_selector("#monitor-quarters canvas[data-rendered=true]")
    expect(page.locator("#monitor-weeks")).to_have_count(0)
    quarter = current_quarter()
    rows = page.locator("#monitor-quarters tbody tr")
    expect(rows).to_have_count(len(quarters_shown(last_weeks(13, until=current_week()))))
    last = rows.last.locator("th, td").all_inner_texts()
    assert last[0] == quarter.label and last[1] == quarter.first_day.strftime("%d-%m-%Y")
    assert page.locator("#headline-reach dd.value").inner_text() == last[5]  # the card is this quarter's row
    expect(page.locator("#monitor-quarters .definitions")).to_contain_text("Huishoudens met een nieuwe casus")
    shot(page, 4, "quarter-view", page.locator("#section-monitor").locator(".."))
    dashboard_url = page.url

    # 5. Follow the open cases to the queue: the same number, the cases behind it.
    page.locator("#headline-open_cases .queue-link a").click()
    page.wait_for_selector("#queue-results")
    expect(page.locator("#queue-results-heading")).to_contain_text(f"{open_cases} casussen")
    assert "queue=all" in page.url
    shot(page, 5, "queue-same-number")

    # 6. Back on the dashboard: the quarter as CSV, exactly what the table shows.
    page.goto(dashboard_url)
    with page.expect_download() as download:
        page.locator("#monitor-quarters .exports a", has_text="CSV").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.endswith(".csv") and "monitor-quarters" in path.name
    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0][:3] == ["Kwartaal", "Van", "Tot en met"]
    assert [line[0] for line in lines[1:]] == rows.locator("th").all_inner_texts()
    assert lines[-1][1] == quarter.first_day.isoformat()
    page.locator("#monitor-quarters .exports").scroll_into_view_if_needed()
    shot(page, 6, "export-csv", page.locator("#monitor-quarters"))

    # 7. Everything as XLSX: one sheet per table, the quarter's with the same rows and definitions.
    with page.expect_download() as download:
        page.click("text=Alles als XLSX")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    workbook = load_workbook(path)
    (sheet,) = (sheet for sheet in workbook.worksheets if sheet.title.startswith("Bereik en hulp aangenomen per k"))
    values = [[str(cell) if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert [row[0] for row in values[1:]] == [line[0] for line in lines[1:]]
    assert "signaleringsdrempel" in sheet["D1"].comment.text  # "Huishoudens met een nieuwe casus": its definition
    assert len(workbook.sheetnames) == 14
    shot(page, 7, "export-xlsx", page.locator(".dash-head"))
