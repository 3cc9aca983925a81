"""Helpers for the import tests: a corporation, and running a file through submit + run."""

import datetime as dt

import pytest

from ledger.models import LedgerImport
from ledger.services import import_run, import_submit
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import MunicipalityFactory, PartnerFactory


@pytest.fixture
def corp(db):
    MunicipalityFactory(code="0505", name="Dordrecht")
    return PartnerFactory(slug="drechtwonen", name="DrechtWonen")


@pytest.fixture
def tenancy(corp):
    """A known tenancy (master data from an earlier snapshot or the seed): HC1, rent € 700."""
    household = HouseholdFactory(corporation=corp, name="J. de Vries")
    return TenancyFactory(household=household, contract_number="HC1", monthly_rent="700.00")


def run(partner, content, name="export-2026-10-31.csv", *, profile=None, encoding="utf-8", as_of=None):
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


def d(text):
    return dt.date.fromisoformat(text)
