"""factory_boy factories for the ledger app: import profiles, ledger imports and lines, and the arrears
state and snapshots an import writes per tenancy."""

import datetime as dt
from decimal import Decimal

import factory

from ledger.models import ArrearsSnapshot, ArrearsState, ImportProfile, LedgerImport, LedgerLine
from tests.households.factories import TenancyFactory
from tests.partners.factories import PartnerFactory


class ImportProfileFactory(factory.django.DjangoModelFactory):
    """How to read a corporation's export (issue 3); empty fields mean: detect."""

    class Meta:
        model = ImportProfile

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"profiel-{n}")


class LedgerImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerImport

    partner = factory.SubFactory(PartnerFactory)
    source = LedgerImport.Source.UPLOAD
    file_name = factory.Sequence(lambda n: f"export-{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")


class LedgerLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerLine

    tenancy = factory.SubFactory(TenancyFactory)
    ledger_import = factory.SubFactory(LedgerImportFactory, partner=factory.SelfAttribute("..tenancy.corporation"))
    booking_date = dt.date(2026, 9, 1)
    amount = Decimal("650.00")
    description = "Huur september"


class ArrearsStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrearsState

    tenancy = factory.SubFactory(TenancyFactory)
    as_of = dt.date(2026, 11, 2)
    balance = Decimal("700.00")
    months_of_rent = Decimal("1.08")
    days_overdue = 34


class ArrearsSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrearsSnapshot

    tenancy = factory.SubFactory(TenancyFactory)
    as_of = dt.date(2026, 10, 5)
    balance = Decimal("700.00")
