"""Every error class: file-level rejections name the column, line or setting; row problems carry
line, column, value and reason, and the good rows are applied."""

from decimal import Decimal

import pytest

from arrears.models import Signal
from households.models import Household, Tenancy
from ledger.importing.errors import ImportRejected
from ledger.models import ArrearsState, ImportProfile, LedgerImport, LedgerLine
from tests.ledger.factories import run_import

pytestmark = pytest.mark.django_db


def problems(imp):
    return [(e["line"], e["column"], e["value"], e["code"]) for e in imp.errors]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Contractnummer;Huurder\nHC1;A\n", ["Saldo", "Boekdatum", "Columns found: Contractnummer, Huurder"]),
        ("Contractnummer;Boekdatum;Omschrijving\nHC1;01-09-2026;x\n", ["Saldo", "Bedrag"]),
        ("Naam;Saldo\nA;12\n", ["No header row", "Contractnummer"]),
        ("Contractnummer;Saldo\n", ["no data rows", "line 1"]),
        ("Contractnummer;Saldo\nHC1;12\nHC2;13;14\n", ["Line 3 has 3 fields", "header (line 1) has 2"]),
        ("\n\n", ["No header row"]),
    ],
)
def test_structural_problems_reject_the_file_with_a_clear_message(corp, text, words):
    with __import__("django").utils.translation.override("en"):
        imp = run_import(corp, text)
    assert imp.status == LedgerImport.Status.REJECTED
    for word in words:
        assert word in imp.message, imp.message
    assert not ArrearsState.objects.exists()


def test_an_empty_file_is_refused_before_it_is_stored(corp):
    with __import__("django").utils.translation.override("en"), pytest.raises(ImportRejected, match="is empty"):
        run_import(corp, "")
    assert not LedgerImport.objects.exists()


def test_missing_required_column_for_the_profiles_shape(corp):
    profile = ImportProfile.objects.create(partner=corp, name="tx", shape=ImportProfile.Shape.TRANSACTIONS)
    with __import__("django").utils.translation.override("en"):
        imp = run_import(corp, "Contractnummer;Saldo\nHC1;12\n", profile=profile)
    assert imp.status == "rejected"
    assert "Boekdatum" in imp.message and "Bedrag" in imp.message


def test_profile_mapping_names_a_column_the_file_lacks(corp):
    profile = ImportProfile.objects.create(partner=corp, name="m", column_mapping={"balance": "Stand"})
    with __import__("django").utils.translation.override("en"):
        imp = run_import(corp, "Contractnummer;Saldo\nHC1;12\n", profile=profile)
    assert imp.status == "rejected"
    assert "“Stand”" in imp.message and "balance" in imp.message


def test_old_excel_and_binary_files_are_refused_before_they_are_stored(corp):
    with pytest.raises(ImportRejected, match=r"\.xls"):
        run_import(corp, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="oud.xls")
    with __import__("django").utils.translation.override("en"), pytest.raises(ImportRejected, match="binary data"):
        run_import(corp, b"\x00\x01\x02binary\x00", name="x.csv")
    assert not LedgerImport.objects.exists()


def test_row_problems_are_reported_and_the_good_rows_applied(corp, tenancy):
    text = (
        "Contractnummer;Huurder;Kale huur;Postcode;Saldo;Oudste vervaldatum\n"
        "HC1;J. de Vries;700,00;3311AA;1.400,00;01-09-2026\n"  # line 2: fine
        "HC2;A. Smit;650,00;3311AB;12,3,4;01-09-2026\n"  # 3: bad amount
        "HC3;B. Bos;650,00;3311AC;100,00;31-02-2026\n"  # 4: impossible date
        "HC4;C. Vos;-650,00;3311AD;100,00;01-09-2026\n"  # 5: negative rent
        "HC5;;;3311AE;100,00;01-09-2026\n"  # 6: unknown contract, no tenant data
        ";D. Dekker;650,00;3311AF;100,00;01-09-2026\n"  # 7: no contract number
        "HC6;E. Mulder;650,00;33111;0,00;\n"  # 8: bad postcode: a warning, row applied
        "HC7;F. Peters;650,00;3311AG;;01-09-2026\n"  # 9: balance missing
        "\n"  # 10: blank line, ignored
        "HC8;G. Smit;650,00;3311AH;5,00;\n"  # 11: fine
        "HC8;G. Smit;650,00;3311AH;6,00;\n"  # 12: the same contract twice
    )
    imp = run_import(corp, text)
    assert imp.status == "succeeded", imp.message
    assert problems(imp) == [
        (3, "Saldo", "12,3,4", "bad_amount"),
        (4, "Oudste vervaldatum", "31-02-2026", "bad_date"),
        (5, "Kale huur", "-650,00", "negative_rent"),
        (6, "Contractnummer", "HC5", "unknown_contract"),
        (7, "Contractnummer", "", "missing_value"),
        (8, "Postcode", "33111", "bad_postcode"),
        (9, "Saldo", "", "missing_value"),
        (11, "Contractnummer", "HC8", "duplicate_contract"),
        (12, "Contractnummer", "HC8", "duplicate_contract"),
    ]
    assert all(e["reason"] for e in imp.errors)
    assert [e["rejected"] for e in imp.errors].count(False) == 1
    assert imp.summary["rows"] == 10
    assert imp.summary["rejected_rows"] == 8
    assert imp.summary["warnings"] == 1
    assert set(ArrearsState.objects.values_list("tenancy__contract_number", flat=True)) == {"HC1", "HC6"}
    assert Household.objects.get(tenancies__contract_number="HC6").postcode == ""
    assert not Tenancy.objects.filter(contract_number__in=["HC2", "HC3", "HC4", "HC5", "HC8"]).exists()


def test_unknown_contract_reason_depends_on_master_columns(corp):
    with __import__("django").utils.translation.override("en"):
        imp = run_import(corp, "Contractnummer;Saldo\nHC1;12\nHC2;13\n")
    assert imp.status == "rejected"  # no row could be imported
    assert [e["code"] for e in imp.errors] == ["unknown_contract", "unknown_contract"]
    assert "no tenant data" in imp.errors[0]["reason"]
    assert "line 2" in imp.message


def test_a_bad_line_holds_back_the_whole_tenancy_in_a_transaction_ledger(corp, tenancy):
    run_import(
        corp,
        "Contractnummer;Boekdatum;Bedrag\nHC1;01-08-2026;700,00\nHC1;02-08-2026;-700,00\n",
        name="t-2026-08-31.csv",
    )
    other = Tenancy.objects.create(corporation=corp, household=tenancy.household, contract_number="HC2", monthly_rent=1)
    text = (
        "Contractnummer;Boekdatum;Bedrag\n"
        "HC1;01-09-2026;700,00\n"
        "HC1;05-09-2026;-700,00 euro\n"  # a payment we cannot read: without it HC1 would look in arrears
        "HC1;01-10-2026;700,00\n"
        "HC2;01-09-2026;1,00\n"
    )
    imp = run_import(corp, text, name="t-2026-10-31.csv")
    assert imp.status == "succeeded"
    assert problems(imp) == [
        (2, "Contractnummer", "HC1", "held_back"),
        (3, "Bedrag", "-700,00 euro", "bad_amount"),
    ]
    assert imp.summary["rejected_rows"] == 3
    assert imp.summary["held_tenancies"] == 1
    # HC1 keeps its August ledger and state; HC2 is imported
    assert LedgerLine.objects.filter(tenancy=tenancy).count() == 2
    assert ArrearsState.objects.get(tenancy=tenancy).balance == 0
    assert ArrearsState.objects.get(tenancy=other).balance == Decimal("1.00")
    assert not Signal.objects.exists()


def test_no_valid_row_rejects_the_file(corp, tenancy):
    imp = run_import(corp, "Contractnummer;Saldo\nHC1;veel\n")
    assert imp.status == "rejected"
    assert problems(imp) == [(2, "Saldo", "veel", "bad_amount")]
    assert not ArrearsState.objects.exists()


def test_invalid_profile_is_refused_by_validation(corp):
    from django.core.exceptions import ValidationError

    profile = ImportProfile(partner=corp, name="x", column_mapping={"saldo": "Saldo"}, delimiter="x")
    with pytest.raises(ValidationError) as info:
        profile.full_clean()
    assert set(info.value.message_dict) == {"column_mapping", "delimiter"}
