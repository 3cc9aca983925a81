import io

import pytest
from django.core.management import call_command

from arrears.models import CaseGroupObjectPermission
from arrears.selectors import case_list
from households.models import HouseholdGroupObjectPermission

pytestmark = pytest.mark.django_db


def test_sync_permissions_rebuilds_lost_grants_and_is_idempotent(world, flagged):
    flagged(world.corp_a)
    flagged(world.corp_a, queue_partner=world.sd)
    wanted = CaseGroupObjectPermission.objects.count(), HouseholdGroupObjectPermission.objects.count()
    CaseGroupObjectPermission.objects.all().delete()
    HouseholdGroupObjectPermission.objects.all().delete()
    assert case_list(user=world.alice).count() == 0
    out = io.StringIO()
    call_command("sync_permissions", stdout=out)
    assert f"added: {sum(wanted)}, removed: 0" in out.getvalue()
    assert (CaseGroupObjectPermission.objects.count(), HouseholdGroupObjectPermission.objects.count()) == wanted
    assert case_list(user=world.alice).count() == 2 and case_list(user=world.charlie).count() == 1
    out = io.StringIO()
    call_command("sync_permissions", stdout=out)
    assert "added: 0, removed: 0" in out.getvalue()


def test_sync_permissions_revokes_what_an_accepted_referral_left_behind(world, flagged):
    """An install from before docs/adr/0025 still holds the rows an accepted referral granted; the
    social service handed the case back since. ``sync_permissions`` removes them."""
    from django.contrib.auth.models import Group

    from tests.arrears.factories import ReferralFactory

    case = flagged(world.corp_a)
    ReferralFactory(case=case, from_partner=world.corp_a, to_partner=world.sd, status="accepted")
    view = CaseGroupObjectPermission.objects.filter(content_object=case).first()
    before = CaseGroupObjectPermission.objects.count() + HouseholdGroupObjectPermission.objects.count()
    for group in Group.objects.filter(name__startswith="sd:").exclude(name="sd:admin"):  # what main granted
        CaseGroupObjectPermission.objects.get_or_create(content_object=case, group=group, permission=view.permission)
        HouseholdGroupObjectPermission.objects.get_or_create(
            content_object=case.household,
            group=group,
            permission=HouseholdGroupObjectPermission.objects.filter(content_object=case.household).first().permission,
        )
    stale = CaseGroupObjectPermission.objects.count() + HouseholdGroupObjectPermission.objects.count() - before
    assert stale and case_list(user=world.charlie).count() == 1
    out = io.StringIO()
    call_command("sync_permissions", stdout=out)
    assert f"added: 0, removed: {stale}" in out.getvalue()
    assert case_list(user=world.charlie).count() == 0
