"""An arrears episode is an *achterstand*, a *signaal* only what goes to the municipality (issue 16,
docs/adr/0091): the dashboard's CSV and XLSX headers say so in both languages."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from arrears.workflow import CaseState

pytestmark = pytest.mark.django_db
W10 = {"week": "2026-W10"}
EPISODE_TABLES = ("weekly-cases", "weekly-arrears", "arrears-distribution", "municipalities")


def _headers(client, name):
    body = client.get(reverse("dashboard-export", args=(name, "csv")), W10).content.decode("utf-8-sig")
    return next(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("language", "new", "episodes"),
    [("nl", "Nieuwe casussen", "Open achterstanden"), ("en", "New cases", "Open arrears episodes")],
)
def test_export_headers_name_episodes_as_arrears_never_signals(client, fixed, language, new, episodes):
    client.force_login(fixed.managers.a)
    with translation.override(language):
        client.cookies["django_language"] = language
        headers = {name: _headers(client, name) for name in EPISODE_TABLES}
        workbook = load_workbook(io.BytesIO(client.get(reverse("dashboard-export", args=("all", "xlsx")), W10).content))
    assert new in headers["weekly-cases"] and episodes in headers["weekly-arrears"]
    assert episodes in headers["arrears-distribution"] and {new, episodes} <= set(headers["municipalities"])
    # every sheet's name and header row (the rows below are data: states and DDAS results may say "signal")
    cells = [sheet.title for sheet in workbook.worksheets]
    cells += [str(cell.value) for sheet in workbook.worksheets for cell in sheet[1] if cell.value]
    with translation.override(language):
        signalled = str(CaseState.SIGNALLED.label)  # the state: routed to the social service, a signal proper
    for header in [*cells, *(h for hs in headers.values() for h in hs)]:
        assert "signa" not in header.lower() or header == signalled, header
