"""Issue 20: the import keeps no person for a tenancy without an arrears episode (ADR 0071), and the
ledger before the horizon the retention job brought forward stays closed (ADR 0072)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.models import Signal
from households.models import PERSONAL_FIELDS, Household
from ledger.models import ArrearsState, LedgerLine
from privacy.services.retention import ledger_window_purge
from tests.ledger.factories import run_import

pytestmark = pytest.mark.django_db

HEAD = (
    "Contractnummer;Huurder;Geboortedatum;Telefoon;E-mail;Adres;Postcode;Plaats;Gemeentecode;Kale huur;"
    "Saldo;Oudste vervaldatum\n"
)
PAYS = "HC1;P. Betaler;01-02-1970;0611111111;p@example.nl;Singel 4;3311AB;Dordrecht;0505;700,00;0,00;\n"
OWES = "HC2;A. Achter;02-03-1980;0622222222;a@example.nl;Vest 9;3311AC;Dordrecht;0505;650,00;1300,00;01-09-2026\n"


def personal(contract):
    household = Household.objects.get(tenancies__contract_number=contract)
    return {field: getattr(household, field) for field in PERSONAL_FIELDS}, household


def test_only_a_household_whose_episode_opens_gets_its_personal_fields(corp):
    imp = run_import(corp, HEAD + PAYS + OWES, name="lijst-2026-10-31.csv")
    assert imp.status == "succeeded", imp.message
    paying, household = personal("HC1")
    assert paying == PERSONAL_FIELDS  # a row without a person
    assert household.municipality_id == "0505"  # routing and the dashboards keep their area code
    owing, household = personal("HC2")
    assert Signal.objects.filter(household=household).exists()
    assert owing["name"] == "A. Achter" and owing["date_of_birth"] == dt.date(1980, 3, 2)
    assert (owing["phone"], owing["email"], owing["postcode"], owing["street"]) == (
        "0622222222", "a@example.nl", "3311 AC", "Vest",
    )  # fmt: skip
    assert imp.summary["personal_data_written"] == 1


def test_personal_fields_follow_the_file_while_the_episode_lives_and_arrive_when_one_opens(corp):
    run_import(corp, HEAD + PAYS + OWES, name="lijst-2026-10-31.csv")
    moved = OWES.replace("Vest 9", "Kade 1").replace("0622222222", "0633333333")
    slipping = PAYS.replace(";0,00;", ";1400,00;01-10-2026")
    imp = run_import(corp, HEAD + slipping + moved, name="lijst-2026-11-30.csv")
    assert imp.status == "succeeded", imp.message
    owing, _ = personal("HC2")
    assert (owing["street"], owing["house_number"], owing["phone"]) == ("Kade", 1, "0633333333")
    paying, household = personal("HC1")  # its episode opened tonight: tonight's file gives the person
    assert Signal.objects.filter(household=household, status=Signal.Status.OPEN).exists()
    assert (paying["name"], paying["phone"]) == ("P. Betaler", "0611111111")


def lines(*rows):
    head = "Contractnummer;Boekdatum;Vervaldatum;Bedrag;Omschrijving\n"
    return head + "".join(f"{c};{b};{v};{a};{t}\n" for c, b, v, a, t in rows)


def history(contract, months, *, unpaid=()):
    """A year and more of monthly rent and (except ``unpaid`` months) payments."""
    rows = []
    for year, month in months:
        day = dt.date(year, month, 1)
        rows.append((contract, f"{day:%d-%m-%Y}", f"{day:%d-%m-%Y}", "700,00", "Huur"))
        if (year, month) not in unpaid:
            paid = day + dt.timedelta(days=3)
            rows.append((contract, f"{paid:%d-%m-%Y}", "", "-700,00", "Betaling"))
    return rows


MONTHS = [(2024, m) for m in range(9, 13)] + [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 11)]


def state(contract):
    s = ArrearsState.objects.get(tenancy__contract_number=contract)
    return s.balance, s.oldest_unpaid_due_date, s.days_overdue, s.last_payment_date


def test_the_ledger_window_keeps_each_balance_and_a_resent_old_period_is_not_counted_twice(corp, tenancy):
    # HC1 pays; HC3 missed one payment long ago (payments settle the oldest charges first, so it owes
    # this month's rent); HC4 stopped paying before the window: its oldest unpaid charge lies before it
    # and the episode rules count from there, so its lines must stay.
    rows = history("HC1", MONTHS) + history("HC3", MONTHS, unpaid={(2025, 2)})
    rows += history("HC4", MONTHS, unpaid={m for m in MONTHS if m >= (2025, 6)})
    master = "Contractnummer;Huurder;Kale huur;Saldo\nHC3;B. Drie;700,00;0,00\nHC4;C. Vier;700,00;0,00\n"
    run_import(corp, master, name="stam-2024-08-31.csv")
    text = lines(*rows)
    run_import(corp, text, name="grootboek-2026-10-31.csv")
    before = {c: state(c) for c in ("HC1", "HC3", "HC4")}
    now = dt.datetime(2026, 11, 15, 3, tzinfo=dt.UTC)  # window of 13 months: from 15-10-2025
    counts = ledger_window_purge(now=now)
    assert counts["ledger_tenancies_brought_forward"] == 2
    cutoff = dt.date(2025, 10, 15)
    for contract in ("HC1", "HC3"):
        old = LedgerLine.objects.filter(tenancy__contract_number=contract, booking_date__lt=cutoff)
        assert not old.exists()
        carried = LedgerLine.objects.get(tenancy__contract_number=contract, ledger_import__isnull=True)
        assert carried.booking_date == cutoff
    assert LedgerLine.objects.filter(tenancy__contract_number="HC4", booking_date__lt=cutoff).count() > 20
    # The same full history again, as a new file: every balance, due date and last payment as before.
    imp = run_import(corp, text + "HC1;31-10-2026;31-10-2026;0,00;Nul\n", name="grootboek-2026-10-31b.csv")
    assert imp.status == "succeeded", imp.message
    assert imp.summary["lines_before_window"] > 0
    assert {c: state(c) for c in ("HC1", "HC3", "HC4")} == before
    assert before["HC3"][:2] == (Decimal("700.00"), dt.date(2026, 10, 1))
    assert before["HC4"][1] == dt.date(2025, 6, 1)


@st.composite
def ledgers(draw):
    """Two years of monthly rent with payments of any size, any delay, sometimes none."""
    rows = []
    for n, (year, month) in enumerate(MONTHS[-24:]):
        day = dt.date(year, month, 1)
        rows.append(("HP1", f"{day:%d-%m-%Y}", f"{day:%d-%m-%Y}", "700,00", "Huur"))
        paid = draw(st.sampled_from([0, 0, 350, 700, 700, 700, 1400]))
        delay = draw(st.integers(0, 40))
        when = day + dt.timedelta(days=delay)
        if paid and when <= dt.date(2026, 10, 31):
            rows.append(("HP1", f"{when:%d-%m-%Y}", "", f"-{paid},00", f"Betaling {n}"))
    return rows


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ledgers(), window=st.integers(1, 20))
def test_bringing_the_ledger_forward_never_changes_what_the_episode_rules_see(corp, rows, window):
    """Property: whatever the payments, after the window is brought forward a re-sent export derives the
    same balance, oldest unpaid due date, days overdue and last payment as before."""
    with transaction.atomic():
        run_import(
            corp, "Contractnummer;Huurder;Kale huur;Saldo\nHP1;H. Prop;700,00;0,00\n", name="stam-2024-08-31.csv"
        )
        text = lines(*rows)
        first = run_import(corp, text, name="grootboek-2026-10-31.csv")
        assert first.status == "succeeded", first.message
        before = state("HP1")
        with override_settings(TIJDIG={**django_settings.TIJDIG, "LEDGER_WINDOW_MONTHS": window}):
            ledger_window_purge(now=dt.datetime(2026, 11, 1, 3, tzinfo=dt.UTC))
        again = run_import(corp, text + "HP1;31-10-2026;31-10-2026;0,00;Nul\n", name="grootboek-2026-10-31-b.csv")
        assert again.status == "succeeded", again.message
        assert state("HP1") == before
        transaction.set_rollback(True)
