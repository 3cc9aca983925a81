"""Helpers for the case-work tests: a flagged case with its signal, as the import leaves it."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests.arrears.factories import CaseFactory, SignalFactory
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import MembershipFactory, UserFactory


@pytest.fixture
def flagged(db):
    """``flagged(corporation, amount=…, days=…, months=…, **case_fields)``: a case in the corporation's
    queue with one open signal, and the access flagging grants."""

    def make(corporation, *, amount="700.00", days=34, months="1.08", municipality=None, household=None, **fields):
        household = household or HouseholdFactory(
            corporation=corporation, **({"municipality": municipality} if municipality is not None else {})
        )
        case = CaseFactory(household=household, **fields)
        SignalFactory(
            tenancy=TenancyFactory(household=household),
            case=case,
            amount=Decimal(amount),
            amount_at_open=Decimal(amount),
            peak_amount=Decimal(amount),
            days_overdue=days,
            months_of_rent=Decimal(months),
        )
        return case

    return make


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
