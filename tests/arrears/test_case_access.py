"""Case access (``arrears.case_access``): the policy that derives each partner's level on a case, its sync
to the partner-role groups' object permissions, and ``partners.access`` reading those grants."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from hypothesis import given
from hypothesis import strategies as st

from arrears import case_access
from arrears.case_access import Level
from arrears.models import Case, CaseGroupObjectPermission
from households.models import HouseholdGroupObjectPermission
from partners import access
from tests.arrears.factories import CaseFactory, ReferralFactory
from tests.households.factories import HouseholdFactory
from tests.partners.factories import MembershipFactory

pytestmark = pytest.mark.django_db
REFERRAL_STATUSES = ["pending", "accepted", "declined", "withdrawn"]


# --- The access policy and its sync (routing issue) ------------------------------------------------

NOW = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("case", "referrals", "levels"),
    [
        ((1, 10, 10, None), [], {10: Level.FULL}),
        ((1, 10, 20, None), [], {10: Level.FULL, 20: Level.WORK}),
        ((1, 10, 20, NOW), [], {10: Level.FULL, 20: Level.FULL}),
        ((1, 10, 10, None), [(1, 20, "pending")], {10: Level.FULL, 20: Level.SIGNAL}),
        # an accepted referral grants nothing of its own: the case left the social service again
        ((1, 10, 10, None), [(1, 20, "accepted")], {10: Level.FULL}),
        ((1, 10, 20, NOW), [(1, 20, "accepted")], {10: Level.FULL, 20: Level.FULL}),
        ((1, 10, 10, None), [(1, 20, "declined"), (1, 30, "withdrawn")], {10: Level.FULL}),
        ((1, 10, 20, None), [(1, 20, "pending")], {10: Level.FULL, 20: Level.WORK}),
        ((1, 10, 10, None), [(2, 20, "pending")], {10: Level.FULL}),
    ],
)
def test_case_levels_policy(case, referrals, levels):
    assert case_access.case_levels([case], referrals) == {1: levels}


PARTNERS = st.sampled_from([10, 20, 30])


@given(
    cases=st.lists(
        st.tuples(st.integers(1, 5), st.just(10), PARTNERS, st.sampled_from([None, NOW])),
        unique_by=lambda row: row[0],
        max_size=5,
    ),
    referrals=st.lists(
        st.tuples(st.integers(1, 6), st.sampled_from([20, 30]), st.sampled_from(REFERRAL_STATUSES)), max_size=8
    ),
)
def test_access_follows_the_case(cases, referrals):
    """Invariant (docs/adr/0025): a partner other than the corporation holds a level on a case only while
    the case sits in its queue (WORK/FULL) or a referral waits on it (SIGNAL, nothing more). Whatever the
    history of accepted, declined or withdrawn referrals, a social service the case has left holds nothing."""
    levels = case_access.case_levels(cases, referrals)
    for case_id, corporation_id, queue_partner_id, taken_up_at in cases:
        for partner_id, level in levels[case_id].items():
            if partner_id == corporation_id:
                assert level == Level.FULL
            elif partner_id == queue_partner_id:
                assert level == (Level.FULL if taken_up_at else Level.WORK)
            else:
                assert level == Level.SIGNAL
                assert (case_id, partner_id, "pending") in referrals


def _rows(case):
    case_rows = set(
        CaseGroupObjectPermission.objects.filter(content_object=case).values_list("group__name", "permission__codename")
    )
    household_rows = set(
        HouseholdGroupObjectPermission.objects.filter(content_object=case.household_id).values_list(
            "group__name", "permission__codename"
        )
    )
    return case_rows, household_rows


def test_sync_grants_to_caseworker_and_manager_groups_only_and_revokes(world):
    case = CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    work = {("corp-a:caseworker", "view_case"), ("corp-a:caseworker", "work_case")}
    work |= {("corp-a:manager", "view_case"), ("corp-a:manager", "work_case")}
    assert _rows(case) == (work, {("corp-a:caseworker", "view_household"), ("corp-a:manager", "view_household")})
    referral = ReferralFactory(case=case, to_partner=world.sd)
    assert {r for r in _rows(case)[0] if r[0].startswith("sd:")} == {
        ("sd:caseworker", "view_case"),
        ("sd:manager", "view_case"),
    }
    referral.status = "declined"
    referral.save()
    assert case_access.sync_case_access(case_ids=[case.pk]) == {"added": 0, "removed": 2}
    assert _rows(case)[0] == work
    assert case_access.sync_case_access(case_ids=[case.pk]) == {"added": 0, "removed": 0}
    assert not Group.objects.filter(name="corp-a:admin", casegroupobjectpermission__isnull=False).exists()


def test_household_permissions_follow_all_its_cases(world):
    household = HouseholdFactory(corporation=world.corp_a)
    old = CaseFactory(household=household, queue_partner=world.sd, state="closed", taken_up_at=NOW)
    Case.objects.filter(pk=old.pk).update(state="closed")
    case_access.sync_case_access(case_ids=[old.pk])
    assert ("sd:caseworker", "view_household") in _rows(old)[1]
    CaseFactory(household=household)  # a new episode in the corporation's queue keeps the earlier access
    assert ("sd:caseworker", "view_household") in _rows(old)[1]


def test_manual_grants_are_undone_by_a_sync(world):
    case = CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    from guardian.shortcuts import assign_perm

    assign_perm("arrears.view_case", access.partner_group(world.corp_b, "caseworker"), case)
    assert access.user_has_perm(world.bob, "view_case", case)
    case_access.sync_case_access()
    assert not access.user_has_perm(world.bob, "view_case", case)


def test_membership_changes_move_access_with_the_groups(world):
    case = CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    newcomer = MembershipFactory(partner=world.corp_a, role="caseworker").user
    assert access.user_has_perm(newcomer, "view_case", case)
    newcomer.memberships.get().delete()
    assert not access.user_has_perm(newcomer, "view_case", case)
    assert not access.objects_for_user(AnonymousUser(), "view_case", Case.objects.all()).exists()
    assert access.role_in(AnonymousUser(), world.corp_a.pk) is None


def test_superusers_get_no_bypass_in_partners_queues(world):
    case = CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    root = MembershipFactory(partner=world.corp_b, role="caseworker").user
    root.is_superuser = True
    root.save()
    assert not access.user_has_perm(root, "view_case", case)
