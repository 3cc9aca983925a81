"""The import services end to end: derivations (on SQLite and PostgreSQL alike), master data,
idempotency, overlapping exports, complete exports, the export date, crash and retry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arrears import routing
from arrears.models import Case, Signal
from households.models import Household, Tenancy
from ledger.models import ArrearsSnapshot, ArrearsState, ImportProfile, LedgerImport, LedgerLine
from ledger.services import import_run, import_submit
from partners.errors import DomainError
from tests.ledger.factories import run_import
from tests.partners.factories import SocialServiceFactory

pytestmark = pytest.mark.django_db

LEDGER = "Contractnummer;Boekdatum;Vervaldatum;Bedrag;Omschrijving\n"


def d(text):
    return dt.date.fromisoformat(text)


def ledger(*lines):
    return LEDGER + "".join(f"{c};{b};{v};{a};{t}\n" for c, b, v, a, t in lines)


def state(contract="HC1"):
    return ArrearsState.objects.get(tenancy__contract_number=contract)


def test_payments_settle_the_oldest_charges_first(corp, tenancy):
    text = ledger(
        ("HC1", "25-06-2026", "01-07-2026", "700,00", "Huur juli"),
        ("HC1", "25-07-2026", "01-08-2026", "700,00", "Huur augustus"),
        ("HC1", "25-08-2026", "01-09-2026", "700,00", "Huur september"),
        ("HC1", "25-09-2026", "01-10-2026", "700,00", "Huur oktober"),
        ("HC1", "03-07-2026", "", "-700,00", "Betaling"),
        ("HC1", "20-08-2026", "", "-400,00", "Betaling"),
        ("HC1", "12-10-2026", "", "-150,00", "Betaling"),
        ("HC1", "15-10-2026", "15-10-2026", "25,00", "Aanmaningskosten"),
    )
    imp = run_import(corp, text, name="grootboek-2026-10-31.csv")
    assert imp.status == "succeeded", imp.message
    st = state()
    # charged 2825, paid 1250: July paid, August paid 400 + 150 of the 550 still open → August is oldest
    assert st.balance == Decimal("1575.00")
    assert st.oldest_unpaid_due_date == dt.date(2026, 8, 1)
    assert st.days_overdue == 91
    assert st.months_of_rent == Decimal("2.25")
    assert st.last_payment_date == dt.date(2026, 10, 12)
    assert st.previous_balance is None
    assert LedgerLine.objects.get(description="Betaling", amount=-400).due_date == dt.date(2026, 8, 20)
    assert Signal.objects.get().origin_date == dt.date(2026, 8, 1)


def test_exports_that_repeat_earlier_lines_are_not_counted_twice(corp, tenancy):
    august = ledger(
        ("HC1", "01-07-2026", "01-07-2026", "700,00", "Huur juli"),
        ("HC1", "01-08-2026", "01-08-2026", "700,00", "Huur augustus"),
        ("HC1", "05-08-2026", "", "-700,00", "Betaling"),
    )
    run_import(corp, august, name="grootboek-2026-08-31.csv")
    assert state().balance == Decimal("700")
    # September's export repeats August (with the payment corrected) and adds September
    september = ledger(
        ("HC1", "01-08-2026", "01-08-2026", "700,00", "Huur augustus"),
        ("HC1", "05-08-2026", "", "-1.400,00", "Betaling"),
        ("HC1", "01-09-2026", "01-09-2026", "700,00", "Huur september"),
    )
    imp = run_import(corp, september, name="grootboek-2026-09-30.csv")
    assert imp.summary["period"] == ["2026-08-01", "2026-09-01"]
    assert imp.summary["lines_replaced"] == 2
    assert LedgerLine.objects.count() == 4  # July kept, August replaced, September added
    st = state()
    assert st.balance == Decimal("700")  # 3 × 700 − 1400
    assert st.oldest_unpaid_due_date == dt.date(2026, 9, 1)
    assert st.previous_balance == Decimal("700") and st.trend == 0
    assert list(ArrearsSnapshot.objects.order_by("as_of").values_list("as_of", "balance")) == [
        (dt.date(2026, 8, 31), Decimal("700")),
        (dt.date(2026, 9, 30), Decimal("700")),
    ]


def test_the_same_file_twice_changes_nothing(corp, tenancy):
    text = ledger(("HC1", "01-09-2026", "01-09-2026", "800,00", "Huur"))
    first = run_import(corp, text)
    counts = [m.objects.count() for m in (LedgerLine, ArrearsState, ArrearsSnapshot, Signal, Case)]
    again = run_import(corp, text, name="another-name.csv")
    assert again.pk == first.pk and again.status == "succeeded"
    assert LedgerImport.objects.count() == 1
    assert [m.objects.count() for m in (LedgerLine, ArrearsState, ArrearsSnapshot, Signal, Case)] == counts
    assert import_run(import_id=first.pk).summary == first.summary


def test_master_data_repeated_on_each_line_creates_and_updates_tenancies(corp):
    head = "Contractnummer;Boekdatum;Bedrag;Huurder;Adres;Postcode;Plaats;Gemeentecode;Maandhuur\n"
    text = (
        head
        + "HC9;01-09-2026;650,00;J. van Dijk;Singel 4 b;3311ab;Dordrecht;0505;650,00\n"
        + "HC9;01-10-2026;675,00;J. van Dijk;Singel 4 b;3311ab;Dordrecht;0505;675,00\n"  # the last line wins
        + "HC8;01-10-2026;500,00;K. Bos;Vest 1;3311AC;Dordrecht;9999;500,00\n"  # unknown municipality
    )
    imp = run_import(corp, text)
    assert imp.status == "succeeded", imp.message
    assert imp.summary["new_tenancies"] == 2
    tenancy = Tenancy.objects.get(contract_number="HC9")
    household = tenancy.household
    assert tenancy.monthly_rent == Decimal("675.00") and tenancy.corporation == corp
    assert (household.initials, household.surname_prefix, household.surname) == ("J.", "van", "Dijk")
    assert (household.street, household.house_number, household.house_number_suffix) == ("Singel", 4, "b")
    assert (household.postcode, household.municipality_id, household.corporation) == ("3311 AB", "0505", corp)
    assert Household.objects.get(tenancies__contract_number="HC8").municipality is None
    assert [(e["line"], e["code"], e["rejected"]) for e in imp.errors] == [(4, "unknown_municipality", False)]
    # a later file updates what it gives and keeps what it leaves empty
    later = head + "HC9;01-11-2026;700,00;;Singel 6;;;;700,00\n"
    imp = run_import(corp, later, name="x-2026-11-30.csv")
    assert imp.summary["updated_households"] == 1 and imp.summary["new_tenancies"] == 0
    household.refresh_from_db()
    assert (household.name, household.street, household.house_number, household.postcode) == (
        "J. van Dijk", "Singel", 6, "3311 AB",
    )  # fmt: skip
    assert Tenancy.objects.get(contract_number="HC9").monthly_rent == Decimal("700.00")


def test_master_data_from_an_earlier_snapshot(corp):
    run_import(corp, "Contractnummer;Huurder;Kale huur;Saldo\nHC5;L. Smit;600,00;0,00\n", name="s-2026-08-31.csv")
    imp = run_import(corp, ledger(("HC5", "01-09-2026", "01-09-2026", "600,00", "Huur")), name="t-2026-10-31.csv")
    assert imp.status == "succeeded" and imp.summary["new_tenancies"] == 0
    assert state("HC5").months_of_rent == Decimal("1.00")
    assert state("HC5").previous_balance == 0


def test_a_snapshot_does_not_take_a_missing_tenancy_as_paid_unless_the_export_is_complete(corp, tenancy):
    head = "Contractnummer;Saldo;Oudste vervaldatum;Peildatum\n"
    run_import(corp, head + "HC1;800,00;01-09-2026;31-10-2026\n")
    other = Tenancy.objects.create(corporation=corp, household=tenancy.household, contract_number="HC2", monthly_rent=1)
    run_import(corp, head + "HC2;0,00;;30-11-2026\n")
    assert state().balance == Decimal("800") and state().as_of == dt.date(2026, 10, 31)
    assert Signal.objects.get().status == "open"
    profile = ImportProfile.objects.create(partner=corp, name="volledig", is_complete_export=True)
    imp = run_import(corp, head + "HC2;0,00;;31-12-2026\n", profile=profile)
    assert imp.summary["cleared_missing"] == 1
    assert (state().balance, state().as_of) == (0, dt.date(2026, 12, 31))
    assert Signal.objects.get().status == "closed"
    # a complete export whose row for a tenancy is bad does not clear it either
    run_import(corp, head + "HC1;900,00;01-12-2026;15-01-2027\n")
    imp = run_import(corp, head + "HC1;veel;01-12-2026;31-01-2027\nHC2;0,00;;31-01-2027\n", profile=profile)
    assert imp.summary.get("cleared_missing") == 0
    assert state().balance == Decimal("900")
    assert other.arrears.balance == 0


def test_a_complete_transaction_export_replaces_the_whole_period(corp, tenancy):
    other = Tenancy.objects.create(corporation=corp, household=tenancy.household, contract_number="HC2", monthly_rent=1)
    run_import(corp, ledger(("HC1", "01-09-2026", "", "100,00", "x"), ("HC2", "02-09-2026", "", "100,00", "x")))
    profile = ImportProfile.objects.create(partner=corp, name="volledig", is_complete_export=True)
    run_import(
        corp, ledger(("HC1", "01-09-2026", "", "100,00", "x"), ("HC1", "30-09-2026", "", "5,00", "y")), profile=profile
    )
    assert not LedgerLine.objects.filter(tenancy=other).exists()  # HC2's September line was withdrawn
    assert other.arrears.balance == 0 and state().balance == Decimal("105")


@pytest.mark.parametrize(
    ("name", "column", "given", "expected", "source"),
    [
        ("export.csv", "", None, None, "import_date"),
        ("export-20261015.csv", "", None, "2026-10-15", "file_name"),
        ("export 15-10-2026.csv", "", None, "2026-10-15", "file_name"),
        ("huurachterstand-2026-09.csv", "", None, "2026-09-30", "file_name"),
        ("export-2026-10-15.csv", "20-10-2026", None, "2026-10-20", "column"),
        ("export-2026-10-15.csv", "20-10-2026", "2026-10-25", "2026-10-25", "given"),
    ],
)
def test_the_export_date(corp, tenancy, name, column, given, expected, source):
    text = f"Contractnummer;Saldo;Exportdatum\nHC1;10,00;{column}\n"
    imp = run_import(corp, text, name=name, as_of=d(given) if given else None)
    assert imp.as_of_source == source and imp.summary["as_of_source"] == source
    assert imp.as_of == (d(expected) if expected else dt.date.today())


def test_an_older_export_adds_history_but_does_not_move_the_state_back(corp, tenancy):
    head = "Contractnummer;Saldo;Peildatum\n"
    run_import(corp, head + "HC1;300,00;31-10-2026\n")
    run_import(corp, head + "HC1;200,00;30-09-2026\n")
    assert (state().balance, state().as_of) == (Decimal("300"), dt.date(2026, 10, 31))
    assert ArrearsSnapshot.objects.count() == 2


def test_a_crash_mid_import_leaves_the_previous_state_and_the_retry_completes(corp, tenancy, monkeypatch):
    run_import(corp, ledger(("HC1", "01-08-2026", "", "800,00", "x")), name="a-2026-08-31.csv")
    before = (LedgerLine.objects.count(), state().balance, Signal.objects.count(), Case.objects.count())

    def crash(**kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(routing, "route_flagged_cases", crash)
    text = ledger(("HC1", "01-09-2026", "", "800,00", "x"), ("HC1", "01-10-2026", "", "800,00", "x"))
    imp = import_submit(partner=corp, file=text.encode(), file_name="b-2026-10-31.csv", source="api", enqueue=False)
    with pytest.raises(RuntimeError):
        import_run(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.status == LedgerImport.Status.FAILED and imp.attempts == 1
    assert (LedgerLine.objects.count(), state().balance, Signal.objects.count(), Case.objects.count()) == before
    monkeypatch.undo()
    imp = import_run(import_id=imp.pk)
    assert imp.status == "succeeded" and imp.attempts == 2
    assert state().balance == Decimal("2400") and Signal.objects.count() == 1


def test_an_import_left_running_by_a_killed_worker_is_completed_by_the_retry(corp, tenancy):
    imp = import_submit(
        partner=corp, file=b"Contractnummer;Saldo\nHC1;5\n", file_name="x.csv", source="api", enqueue=False
    )
    LedgerImport.objects.filter(pk=imp.pk).update(status=LedgerImport.Status.RUNNING, attempts=1)
    assert import_run(import_id=imp.pk).status == "succeeded"
    assert import_run(import_id=999999) is None


def test_submit_checks_partner_and_profile_and_takes_uploads(corp, django_capture_on_commit_callbacks):
    with pytest.raises(DomainError):
        import_submit(partner=SocialServiceFactory(), file=b"x", file_name="x.csv", source="upload")
    other = ImportProfile.objects.create(partner=SocialServiceFactory(slug="sd2"), name="p")
    with pytest.raises(DomainError):
        import_submit(partner=corp, file=b"x", file_name="x.csv", source="upload", profile=other)
    default = ImportProfile.objects.create(partner=corp, name="standaard", is_default=True)
    upload = SimpleUploadedFile(
        "../../etc/achterstand 2026-10-31.csv", b"Contractnummer;Huurder;Kale huur;Saldo\nHC1;A;1;2\n"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        imp = import_submit(partner=corp, file=upload, file_name=upload.name, source="upload")
    assert len(callbacks) == 1  # the task, run eagerly here
    imp.refresh_from_db()
    assert imp.profile == default and imp.status == "succeeded"
    assert ".." not in imp.file.name and imp.file.name.endswith(".csv")


def test_a_repeated_export_replaces_its_tenancies_lines_in_the_period(corp, tenancy):
    other = Tenancy.objects.create(corporation=corp, household=tenancy.household, contract_number="HC2", monthly_rent=1)
    lines = [
        ("HC1", "01-09-2026", "01-09-2026", "700,00", "Huur"),
        ("HC1", "03-09-2026", "", "-700,00", "Betaling"),
        ("HC2", "01-09-2026", "", "50,00", "Huur"),
        ("HC2", "01-09-2026", "", "50,00", "Huur"),  # two identical lines are two lines
    ]
    run_import(corp, ledger(*lines), name="g-2026-09-30.csv")
    assert other.arrears.balance == Decimal("100")
    lines[3] = ("HC2", "02-09-2026", "", "-50,00", "Betaling")
    imp = run_import(corp, ledger(*lines), name="g-2026-10-01.csv")
    assert (imp.summary["lines_replaced"], imp.summary["lines"]) == (4, 4)
    assert LedgerLine.objects.count() == 4 and set(LedgerLine.objects.values_list("ledger_import", flat=True)) == {
        imp.pk
    }
    other.arrears.refresh_from_db()
    assert state().balance == 0 and other.arrears.balance == 0
    assert state().as_of == dt.date(2026, 10, 1)
