import pytest
from django.db import IntegrityError, transaction

from households.models import normalise_postcode
from tests.households.factories import HouseholdFactory, TenancyFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3331ac", "3331 AC"),
        (" 3331 AC ", "3331 AC"),
        ("3311aa", "3311 AA"),
        ("0331 AC", None),
        ("33311AC", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.django_db
def test_database_refuses_an_unnormalised_postcode():
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdFactory(postcode="3331ac")


def test_address_line():
    from households.models import Household

    assert Household(street="Voorstraat", house_number=12, house_number_suffix="A").address_line == "Voorstraat 12-A"


@pytest.mark.django_db
def test_contract_number_unique_per_corporation_but_not_across():
    tenancy = TenancyFactory(contract_number="HC1")
    with pytest.raises(IntegrityError), transaction.atomic():
        TenancyFactory(contract_number="HC1", household=HouseholdFactory(corporation=tenancy.corporation))
    assert TenancyFactory(contract_number="HC1").contract_number == "HC1"
