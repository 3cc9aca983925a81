"""factory_boy factories for the ledger app: import profiles, ledger imports and lines, and the arrears
state and snapshots an import writes per tenancy; ``run_import`` makes an import the real way."""

import datetime as dt
from decimal import Decimal

import factory

from ledger.models import ArrearsSnapshot, ArrearsState, ImportProfile, LedgerImport, LedgerLine
from ledger.services import import_run, import_submit
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


def run_import(partner, content, name="export-2026-10-31.csv", *, profile=None, encoding="utf-8", as_of=None):
    """Run ``content`` (text or bytes) through ``import_submit`` and ``import_run``, as the command does,
    and return the import."""
    data = content.encode(encoding) if isinstance(content, str) else content
    imp = import_submit(
        partner=partner,
        file=data,
        file_name=name,
        source=LedgerImport.Source.COMMAND,
        profile=profile,
        as_of=as_of,
        enqueue=False,
    )
    return import_run(import_id=imp.pk) or imp
