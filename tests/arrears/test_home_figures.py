"""The home page's counts (issue 16, corporation caseworker; docs/adr/0094): every count is a link to the
queue filtered to exactly the cases it counts, and following the link lists that many; the rows of "My
queue" open their case."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from arrears.forms.queue import QueueFilterForm
from arrears.models import Signal
from arrears.selectors import queue_filter_options
from arrears.selectors.queue import HOME_FIGURES, QueueFilters, home_figures, home_scope, querystring
from arrears.workflow import CaseState
from tests.arrears.factories import ReferralFactory, flagged_case, move_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate

FIGURE_LINK = re.compile(r'<a class="figure-link" data-figure="(\w+)" href="([^"]+)"[^>]*>([^<]+)</a>')
TRAY_LINK = re.compile(r'<a href="([^"]+)"><span class="tray-count">(\d+)</span>')


@pytest.fixture
def spread(world):
    """Cases of corporation A in several queues and states: its own queue (new, in progress, one in respite,
    one with its arrears cleared), with the social service (signalled; taken up and in respite), a referral
    waiting on the social service, a closed case — and corporation B's, a referral to the social service too."""
    respite = TODAY() + dt.timedelta(days=10)
    flagged_case(world.corp_a, amount="300.00")
    flagged_case(world.corp_a, amount="1200.00", state=CaseState.IN_PROGRESS, assignee=world.alice)
    flagged_case(world.corp_a, amount="450.00", respite_until=respite)
    cleared = flagged_case(world.corp_a, amount="80.00")
    Signal.objects.filter(case=cleared).update(status=Signal.Status.CLOSED, closed_on=TODAY())
    flagged_case(world.corp_a, respite_until=TODAY() - dt.timedelta(days=1))  # respite over
    signalled = flagged_case(world.corp_a, amount="900.00")
    move_case(signalled, queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now())
    taken_up = flagged_case(world.corp_a, amount="2000.00", respite_until=respite)
    move_case(
        taken_up,
        queue_partner=world.sd,
        state=CaseState.TAKEN_UP,
        signalled_at=timezone.now(),
        taken_up_at=timezone.now(),
        assignee=world.charlie,
    )
    ReferralFactory(case=flagged_case(world.corp_a, amount="650.00"), to_partner=world.sd, consent_on=TODAY())
    ReferralFactory(case=flagged_case(world.corp_b, amount="500.00"), to_partner=world.sd, consent_on=TODAY())
    flagged_case(world.corp_a, state=CaseState.CLOSED, closed_at=timezone.now())
    flagged_case(world.corp_b)  # corporation B's own: nobody here sees it


def _listed(client, url):
    """The queue page at ``url``: how many cases it lists, and their open arrears added up."""
    response = client.get(url + ("&" if "?" in url else "?") + "per_page=100")
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    page = response.context["page_obj"]
    assert page.paginator.count <= 100
    return page.paginator.count, sum((case.arrears_amount or Decimal(0) for case in page.object_list), Decimal(0))


@pytest.mark.parametrize("user", ["alice", "charlie"])
def test_every_count_on_the_home_page_is_what_its_link_lists(client, world, spread, user):
    client.force_login(getattr(world, user))
    response = client.get(reverse("home"))
    body = response.content.decode()
    figures = {figure["key"]: figure for figure in response.context["figures"]}
    links = FIGURE_LINK.findall(body)
    assert [key for key, _url, _text in links] == ["open_cases", "with_arrears", "arrears_total", "in_respite"]
    for key, url, text in links:
        count, total = _listed(client, html.unescape(url))
        if key == "arrears_total":
            assert total == figures[key]["total"] > 0
        else:
            assert count == int(text) == figures[key]["count"], key
    trays = TRAY_LINK.findall(body)
    assert trays
    for url, text in trays:
        assert _listed(client, html.unescape(url))[0] == int(text)
    # the figures of the data above, so the comparison above compared something
    counts = {key: figures[key]["count"] for key in HOME_FIGURES}
    if user == "alice":  # all its open cases, with the social service too; its "My queue" holds 7
        assert counts == {"open_cases": 8, "with_arrears": 7, "in_respite": 2}
        assert figures["arrears_total"]["total"] == Decimal("700.00") + Decimal("300.00") + Decimal(
            "1200.00"
        ) + Decimal("450.00") + Decimal("900.00") + Decimal("2000.00") + Decimal("650.00")
    else:  # its queue (signalled, taken up) and the two referrals waiting for its answer
        assert counts == {"open_cases": 4, "with_arrears": 4, "in_respite": 1}


def test_households_in_respite_is_one_click_from_the_list_of_them(client, world, spread):
    client.force_login(world.alice)
    body = client.get(reverse("home")).content.decode()
    (url,) = [html.unescape(url) for key, url, _text in FIGURE_LINK.findall(body) if key == "in_respite"]
    assert QueryDict(url.split("?", 1)[1]).dict() == {"queue": "all", "respite": "yes"}
    listed = client.get(url).context["cases"]
    assert len(listed) == 2 and all(case.in_respite for case in listed)


def test_each_figure_says_what_it_counts(client, world, spread):
    client.force_login(world.alice)
    body = client.get(reverse("home")).content.decode()
    assert "in uw eigen werkvoorraad en bij een sociale dienst" in body
    client.force_login(world.charlie)
    body = client.get(reverse("home")).content.decode()
    assert "Uw werkvoorraad en de verwijzingen die wachten op uw antwoord" in body


@pytest.mark.parametrize("social_service", [False, True])
def test_the_queue_reads_each_figures_link_back_to_the_figures_filters(world, social_service):
    """The figure counts ``queue_list`` with these filters; the queue page parses its link to the same."""
    user = world.charlie if social_service else world.alice
    options = queue_filter_options(user=user)
    for key, figure in home_figures(user=user, social_service=social_service).items():
        form = QueueFilterForm(QueryDict(querystring(figure["filters"])), options=options)
        assert form.is_valid(), (key, form.errors)
        assert form.filters() == figure["filters"], key
    assert querystring(home_scope(social_service=True)) == ""  # "My queue" is the queue's default
    assert querystring(QueueFilters(overdue=True, tray="new")) == "overdue=1&tray=new"


def test_a_partner_admin_gets_no_figures_it_could_not_follow(client, people, spread):
    client.force_login(people["corp_a", "admin"])
    response = client.get(reverse("home"))
    assert response.context.get("figures") is None
    assert not FIGURE_LINK.findall(response.content.decode())


def test_the_rows_of_my_queue_open_their_case(client, world):
    cases = [flagged_case(world.corp_a) for _ in range(2)]
    client.force_login(world.alice)
    body = client.get(reverse("home")).content.decode()
    for case in cases:
        assert f'<a href="{reverse("case-detail", args=[case.pk])}">{case}</a>' in body
