"""Dashboard figures by API: the dashboards page's tables for managers and partner admins."""

import pytest

from reporting.page import selectable_weeks
from tests.arrears.factories import CaseFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/dashboard/"


def test_a_manager_gets_the_tables_of_the_dashboard(world, api, people):
    for _ in range(12):
        CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    CaseFactory(household=HouseholdFactory(corporation=world.corp_b))
    body = api(people["corp_a", "manager"]).get(URL).json()
    assert body["partner"] == "corp-a" and len(body["weeks"]) == 13 and body["week"] == body["live_week"]
    assert {"weekly-cases", "neighbourhoods", "caseworkers"} <= set(body["tables"])
    cases = body["tables"]["weekly-cases"]
    assert cases["columns"][0]["key"] == "week"
    assert cases["rows"][-1]["open_cases"] == 10  # 12, rounded (ADR 0044); with B's case 13 would give 15
    assert all(row["open_cases"] % 5 == 0 for row in body["tables"]["neighbourhoods"]["rows"])
    assert all(isinstance(item["label"], str) for item in body["headlines"])


def test_weeks_and_week_choose_the_range_and_the_breakdown(world, api, people):
    client = api(people["sd", "admin"])
    last = selectable_weeks()[5].label
    body = client.get(URL, {"weeks": 52, "week": last}).json()
    assert len(body["weeks"]) == 52 and body["week"] == last
    for params, field in [
        ({"weeks": 7}, "weeks"),
        ({"week": "2026-53"}, "week"),
        ({"week": "1999-W01"}, "week"),
        ({"week": ""}, "week"),
    ]:
        response = client.get(URL, params)
        assert response.status_code == 400 and list(response.json()["errors"]) == [field]


def test_caseworkers_get_no_dashboard(world, api):
    assert api(world.alice).get(URL).status_code == 403
