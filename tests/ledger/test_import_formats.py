"""Every format variant an ERP export comes in, read through the whole import."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from households.models import Household
from ledger.models import ArrearsState, ImportProfile, LedgerLine
from tests.ledger.factories import ImportProfileFactory, run_import

pytestmark = pytest.mark.django_db

HEADER = ["Contractnummer", "Huurder", "Postcode", "Kale huur", "Saldo", "Oudste vervaldatum"]


def snapshot(sep=";", rent="650,00", balance="€ 1.234,56", due="01-09-2026", name="Jansen-Öztürk", postcode="3331ac"):
    rows = [HEADER, ["HC7", name, postcode, rent, balance, due]]
    return "".join(sep.join(row) + "\r\n" for row in rows)


def state():
    return ArrearsState.objects.get(tenancy__contract_number="HC7")


@pytest.mark.parametrize(("sep", "label"), [(";", "semicolon"), (",", "comma"), ("\t", "tab")])
def test_delimiters_are_recognised(corp, sep, label):
    text = snapshot(sep=sep, rent="650", balance="1234.56" if sep == "," else "1234,56")
    imp = run_import(corp, text)
    assert imp.status == "succeeded", imp.message
    assert imp.summary["file"]["delimiter"] == label
    assert state().balance == Decimal("1234.56")


@pytest.mark.parametrize(
    ("balance", "expected"),
    [("€ 1.234,56", "1234.56"), ("-12,50", "-12.50"), ("12,50-", "-12.50"), ("1234,5", "1234.50")],
)
def test_decimal_comma_thousands_dots_euro_sign_and_both_minus_styles(corp, balance, expected):
    imp = run_import(corp, snapshot(balance=balance))
    assert imp.status == "succeeded", imp.message
    assert state().balance == Decimal(expected)


@pytest.mark.parametrize("due", ["01-09-2026", "01/09/2026", "2026-09-01"])
def test_three_date_formats(corp, due):
    run_import(corp, snapshot(due=due))
    assert state().oldest_unpaid_due_date == dt.date(2026, 9, 1)
    assert state().days_overdue == 60  # as of 31-10-2026, from the file name


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "windows-1252"),
        ("utf-16", b"", "utf-16"),
    ],
)
def test_encodings(corp, encoding, prefix, detected):
    imp = run_import(corp, prefix + snapshot().encode(encoding))
    assert imp.status == "succeeded", imp.message
    assert imp.summary["file"]["encoding"] == detected
    assert Household.objects.get().name == "Jansen-Öztürk"  # no mojibake, no BOM in the first header
    assert Household.objects.get().postcode == "3331 AC"  # normalised


def test_latin1_with_a_profile_encoding(corp):
    profile = ImportProfileFactory(partner=corp, name="latin", encoding="latin-1")
    imp = run_import(corp, snapshot(name="Müller", balance="EUR 1.234,56").encode("latin-1"), profile=profile)
    assert imp.status == "succeeded"
    assert Household.objects.get().name == "Müller"


def test_wrong_profile_encoding_names_line_and_byte(corp):
    profile = ImportProfileFactory(partner=corp, name="utf8", encoding="utf-8")
    imp = run_import(corp, snapshot(name="Müller").encode("cp1252"), profile=profile)
    assert imp.status == "rejected"
    assert "utf-8" in imp.message and "line 2" in imp.message.lower().replace("regel", "line")


def xlsx(rows, sheet="Achterstanden", extra_sheet=None):
    book = openpyxl.Workbook()
    if extra_sheet:
        book.active.title = extra_sheet
        ws = book.create_sheet(sheet)
    else:
        ws = book.active
        ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_typed_cells_and_a_title_row(corp):
    data = xlsx(
        [
            ["Achterstandenlijst DrechtWonen"],
            [],
            HEADER,
            [123456, "P. Bakker", "3311AB", 650, 1234.56, dt.datetime(2026, 9, 1)],
            ["HC8", "Q. Visser", "3312 AB", "700,00", "bad", "01-09-2026"],
        ]
    )
    imp = run_import(corp, data, name="achterstand-2026-10-31.xlsx")
    assert imp.status == "succeeded", imp.message
    st = ArrearsState.objects.get(tenancy__contract_number="123456")
    assert st.balance == Decimal("1234.56")
    assert st.oldest_unpaid_due_date == dt.date(2026, 9, 1)
    assert imp.summary["file"] == {"format": "xlsx", "sheet": "Achterstanden"}
    # the row number in the sheet: title, blank, header, first row, then the bad one
    assert [(e["line"], e["column"], e["value"]) for e in imp.errors] == [(5, "Saldo", "bad")]


def test_xlsx_sheet_named_in_the_profile(corp):
    profile = ImportProfileFactory(partner=corp, name="xl", sheet_name="achterstanden")
    data = xlsx([HEADER, ["HC7", "P. Bakker", "3311AB", 650, 99.5, "01-09-2026"]], extra_sheet="Toelichting")
    imp = run_import(corp, data, name="x-2026-10-31.xlsx", profile=profile)
    assert imp.status == "succeeded", imp.message
    assert state().balance == Decimal("99.50")
    profile.sheet_name = "Blad9"
    profile.save()
    imp = run_import(corp, data + b"", name="y.xlsx", profile=profile)  # same bytes: the earlier import
    assert imp.status == "succeeded"
    other = xlsx([HEADER, ["HC7", "P. Bakker", "3311AB", 650, 1, "01-09-2026"]], extra_sheet="Toelichting")
    imp = run_import(corp, other, name="z.xlsx", profile=profile)
    assert imp.status == "rejected"
    assert "Blad9" in imp.message and "Toelichting" in imp.message and "Achterstanden" in imp.message


def test_debit_credit_columns_and_english_headers(corp, tenancy):
    text = (
        "Contract number;Booking date;Due date;Debit;Credit;Description\n"
        "HC1;01-09-2026;01-09-2026;700,00;;Rent\n"
        "HC1;03-09-2026;;;300,00;Payment\n"
        "HC1;01-10-2026;01-10-2026;700,00;;Rent\n"
    )
    imp = run_import(corp, text)
    assert imp.status == "succeeded", imp.message
    assert imp.summary["shape"] == "transactions"
    assert sorted(LedgerLine.objects.values_list("amount", flat=True)) == [Decimal("-300"), 700, 700]
    st = ArrearsState.objects.get()
    assert st.balance == Decimal("1100.00")
    assert st.oldest_unpaid_due_date == dt.date(2026, 9, 1)  # € 300 paid off part of September only


def test_profile_column_mapping_and_formats(corp):
    profile = ImportProfileFactory(
        partner=corp,
        name="erp",
        shape=ImportProfile.Shape.SNAPSHOT,
        column_mapping={"contract_number": "Huurcontract id", "balance": "Stand", "monthly_rent": "Prijs"},
        delimiter="|",
        decimal_separator=".",
        date_format="%m/%d/%Y",
    )
    text = "Huurcontract id|Naam|Prijs|Stand|Oudste vervaldatum\nHC7|A. Smit|650.00|1,234.50|09/01/2026\n"
    imp = run_import(corp, text, profile=profile)
    assert imp.status == "succeeded", imp.message
    assert state().balance == Decimal("1234.50")
    assert state().oldest_unpaid_due_date == dt.date(2026, 9, 1)


def test_quoted_fields_with_delimiters_and_newlines_in_descriptions(corp, tenancy):
    text = (
        "Contractnummer;Boekdatum;Bedrag;Omschrijving\n"
        'HC1;01-09-2026;700,00;"Huur; sept\\n"\n'
        'HC1;02-09-2026;-700,00;"a\tb"\n'
    )
    imp = run_import(corp, text)
    assert imp.status == "succeeded", imp.message
    assert set(LedgerLine.objects.values_list("description", flat=True)) == {"Huur; sept\\n", "a b"}
    assert ArrearsState.objects.get().balance == 0
