"""factory_boy factories for the households app: households and their tenancies."""

import datetime as dt
from decimal import Decimal

import factory

from households.models import Household, Tenancy
from tests.partners.factories import MunicipalityFactory, PartnerFactory


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    corporation = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"J. de Vries {n}")
    initials = "J."
    surname_prefix = "de"
    surname = factory.Sequence(lambda n: f"Vries {n}")
    street = "Voorstraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "3311 AA"
    city = "Dordrecht"
    municipality = factory.SubFactory(MunicipalityFactory)


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    household = factory.SubFactory(HouseholdFactory)
    corporation = factory.SelfAttribute("household.corporation")
    contract_number = factory.Sequence(lambda n: f"HC{n:06d}")
    monthly_rent = Decimal("650.00")
    start_date = dt.date(2020, 1, 1)
