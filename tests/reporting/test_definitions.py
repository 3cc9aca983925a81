"""Each figure of now links to the queue with filters that list exactly the cases it counts: the queue's
count, for the same user, is the dashboard's figure (ADR 0092). Checked on the fixed world of
``conftest.py`` for a corporation and a social service, for the headline cards and the workload tables."""

from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from arrears import case_access
from arrears import selectors as arrears_selectors
from arrears.forms.queue import QueueFilterForm
from reporting import selectors
from reporting.definitions import DEFINITIONS
from reporting.page import build
from reporting.suppression import round_count
from reporting.workload import workload
from tests.partners.factories import MembershipFactory
from tests.reporting.conftest import NOW

pytestmark = pytest.mark.django_db


def queue_count(user, url):
    """What the queue page says for this user at the link: its filter form, its selector, its count."""
    assert urlsplit(url).path == reverse("queue")
    form = QueueFilterForm(QueryDict(urlsplit(url).query), options=arrears_selectors.queue_filter_options(user=user))
    assert form.is_valid(), form.errors
    page = arrears_selectors.queue_page(user=user, filters=form.filters(), today=NOW.date())
    return page.paginator.count


@pytest.mark.parametrize(
    ("manager", "expected"),
    [
        # A: ten open cases (a9 with the social service too, so "My queue" has nine); a6's respite; a2, a3
        # and a7 past the deadline of 03-10 without an attempt.
        ("a", {"open_cases": 10, "in_respite": 1, "overdue": 3}),
        # The SD: a9 in its queue and a5's referral waiting for its answer.
        ("sd", {"open_cases": 2, "in_respite": 0, "overdue": 0}),
    ],
)
def test_each_headline_of_now_is_the_queues_count_for_the_same_user(fixed, manager, expected):
    case_access.sync_case_access()  # the world's referrals were written without the services that grant access
    user = getattr(fixed.managers, manager)
    partner = selectors.dashboard_partner(user=user)
    assert selectors.queue_links(user=user, partner=partner)
    board = build(partner, now=NOW)
    linked = {item["key"]: item for item in board.headlines(queue_links=True) if item["queue_url"]}
    assert set(linked) == set(expected)
    for key, item in linked.items():
        count = queue_count(user, item["queue_url"])
        assert count == item["exact"] == expected[key], key
        assert item["value"] == round_count(count), key  # the card's own value: the published one
        assert item["definition"] == DEFINITIONS[key].text(partner)


def test_the_queues_my_queue_differs_from_the_corporations_open_cases_and_the_link_says_why(fixed):
    """The issue's 46 against 43: a corporation's open cases include those with the social service."""
    user = fixed.managers.a
    assert queue_count(user, reverse("queue")) == 9  # "My queue": not a9, which the SD has
    with translation.override("en"):
        assert "with a social service" in DEFINITIONS["open_cases"].text(fixed.world.corp_a)


@pytest.mark.parametrize("manager", ["a", "sd"])
def test_the_workload_links_list_what_each_cell_counts(fixed, manager):
    case_access.sync_case_access()
    user = getattr(fixed.managers, manager)
    partner = selectors.dashboard_partner(user=user)
    caseworkers, queues = workload(partner, now=NOW)
    board = build(partner, now=NOW)
    rows = board.tables["caseworkers"].rows
    assert len(rows) == len(caseworkers)
    for raw, row in zip(caseworkers, rows, strict=True):
        for key in ("open_cases", "overdue"):
            assert queue_count(user, row["_links"][key]) == raw[key], (raw["caseworker"], key)
    (own,) = (row for row in board.tables["queues"].rows if row["_links"])
    (own_raw,) = (row for row in queues if row["queue"] == partner)
    for key, url in own["_links"].items():
        assert queue_count(user, url) == own_raw[key], key


def test_no_links_where_the_queue_would_not_reproduce_the_number(client, fixed):
    # A partner admin sees no cases; a manager of two partners sees both partners' cases in one queue.
    assert not selectors.queue_links(user=fixed.managers.sd_admin, partner=fixed.world.sd)
    MembershipFactory(user=fixed.managers.b, partner=fixed.world.sd, role="manager")
    assert not selectors.queue_links(user=fixed.managers.b, partner=fixed.world.corp_b)
    client.force_login(fixed.managers.sd_admin)
    body = client.get(reverse("dashboard")).content.decode()
    assert "data-exact" not in body and f'href="{reverse("queue")}?' not in body
    client.force_login(fixed.managers.a)
    body = client.get(reverse("dashboard")).content.decode()
    assert "data-exact" in body and f'href="{reverse("queue")}?queue=all"' in body
    report = client.get(reverse("dashboard-report")).content.decode()
    assert "data-exact" not in report  # nothing to follow on paper
