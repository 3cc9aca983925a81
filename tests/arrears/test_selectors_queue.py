import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from arrears.selectors.queue import QueueFilters, contact_cutoff, queue_list, queue_row, sort_ordering
from arrears.workflow import CaseState
from tests.arrears.factories import ContactAttemptFactory, ReferralFactory, flagged_case, move_case
from tests.households.factories import TenancyFactory
from tests.partners.factories import MembershipFactory, NeighbourhoodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        # Wednesday 18-11-2026: arrivals up to Tuesday 10-11 have had their 5 working days.
        (dt.date(2026, 11, 18), dt.date(2026, 11, 10)),
        # Monday 23-11: arrivals up to Sunday 15-11 (its deadline was Friday 20-11).
        (dt.date(2026, 11, 23), dt.date(2026, 11, 15)),
        # Wednesday 30-12-2026: Christmas (25 and 26 December) does not count.
        (dt.date(2026, 12, 30), dt.date(2026, 12, 21)),
    ],
)
def test_contact_cutoff_counts_dutch_working_days(today, cutoff):
    assert contact_cutoff(today, 5) == cutoff


def test_rows_carry_the_triage_columns(world):
    case = flagged_case(world.corp_a, amount="1234.56", months="1.90", previous="1000.00", opened_days_ago=3)
    ContactAttemptFactory(case=case, date=timezone.localdate() - dt.timedelta(days=1))
    row = queue_list(user=world.alice).get()
    assert row.arrears_amount == Decimal("1234.56")
    assert row.arrears_months == Decimal("1.90")
    assert row.trend == Decimal("234.56")
    assert row.last_contact == timezone.localdate() - dt.timedelta(days=1)
    assert timezone.localdate(row.queue_since) == timezone.localdate() - dt.timedelta(days=3)
    assert row.in_respite is False


def test_overdue_when_not_contacted_within_five_working_days(world):
    today = timezone.localdate()
    old = flagged_case(world.corp_a, opened_days_ago=20)
    contacted = flagged_case(world.corp_a, opened_days_ago=20)
    ContactAttemptFactory(case=contacted, date=today - dt.timedelta(days=2))
    fresh = flagged_case(world.corp_a, opened_days_ago=0)
    rows = {c.pk: c.is_overdue for c in queue_list(user=world.alice)}
    assert rows == {old.pk: True, contacted.pk: False, fresh.pk: False}
    assert list(queue_list(user=world.alice, filters=QueueFilters(overdue=True))) == [old]


def test_contact_by_the_other_partner_does_not_count_for_the_queue_holder(world):
    case = flagged_case(world.corp_a, opened_days_ago=20)
    ContactAttemptFactory(case=case, partner=world.sd)
    assert queue_list(user=world.alice).get().is_overdue is True


def test_default_order_puts_overdue_then_unclaimed_first(world):
    claimed_fresh = flagged_case(world.corp_a, opened_days_ago=1, assignee=world.alice, state=CaseState.IN_PROGRESS)
    unclaimed_fresh = flagged_case(world.corp_a, opened_days_ago=1)
    overdue = flagged_case(world.corp_a, opened_days_ago=30)
    assert list(queue_list(user=world.alice)) == [overdue, unclaimed_fresh, claimed_fresh]


def test_sorting_by_amount_both_ways(world):
    small = flagged_case(world.corp_a, amount="100.00")
    big = flagged_case(world.corp_a, amount="900.00")
    assert list(queue_list(user=world.alice, filters=QueueFilters(sort="amount"))) == [small, big]
    assert list(queue_list(user=world.alice, filters=QueueFilters(sort="-amount"))) == [big, small]


def test_unknown_sort_key_falls_back_to_the_default():
    assert [str(o) for o in sort_ordering("nonsense")] == [str(o) for o in sort_ordering("urgency")]


def test_social_service_queue_holds_routed_cases_and_referrals_awaiting_answer(world):
    routed = move_case(
        flagged_case(world.corp_a), queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now()
    )
    referred = flagged_case(world.corp_b)
    ReferralFactory(case=referred, to_partner=world.sd)
    flagged_case(world.corp_a)  # still with the corporation: not the social service's business
    mine = list(queue_list(user=world.charlie))
    assert set(mine) == {routed, referred}
    assert [c.pk for c in queue_list(user=world.charlie, filters=QueueFilters(queue="referred"))] == [referred.pk]
    # The corporation still sees the routed case, in another partner's queue.
    assert list(queue_list(user=world.alice, filters=QueueFilters(queue="elsewhere"))) == [routed]
    # "Only our own queue" (the dashboards' overdue and workload links): without what waits elsewhere.
    assert list(queue_list(user=world.charlie, filters=QueueFilters(queue="own"))) == [routed]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Jansen", {"jansen"}),
        ("kerkstraat", {"jansen"}),
        ("3311ab", {"jansen"}),
        ("3311 AB 7", {"jansen"}),
        ("3311 AB 8", set()),
        ("Voorstraat 12", {"pietersen"}),
        ("HC-777", {"pietersen"}),
        ("zwijndrecht", set()),
    ],
)
def test_search_by_name_address_postcode_or_contract(world, term, expected):
    cases = {
        "jansen": flagged_case(
            world.corp_a,
            household={"name": "A. Jansen", "street": "Kerkstraat", "house_number": 7, "postcode": "3311 AB"},
        ),
        "pietersen": flagged_case(
            world.corp_a, household={"name": "B. Pietersen", "street": "Voorstraat", "house_number": 12}
        ),
    }
    TenancyFactory(household=cases["pietersen"].household, contract_number="HC-777")
    found = set(queue_list(user=world.alice, filters=QueueFilters(search=term)))
    assert found == {cases[k] for k in expected}


def test_social_service_cannot_search_by_contract_number(world):
    case = flagged_case(world.corp_a, household={"name": "C. de Boer"})
    TenancyFactory(household=case.household, contract_number="HC-999")
    move_case(case, queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now())
    assert list(queue_list(user=world.charlie, filters=QueueFilters(search="C. de Boer"))) == [case]
    assert list(queue_list(user=world.charlie, filters=QueueFilters(search="HC-999"))) == []
    assert list(queue_list(user=world.alice, filters=QueueFilters(search="HC-999"))) == [case]


def test_filters_narrow_the_queue(world):
    bu = NeighbourhoodFactory(municipality=world.dordrecht, code="BU05050202", name="Wielwijk")
    in_wielwijk = flagged_case(world.corp_a, amount="300.00", months="0.50", household={"neighbourhood": bu})
    elsewhere = flagged_case(world.corp_a, amount="2000.00", months="3.00")
    elsewhere.respite_until = timezone.localdate() + dt.timedelta(days=10)
    elsewhere.assignee = world.alice
    elsewhere.save()

    def pks(**filters):
        return {c.pk for c in queue_list(user=world.alice, filters=QueueFilters(**filters))}

    assert pks(neighbourhood="BU05050202") == {in_wielwijk.pk}
    assert pks(municipality="0505") == {in_wielwijk.pk, elsewhere.pk}
    assert pks(amount_min=Decimal("1000")) == {elsewhere.pk}
    assert pks(amount_max=Decimal("1000")) == {in_wielwijk.pk}
    assert pks(months_min=Decimal("1"), months_max=Decimal("5")) == {elsewhere.pk}
    assert pks(respite="yes") == {elsewhere.pk}
    assert pks(respite="no") == {in_wielwijk.pk}
    assert pks(assignee="me") == {elsewhere.pk}
    assert pks(assignee="none") == {in_wielwijk.pk}
    assert pks(assignee=str(world.alice.pk)) == {elsewhere.pk}
    assert pks(state="in_progress") == set()
    assert pks(state="new") == {in_wielwijk.pk, elsewhere.pk}


def test_closed_cases_only_when_asked(world):
    closed = flagged_case(world.corp_a)
    closed.state = CaseState.CLOSED
    closed.closed_at = timezone.now()
    closed.save()
    assert list(queue_list(user=world.alice)) == []
    assert list(queue_list(user=world.alice, filters=QueueFilters(state="all"))) == [closed]
    assert queue_row(user=world.alice, pk=closed.pk) == closed


def test_other_partners_cases_are_never_listed(world):
    flagged_case(world.corp_b)
    assert list(queue_list(user=world.alice, filters=QueueFilters(queue="all", state="all"))) == []
    stranger = UserFactory(username="stranger")
    assert list(queue_list(user=stranger)) == []
    MembershipFactory(user=stranger, partner=world.corp_b)
    stranger = type(stranger).objects.get(pk=stranger.pk)  # memberships are read once per user object
    assert len(queue_list(user=stranger)) == 1


def test_days_since_signal_count_from_flagging_for_the_corporation_and_from_routing_for_the_service(world):
    case = move_case(
        flagged_case(world.corp_a, opened_days_ago=9),
        queue_partner=world.sd,
        state=CaseState.SIGNALLED,
        signalled_at=timezone.now() - dt.timedelta(days=2),
    )
    today = timezone.localdate()
    corporation_row = queue_list(user=world.alice, filters=QueueFilters(queue="all")).get(pk=case.pk)
    service_row = queue_list(user=world.charlie).get(pk=case.pk)
    assert (today - timezone.localdate(corporation_row.arrived_at)).days == 9
    assert (today - timezone.localdate(service_row.arrived_at)).days == 2
