"""API fixtures: token clients for every role of every partner in the alice/bob/charlie world."""

import pytest
from rest_framework.test import APIClient

from partners.services import api_token_create
from tests.partners.factories import MembershipFactory, UserFactory


class Api(APIClient):
    """An API client authenticated with a fresh token for ``user`` (optionally scoped to ``partner``)."""

    def __init__(self, user=None, partner=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        if user is not None:
            self.token, self.raw = api_token_create(user=user, partner=partner)
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {self.raw}")


@pytest.fixture
def api():
    return Api


@pytest.fixture
def people(world):
    """A user for every (partner, role): ``people["corp_a", "manager"]``; the caseworkers are alice,
    bob and charlie themselves."""
    found = {
        ("corp_a", "caseworker"): world.alice,
        ("corp_b", "caseworker"): world.bob,
        ("sd", "caseworker"): world.charlie,
    }
    for key in ("corp_a", "corp_b", "sd"):
        for role in ("manager", "admin"):
            user = UserFactory(username=f"{key}-{role}")
            MembershipFactory(user=user, partner=getattr(world, key), role=role)
            found[key, role] = user
    return found
