"""Case-work fixtures: a flagged case with its signal, as the import leaves it, and messages in English."""

import pytest
from django.utils import translation

from tests.arrears.factories import flagged_case
from tests.partners.factories import MembershipFactory, UserFactory


@pytest.fixture
def flagged(db):
    """``flagged(corporation, amount=…, days=…, months=…, household={…}, **case_fields)``: a case in the
    corporation's queue with one open signal, and the access flagging grants (``flagged_case``)."""
    return flagged_case


@pytest.fixture
def people(world):
    """Managers and partner admins next to the world's caseworkers."""
    made = {}
    for partner in (world.corp_a, world.corp_b, world.sd):
        for role in ("manager", "admin"):
            user = UserFactory(username=f"{partner.slug}-{role}", email=f"{partner.slug}-{role}@example.org")
            MembershipFactory(user=user, partner=partner, role=role)
            made[f"{partner.slug}-{role}"] = user
    return made


@pytest.fixture
def english():
    """Messages in English (the msgids), so assertions read like the code; the UI default is Dutch."""
    with translation.override("en"):
        yield
