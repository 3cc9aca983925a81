import pytest

from partners import services
from partners.access import group_name

from ..factories import PartnerFactory, SocialServiceFactory, UserFactory

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
