"""Triage by repeat arrears and by age, and filters that fit the role (issue 16, corporation caseworker;
docs/adr/0094): the rules of ``arrears.selectors.triage`` on hand-built dates, on the queue, the case page
and the API, each only where ``arrears.disclosure`` lets the reader see what it is made of."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears import disclosure
from arrears.case_access import Level
from arrears.models import Signal
from arrears.selectors.queue import AMSTERDAM, QueueFilters, queue_list
from arrears.selectors.triage import years_before
from arrears.workflow import CaseState
from tests.arrears.factories import ReferralFactory, SignalFactory, flagged_case, move_case
from tests.households.factories import TenancyFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 6, 15)  # the day the current episode was flagged


def _with_earlier(corporation, *, closed_on, start=START, same_tenancy=True, **case):
    """A case whose open episode was flagged on ``start``, and an earlier episode of its household (on the
    same tenancy, or another of the household's) that closed on ``closed_on``."""
    current = flagged_case(corporation, **case)
    Signal.objects.filter(case=current).update(opened_on=start)
    tenancy = (
        current.signals.get().tenancy
        if same_tenancy
        else TenancyFactory(household=current.household, corporation=current.corporation)
    )
    SignalFactory(
        tenancy=tenancy,
        status=Signal.Status.CLOSED,
        opened_on=closed_on - dt.timedelta(days=90),
        origin_date=closed_on - dt.timedelta(days=120),
        updated_on=closed_on,
        closed_on=closed_on,
    )
    return current


def _repeat(user, case, **filters):
    return queue_list(user=user, filters=QueueFilters(queue="all", **filters)).get(pk=case.pk).repeat


@pytest.mark.parametrize(
    ("start", "closed_on", "repeat"),
    [
        (START, dt.date(2025, 6, 15), True),  # exactly 12 months before
        (START, dt.date(2025, 6, 14), False),  # 12 months and a day
        (START, START, True),  # closed the day the new one was flagged
        (START, dt.date(2026, 1, 31), True),
        (dt.date(2028, 2, 29), dt.date(2027, 3, 1), True),  # from 29 February: the window opens on 1 March
        (dt.date(2028, 2, 29), dt.date(2027, 2, 28), False),
        (dt.date(2029, 3, 1), dt.date(2028, 3, 1), True),  # across a leap day: calendar months, not 365 days
    ],
)
def test_a_repeat_is_a_new_episode_within_12_months_of_the_end_of_the_households_previous(
    world, start, closed_on, repeat
):
    case = _with_earlier(world.corp_a, closed_on=closed_on, start=start)
    assert _repeat(world.alice, case) is repeat


def test_the_household_not_the_tenancy_and_never_another_household(world):
    other_contract = _with_earlier(world.corp_a, closed_on=dt.date(2026, 1, 10), same_tenancy=False)
    assert _repeat(world.alice, other_contract) is True
    first = flagged_case(world.corp_a)
    Signal.objects.filter(case=first).update(opened_on=START)
    SignalFactory(  # another household's episode, closed a week before
        tenancy=TenancyFactory(household__corporation=world.corp_a),
        status=Signal.Status.CLOSED,
        opened_on=dt.date(2026, 3, 1),
        closed_on=dt.date(2026, 6, 8),
    )
    assert _repeat(world.alice, first) is False


def test_no_open_episode_no_repeat_and_an_earlier_episode_must_have_ended(world):
    cleared = _with_earlier(world.corp_a, closed_on=dt.date(2026, 1, 10))
    Signal.objects.filter(case=cleared, status=Signal.Status.OPEN).update(
        status=Signal.Status.CLOSED, closed_on=dt.date(2026, 7, 1)
    )
    assert _repeat(world.alice, cleared) is False
    still_open = flagged_case(world.corp_a)  # a second contract's episode, open: not an earlier one that ended
    Signal.objects.filter(case=still_open).update(opened_on=START)
    SignalFactory(tenancy=TenancyFactory(household=still_open.household), opened_on=dt.date(2026, 2, 1))
    assert _repeat(world.alice, still_open) is False


def test_repeat_filter_badge_and_case_page(client, world):
    repeat = _with_earlier(world.corp_a, closed_on=dt.date(2026, 1, 10))
    first = flagged_case(world.corp_a)
    listed = queue_list(user=world.alice, filters=QueueFilters(repeat="yes"))
    assert [case.pk for case in listed] == [repeat.pk]
    assert first.pk in {case.pk for case in queue_list(user=world.alice)}
    client.force_login(world.alice)
    response = client.get(reverse("queue"), {"repeat": "yes"})
    assert [case.pk for case in response.context["cases"]] == [repeat.pk]
    body = response.content.decode()
    assert 'class="badge badge-repeat">Herhaalde achterstand</span>' in body
    first_row = client.get(reverse("queue")).content.decode().split(f'id="case-row-{first.pk}"')[1].split("</tr>")[0]
    assert "badge-repeat" not in first_row
    page = client.get(reverse("case-detail", args=[repeat.pk])).content.decode()
    assert '<li class="badge badge-repeat">Herhaalde achterstand</li>' in page
    assert "badge-repeat" not in client.get(reverse("case-detail", args=[first.pk])).content.decode()


def test_repeat_is_the_corporations_ledger_a_social_service_sees_it_once_it_has_the_case_in_full(client, world):
    signalled = _with_earlier(world.corp_a, closed_on=dt.date(2026, 1, 10))
    move_case(signalled, queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now())
    referred = _with_earlier(world.corp_a, closed_on=dt.date(2026, 1, 10))
    ReferralFactory(case=referred, to_partner=world.sd)
    assert "arrears" not in disclosure.fields_for(Level.WORK)  # the household's other episodes
    assert _repeat(world.charlie, signalled) is False and _repeat(world.charlie, referred) is False
    assert not queue_list(user=world.charlie, filters=QueueFilters(queue="all", repeat="yes")).exists()
    client.force_login(world.charlie)
    assert "badge-repeat" not in client.get(reverse("queue"), {"queue": "all"}).content.decode()
    assert "badge-repeat" not in client.get(reverse("case-detail", args=[signalled.pk])).content.decode()
    move_case(signalled, state=CaseState.TAKEN_UP, taken_up_at=timezone.now(), assignee=world.charlie)
    assert _repeat(world.charlie, signalled) is True
    assert "badge-repeat" in client.get(reverse("case-detail", args=[signalled.pk])).content.decode()


def _born(today, years, days=0):
    return years_before(today, years) + dt.timedelta(days=days)


def test_age_groups_at_their_edges(world):
    today = dt.date(2026, 12, 3)
    cases = {
        label: flagged_case(world.corp_a, household={"date_of_birth": born})
        for label, born in {
            "27 today": _born(today, 27),
            "27 tomorrow": _born(today, 27, days=1),
            "65 today": _born(today, 65),
            "65 tomorrow": _born(today, 65, days=1),
            "unknown": None,
        }.items()
    }

    def listed(age):
        rows = queue_list(user=world.alice, filters=QueueFilters(age=age), today=today)
        return {label for label, case in cases.items() if case.pk in {row.pk for row in rows}}

    assert listed("under27") == {"27 tomorrow"}
    assert listed("65plus") == {"65 today"}
    assert years_before(dt.date(2028, 2, 29), 27) == dt.date(2001, 2, 28)


def test_age_filter_on_the_page_counts_from_today_in_amsterdam(client, world):
    today = timezone.localdate(timezone=AMSTERDAM)
    young = flagged_case(world.corp_a, household={"date_of_birth": _born(today, 27, days=1)})
    flagged_case(world.corp_a, household={"date_of_birth": _born(today, 27)})
    client.force_login(world.alice)
    response = client.get(reverse("queue"), {"age": "under27"})
    assert [case.pk for case in response.context["cases"]] == [young.pk]
    assert response.context["query"] == "age=under27"


def _without(monkeypatch, field, *levels):
    for level in levels:
        monkeypatch.setitem(disclosure.FIELDS, level, disclosure.FIELDS[level] - {field})


def test_a_reader_who_may_not_see_the_date_of_birth_gets_no_age_filter_and_a_forged_one_is_ignored(
    client, world, monkeypatch
):
    young = flagged_case(world.corp_a, household={"date_of_birth": _born(timezone.localdate(), 20)})
    old = flagged_case(world.corp_a, household={"date_of_birth": _born(timezone.localdate(), 70)})
    _without(monkeypatch, "date_of_birth", Level.SIGNAL, Level.WORK, Level.FULL)
    client.force_login(world.alice)
    response = client.get(reverse("queue"), {"age": "under27"})
    form = response.context["form"]
    assert "age" not in form.fields
    assert {case.pk for case in response.context["cases"]} == {young.pk, old.pk}  # ignored
    assert "Het filter ‘Leeftijd’ is voor u niet beschikbaar; het is genegeerd." in response.content.decode()
    assert response.context["query"] == ""
    # and the selector, asked anyway, matches no row whose date of birth the reader does not see
    assert not queue_list(user=world.alice, filters=QueueFilters(age="under27")).exists()


def test_the_age_filter_applies_only_where_the_disclosure_function_shows_the_date_of_birth(world, monkeypatch):
    """Were the date of birth for full readers only, a signal not yet taken up would not be filtered on it."""
    young = {"date_of_birth": _born(timezone.localdate(), 20)}
    signalled = flagged_case(world.corp_a, household=young)
    move_case(signalled, queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now())
    taken_up = flagged_case(world.corp_a, household=young)
    move_case(taken_up, queue_partner=world.sd, state=CaseState.TAKEN_UP, taken_up_at=timezone.now())
    assert {c.pk for c in queue_list(user=world.charlie, filters=QueueFilters(age="under27"))} == {
        signalled.pk,
        taken_up.pk,
    }
    _without(monkeypatch, "date_of_birth", Level.SIGNAL, Level.WORK)
    assert [c.pk for c in queue_list(user=world.charlie, filters=QueueFilters(age="under27"))] == [taken_up.pk]


def test_filters_fit_the_role(client, world, people):
    client.force_login(world.alice)
    form = client.get(reverse("queue")).context["form"]
    assert "referred" not in dict(form.fields["queue"].choices)  # a corporation receives no referrals
    assert {"", "own", "elsewhere", "all"} <= set(dict(form.fields["queue"].choices))
    assert {"repeat", "age"} <= set(form.fields)
    response = client.get(reverse("queue"), {"queue": "referred", "respite": "no"})
    assert "queue" in response.context["form"].errors  # reported …
    assert response.context["query"] == "respite=no"  # … and ignored
    client.force_login(world.charlie)
    form = client.get(reverse("queue")).context["form"]
    assert {"", "own", "referred", "elsewhere", "all"} == set(dict(form.fields["queue"].choices))
    assert {"repeat", "age"} <= set(form.fields)  # a social service sees both on the cases it has in full
    client.force_login(people["corp_a", "admin"])  # a partner admin reads no households
    form = client.get(reverse("queue")).context["form"]
    assert "repeat" not in form.fields and "age" not in form.fields


def test_a_state_filter_does_not_tell_the_corporations_workflow_on_a_referral(world):
    referred = flagged_case(world.corp_a, state=CaseState.IN_PROGRESS, assignee=world.alice)
    ReferralFactory(case=referred, to_partner=world.sd)
    assert [c.pk for c in queue_list(user=world.charlie)] == [referred.pk]
    assert not queue_list(user=world.charlie, filters=QueueFilters(state="in_progress", queue="all")).exists()
    assert not queue_list(user=world.charlie, filters=QueueFilters(state="new", queue="all")).exists()
    assert [c.pk for c in queue_list(user=world.alice, filters=QueueFilters(state="in_progress"))] == [referred.pk]


def test_cleared_arrears_filter(world):
    cleared = flagged_case(world.corp_a)
    Signal.objects.filter(case=cleared).update(status=Signal.Status.CLOSED, closed_on=timezone.localdate())
    still = flagged_case(world.corp_a)
    assert [c.pk for c in queue_list(user=world.alice, filters=QueueFilters(arrears="cleared"))] == [cleared.pk]
    assert [c.pk for c in queue_list(user=world.alice, filters=QueueFilters(arrears="open"))] == [still.pk]


def test_the_api_filters_by_the_same_rules(api, world):
    repeat = _with_earlier(world.corp_a, closed_on=dt.date(2026, 1, 10))
    young = flagged_case(world.corp_a, household={"date_of_birth": _born(timezone.localdate(), 20)})
    signalled = _with_earlier(world.corp_a, closed_on=dt.date(2026, 1, 10))
    move_case(signalled, queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now())

    def listed(user, **params):
        response = api(user).get(reverse("api:case-list"), params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert listed(world.alice, repeat="true") == {repeat.pk, signalled.pk}
    assert young.pk in listed(world.alice, repeat="false")
    assert listed(world.charlie, repeat="true") == set()  # not in full yet
    assert listed(world.alice, age="under27") == {young.pk}
    assert api(world.alice).get(reverse("api:case-list"), {"age": "young"}).status_code == 400
