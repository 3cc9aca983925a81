import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from arrears.eviction import crisis_q
from arrears.models import Case, CaseEvent, EvictionStep, Signal
from demo.households import demo_household
from demo.ledger import DemoTenancy, export_dates, write_exports
from households.models import Household, Tenancy
from ledger.models import LedgerImport, LedgerLine
from partners.models import Agreement, Membership, Partner
from reporting.models import WeeklyFigures

pytestmark = pytest.mark.django_db


def counts():
    return (
        Partner.objects.count(),
        Membership.objects.count(),
        Household.objects.count(),
        Tenancy.objects.count(),
        LedgerImport.objects.count(),
        LedgerLine.objects.count(),
        Signal.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        WeeklyFigures.objects.count(),
        EvictionStep.objects.count(),
    )


def test_seed_demo_refuses_outside_the_local_demo(settings):
    settings.TIJDIG_DEMO = False
    with pytest.raises(CommandError, match="outside the local demo"):
        call_command("seed_demo", households=5)
    assert Partner.objects.count() == 0


def test_seed_demo_builds_the_drechtsteden_and_is_idempotent():
    call_command("seed_demo", households=60, force=True, verbosity=0)
    first = counts()
    call_command("seed_demo", households=60, force=True, verbosity=0)
    assert counts() == first
    assert first[2] == first[3] == 60
    # The history went through the real import: every export succeeded, arrears were flagged and worked.
    assert not LedgerImport.objects.exclude(status=LedgerImport.Status.SUCCEEDED).exists()
    assert Signal.objects.exists()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.CONTACT).exists()
    assert WeeklyFigures.objects.filter(partner__slug="sdd").exists()  # the dashboards' past weeks are stored
    slugs = set(Partner.objects.values_list("slug", flat=True))
    assert slugs == {"drechtwonen", "rivierhuis", "merwede-wonen", "sdd"}
    sdd = Partner.objects.get(slug="sdd")
    assert sdd.municipalities.count() == 7
    for slug in slugs:
        for suffix in ("caseworker", "manager", "admin"):
            user = authenticate(username=f"{slug}-{suffix}", password="demo")
            assert user is not None, f"{slug}-{suffix}"
            assert user.memberships.get().partner.slug == slug
    # One pair deliberately has no agreement: its cases stay with the corporation.
    assert not Agreement.objects.filter(corporation__slug="merwede-wonen", municipality_id="0523").exists()
    assert Agreement.objects.filter(
        corporation__slug="drechtwonen", municipality_id="0505", social_service=sdd
    ).exists()


def test_seed_demo_has_crisis_cases_at_every_step_of_an_eviction():
    call_command("seed_demo", households=300, force=True, verbosity=0)
    # Crisis cases at every step of an eviction (issue 15), recorded through the real service.
    assert set(EvictionStep.objects.values_list("kind", flat=True)) == set(EvictionStep.Kind.values)
    assert Case.objects.filter(crisis_q()).exists()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.EVICTION).count() == EvictionStep.objects.count()
    steps = EvictionStep.objects.count()
    call_command("seed_demo", households=300, force=True, verbosity=0)
    assert EvictionStep.objects.count() == steps


def test_seed_demo_grows_without_changing_existing_households():
    call_command("seed_demo", households=20, force=True, verbosity=0)
    before = {t.contract_number: t.household.name for t in Tenancy.objects.select_related("household")}
    call_command("seed_demo", households=30, force=True, verbosity=0)
    after = {t.contract_number: t.household.name for t in Tenancy.objects.select_related("household")}
    assert len(after) == 30
    assert all(after[number] == name for number, name in before.items())


def test_demo_households_are_deterministic_and_valid():
    assert demo_household(7) == demo_household(7)
    slug, household, tenancy = demo_household(7)
    assert slug in {"drechtwonen", "rivierhuis", "merwede-wonen"}
    assert tenancy["contract_number"].endswith("0100008")
    assert household["neighbourhood_id"].startswith("BU" + household["municipality_id"])


def test_demo_exports_cover_twelve_months_and_balance(tmp_path: Path):
    as_of = dt.date(2026, 11, 25)
    dates = export_dates(as_of)
    assert dates[-1] == dt.date(2026, 11, 23)  # the last Monday
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert (dates[-1] - dates[-13]).days == 7 * 12  # weekly for the last thirteen weeks
    tenancies = [DemoTenancy(f"DW-{n:07d}", 700) for n in range(200)]
    files = write_exports(tenancies, directory=tmp_path, prefix="dw", as_of=as_of)
    lines = [line for _day, path in files for line in path.read_text().splitlines()[1:]]
    charges = [line for line in lines if line.split(";")[3][0] != "-"]
    assert len(charges) == 200 * 12  # one rent charge per tenancy per month, December 2025 … November 2026
    # Every line lands in the first export dated on or after its booking date.
    for day, path in files:
        for line in path.read_text().splitlines()[1:]:
            booked = dt.datetime.strptime(line.split(";")[1], "%d-%m-%Y").date()
            assert booked <= day


def test_seed_demo_works_cases_of_the_first_households_only_when_asked():
    call_command("seed_demo", households=120, casework_households=60, force=True, verbosity=0)
    sixtieth = Household.objects.order_by("pk").values_list("pk", flat=True)[59]
    worked = CaseEvent.objects.filter(kind=CaseEvent.Kind.CONTACT).values_list("case__household_id", flat=True)
    assert set(worked) and all(household_id <= sixtieth for household_id in worked)
    # The others were still flagged (and routed) by the real import.
    assert Case.objects.filter(household_id__gt=sixtieth).exists()
