"""Ledger fixtures: corporation A's partner admin, who uploads and reads its imports."""

import pytest

from tests.partners.factories import MembershipFactory, UserFactory


@pytest.fixture
def admin_a(world):
    return MembershipFactory(user=UserFactory(username="admin-a"), partner=world.corp_a, role="admin").user
