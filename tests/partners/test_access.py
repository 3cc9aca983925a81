"""Partner roles as groups: a membership puts its user in exactly its partner-role group, and partner
admin groups hold their model permissions. (Case access, granted to these groups, is tested in
tests/arrears/test_case_access.py.)"""

import pytest

from partners import access, services
from partners.access import group_name
from tests.partners.factories import PartnerFactory, SocialServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_membership_puts_user_in_exactly_its_partner_role_group():
    corp, sd = PartnerFactory(slug="corp"), SocialServiceFactory(slug="sd")
    user = UserFactory()
    services.membership_set(user=user, partner=corp, role="caseworker")
    assert {g.name for g in user.groups.all()} == {"corp:caseworker"}
    services.membership_set(user=user, partner=corp, role="manager")
    services.membership_set(user=user, partner=sd, role="caseworker")
    assert {g.name for g in user.groups.all()} == {"corp:manager", "sd:caseworker"}
    services.membership_remove(user=user, partner=corp)
    assert {g.name for g in user.groups.all()} == {"sd:caseworker"}
    assert group_name(sd, "admin") == "sd:admin"


def test_partner_admin_groups_get_their_model_permissions(world):
    group = access.partner_group(world.corp_a, "admin")
    assert {p.codename for p in group.permissions.all()} >= {"change_agreement", "add_routingrule", "view_auditevent"}
    group.permissions.clear()
    assert access.sync_admin_model_permissions() == 3
    assert group.permissions.count() == len(access.ADMIN_MODEL_PERMS)
