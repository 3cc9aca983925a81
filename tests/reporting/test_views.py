"""Who gets which dashboard, what the page and its exports say, and that the page keeps a strict CSP."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from partners.models import AuditEvent
from reporting.page import TABLE_GROUPS
from reporting.snapshots import snapshot_missing
from reporting.suppression import HIDDEN
from tests.partners.factories import MembershipFactory

pytestmark = pytest.mark.django_db
W10 = {"week": "2026-W10"}  # its breakdowns, beside the last 13 weeks
PAGES = [
    ("dashboard", ()),
    ("dashboard-report", ()),
    *[("dashboard-export", (table, "csv")) for table in TABLE_GROUPS],
    *[("dashboard-export", (table, "xlsx")) for table in TABLE_GROUPS],
    ("dashboard-export", ("all", "xlsx")),
]


def test_access_table_for_every_dashboard_url(client, fixed):
    """role × partner → answer, for every dashboard URL (one loop, so none is forgotten)."""
    for partner in (fixed.world.corp_a, fixed.world.sd):
        snapshot_missing(partner=partner, weeks=12)  # past weeks from snapshots: only the live one computed
    expected = {
        (None, ""): 302,  # anonymous: to the login page
        ("alice", ""): 403,  # a caseworker
        ("anna", ""): 200,  # corporation A's manager
        ("anna", "corp-b"): 404,  # another partner's dashboard is not disclosed
        ("sanne", "sd"): 200,  # the social service's manager
        ("sanne", "corp-a"): 404,
        ("simon", "sd"): 200,  # the social service's partner admin
    }
    users = {
        "alice": fixed.world.alice,
        "anna": fixed.managers.a,
        "sanne": fixed.managers.sd,
        "simon": fixed.managers.sd_admin,
    }
    for name, args in PAGES:
        url = reverse(name, args=args)
        for (username, partner), status in expected.items():
            client.logout()
            if username:
                client.force_login(users[username])
            response = client.get(url, {"partner": partner} if partner else {})
            assert response.status_code == status, (url, username, partner)


def test_unknown_exports_and_bad_parameters(client, fixed):
    client.force_login(fixed.managers.a)
    assert client.get(reverse("dashboard-export", args=("everything", "csv"))).status_code == 404
    assert client.get(reverse("dashboard-export", args=("all", "csv"))).status_code == 404
    assert client.get(reverse("dashboard-export", args=("queues", "pdf"))).status_code == 404
    response = client.get(reverse("dashboard"), {"week": "2026-W99"})
    assert response.status_code == 400
    assert "2026-W99" in response.content.decode()
    assert client.get(reverse("dashboard"), {"weeks": "7"}).status_code == 400


def _table(response, name):
    return response.context["board"].tables[name]


def test_page_shows_each_partner_its_own_figures_only(client, fixed):
    client.force_login(fixed.managers.a)
    page_a = client.get(reverse("dashboard"), W10)
    client.force_login(fixed.managers.b)
    page_b = client.get(reverse("dashboard"), W10)
    municipalities_a = {row["code"]: row for row in _table(page_a, "municipalities").rows}
    municipalities_b = {row["code"]: row for row in _table(page_b, "municipalities").rows}
    # Zwijndrecht's ones round to nothing, so its row is not shown (ADR 0044; before: a row of "<5").
    assert set(municipalities_a) == {"0505"} and set(municipalities_b) == {"0505"}
    assert municipalities_a["0505"]["arrears_total"] is HIDDEN  # the sum of 5 signals identifies them
    assert municipalities_b["0505"]["new_signals"] == 5  # B's three, rounded; never A's four
    assert municipalities_b["0505"]["arrears_signals"] == 0
    neighbourhoods_b = {row["code"] for row in _table(page_b, "neighbourhoods").rows}
    assert neighbourhoods_b == {"BU05050101"}  # B has no households in A's other neighbourhoods
    body_b = page_b.content.decode()
    assert "Noordflank" not in body_b and "Stadspolder" not in body_b and "Centrum (BU06420101)" not in body_b
    assert "Corporatie A" not in body_b


def test_social_service_sees_cases_routed_or_referred_to_it(client, fixed):
    client.force_login(fixed.managers.sd)
    response = client.get(reverse("dashboard"), W10)
    (dordrecht,) = (row for row in _table(response, "municipalities").rows if row["code"] == "0505")
    # Open: a5 and a7, whose referrals waited for the SD's answer on Sunday (ADR 0092: what the SD holds);
    # new: a6, a7, b1 referred in the week. Both rounded.
    assert (dordrecht["open_cases"], dordrecht["new_signals"]) == (5, 5)
    # Now: a9 in the SD's own queue, a5's referral waiting in A's queue. b1's referral was accepted but the
    # case stayed in B's queue (a shortcut of this world): the SD holds nothing there.
    queues = {row["queue"] for row in _table(response, "queues").rows}
    assert queues == {"Sociale Dienst", "Corporatie A"}
    assert reverse("dashboard-ddas") in response.content.decode()


def test_page_has_charts_tables_and_no_inline_code(client, fixed):
    client.force_login(fixed.managers.a)
    response = client.get(reverse("dashboard"), W10)
    body = response.content.decode()
    assert response.status_code == 200
    canvases = re.findall(r'<canvas data-chart="([^"]+)"', body)
    # Every table has its chart; reach and help accepted show per week or per quarter, one at a time.
    assert len(canvases) == len(TABLE_GROUPS) - 1 and "chart-monitor-weeks" in canvases
    for chart_id in canvases:
        data = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', body, re.S)
        assert data, chart_id
        spec = json.loads(data.group(1))
        assert spec["labels"] and spec["datasets"]
    assert "vendor/chart.js-4.6.1/chart.umd.min.js" in body and "js/dashboards.js" in body
    # Strict CSP: every <script> has a src or is JSON data; no style attributes, no event handlers.
    for attributes in re.findall(r"<script([^>]*)>", body):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body)
    assert "javascript:" not in body


def test_exports_parse_back_to_the_same_numbers(client, fixed):
    client.force_login(fixed.managers.a)
    page = client.get(reverse("dashboard"), W10)
    for name in ("weekly-cases", "neighbourhoods", "outcomes"):
        table = _table(page, name)
        expected = [[_text(row.get(column.key)) for column in table.columns] for row in table.rows]
        response = client.get(reverse("dashboard-export", args=(name, "csv")), W10)
        assert response["Content-Type"].startswith("text/csv")
        assert f"tijdig-corp-a-{name}-2026-W10.csv" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [str(column.label) for column in table.columns]
        assert [[_text(cell) for cell in row] for row in rows[1:]] == expected
        workbook = load_workbook(io.BytesIO(client.get(reverse("dashboard-export", args=(name, "xlsx")), W10).content))
        sheet = workbook.active
        values = [[_text(cell) for cell in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values == expected
    year = client.get(reverse("dashboard-export", args=("weekly-cases", "csv")), {"weeks": "52", **W10})
    cases = csv.DictReader(io.StringIO(year.content.decode("utf-8-sig")))
    w10 = next(row for row in cases if row[str(_table(page, "weekly-cases").columns[0].label)] == "2026-W10")
    labels = {column.key: str(column.label) for column in _table(page, "weekly-cases").columns}
    # 5, 9 and 2 rounded to multiples of 5 (ADR 0044; before: "5", "9", "<5").
    assert (w10[labels["new_signals"]], w10[labels["open_cases"]], w10[labels["cases_closed"]]) == ("5", "10", "0")


HIDDEN_WORDS = {"x", "te weinig gegevens", "too little data"}  # the API's sign, the page's and exports' words


def _text(value):
    """A cell as text, whether it came from the table, the CSV, the XLSX or the API: a hidden figure as
    "x", a date as ISO."""
    if value is None:
        return ""
    if value is HIDDEN or str(value) in HIDDEN_WORDS:
        return "x"
    if isinstance(value, dt.datetime):  # the XLSX gives dates back as datetimes
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return f"{Decimal(text).normalize():f}"
    return text


def test_all_in_one_workbook(client, fixed):
    client.force_login(fixed.managers.a)
    response = client.get(reverse("dashboard-export", args=("all", "xlsx")))
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == len(TABLE_GROUPS)


def test_printable_report(client, fixed):
    client.force_login(fixed.managers.a)
    response = client.get(reverse("dashboard-report"), W10)
    body = response.content.decode()
    assert response.status_code == 200
    assert "2026-W10" in body and "data-print" in body and "css/dashboards.css" in body
    assert "/dashboard/export/" not in body  # no download links on paper


def test_ddas_download_for_the_social_service(client, fixed):
    url = reverse("dashboard-ddas")
    client.force_login(fixed.managers.a)
    assert client.get(url).status_code == 404  # a corporation has no monitor export
    client.force_login(fixed.managers.sd_admin)
    assert client.get(url).status_code == 404  # personal data: not for partner admins
    assert reverse("dashboard-ddas") not in client.get(reverse("dashboard")).content.decode()
    client.force_login(fixed.managers.sd)
    form = client.get(url)
    assert form.status_code == 200 and b'name="municipality"' in form.content
    response = client.get(url, {"municipality": "0642", "date_from": "2026-03-01", "date_to": "31-03-2026"})
    assert response.status_code == 200
    assert 'filename="ddas-0642-2026-03-01-2026-03-31.json"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["leveringen"][0]["gemeentecode"] == "0642"
    assert (
        AuditEvent.objects.filter(user=fixed.managers.sd, action="export", object_type="households.Household").count()
        == 1
    )
    bad = client.get(url, {"municipality": "0482", "date_from": "2026-04-01", "date_to": "2026-03-01"})
    assert bad.status_code == 400
    assert bad.context["form"].errors.keys() == {"municipality", "date_to"}


def test_dashboard_link_in_the_navigation_for_managers_only(client, fixed):
    client.force_login(fixed.managers.a)
    assert reverse("dashboard") in client.get(reverse("home")).content.decode()
    caseworker = MembershipFactory(
        user=get_user_model().objects.create(username="kees"), partner=fixed.world.corp_a
    ).user
    client.force_login(caseworker)
    assert f'href="{reverse("dashboard")}"' not in client.get(reverse("home")).content.decode()


def test_a_manager_of_two_partners_switches_between_them(client, fixed):
    MembershipFactory(user=fixed.managers.a, partner=fixed.world.sd, role="manager")
    client.force_login(fixed.managers.a)
    first = client.get(reverse("dashboard"))
    assert first.context["partner"] == fixed.world.corp_a  # by name: "Corporatie A" before "Sociale Dienst"
    assert f'href="{reverse("dashboard")}?partner=sd"' in first.content.decode()
    assert client.get(reverse("dashboard"), {"partner": "sd"}).context["partner"] == fixed.world.sd


def test_hidden_figures_read_too_little_data_with_the_reason_on_hover_and_focus(client, fixed):
    """Not "<5" (which reads as "under 5 %") nor a bare "x": words, a focusable cell, its reason as the
    accessible description — on the page, in the CSV and in the XLSX alike (ADR 0092)."""
    client.force_login(fixed.managers.a)
    response = client.get(reverse("dashboard"), W10, HTTP_ACCEPT_LANGUAGE="nl")
    body = response.content.decode()
    municipalities = _table(response, "municipalities")
    (dordrecht,) = (row for row in municipalities.rows if row["code"] == "0505")
    assert dordrecht["arrears_total"] is HIDDEN  # the sum of 5 (rounded) signals
    cells = re.findall(
        r'<span class="suppressed" tabindex="0" data-reason="([^"]+)" aria-describedby="why-suppressed">([^<]+)</span>',
        body,
    )
    assert cells and {text for _reason, text in cells} == {"te weinig gegevens"}
    assert all("minder dan 10" in reason for reason, _text in cells)
    assert re.search(r'<p id="why-suppressed" hidden>[^<]*minder dan 10[^<]*</p>', body)
    assert "&lt;5" not in body and ">x<" not in body
    csv_body = client.get(reverse("dashboard-export", args=("municipalities", "csv")), W10, HTTP_ACCEPT_LANGUAGE="nl")
    assert "te weinig gegevens" in csv_body.content.decode("utf-8-sig")
    xlsx = client.get(reverse("dashboard-export", args=("municipalities", "xlsx")), W10, HTTP_ACCEPT_LANGUAGE="nl")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    hidden = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == "te weinig gegevens"]
    assert hidden and all("minder dan 10" in cell.comment.text for cell in hidden)
    index = [column.key for column in municipalities.columns].index("arrears_total")
    assert "opgeteld" in sheet[1][index].comment.text  # the column's definition on its header
    api = client.get("/api/v1/dashboard/", {"week": "2026-W10"}).json()
    (api_row,) = (row for row in api["tables"]["municipalities"]["rows"] if row["area"].endswith("(0505)"))
    assert api_row["arrears_total"] == "x"  # the API's sign stays


def test_the_quarter_view_and_the_monitor_exports_quarter(client, fixed):
    client.force_login(fixed.managers.sd)
    week_view = client.get(reverse("dashboard")).content.decode()
    assert 'id="monitor-weeks"' in week_view and 'id="monitor-quarters"' not in week_view
    response = client.get(reverse("dashboard"), {"view": "quarter"})
    body = response.content.decode()
    assert 'id="monitor-quarters"' in body and 'id="monitor-weeks"' not in body
    quarters = _table(response, "monitor-quarters")
    previous = response.context["ddas_quarter"]
    assert [row["quarter"] for row in quarters.rows][-2] == previous.label
    link = f"{reverse('dashboard-ddas')}?partner=sd&amp;quarter={previous.label}"
    assert link in body
    form = client.get(reverse("dashboard-ddas"), {"partner": "sd", "quarter": previous.label})
    assert form.status_code == 200
    assert (form.context["form"].initial["date_from"], form.context["form"].initial["date_to"]) == (
        previous.first_day,
        previous.last_day,
    )
    # Every definition of the monitor stands beside it; the corporation has no monitor export link.
    assert "Huishoudens met een nieuwe casus" in body or "Households with a new case" in body
    client.force_login(fixed.managers.a)
    assert reverse("dashboard-ddas") not in client.get(reverse("dashboard"), {"view": "quarter"}).content.decode()
    assert client.get(reverse("dashboard"), {"view": "month"}).status_code == 400
