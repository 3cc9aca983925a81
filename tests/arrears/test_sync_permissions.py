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
