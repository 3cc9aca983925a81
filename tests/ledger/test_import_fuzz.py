"""Fuzzing the ledger import (hypothesis): random bytes and mutated real exports — truncated, other
delimiters, broken encodings, garbage and huge values in amount/date cells, duplicated headers, empty
files — go through the reader/parser and through the whole ``import_submit`` + ``import_run`` path.

Properties: nothing but :class:`ImportRejected` (or row errors) ever comes out; a rejected file leaves
the database exactly as it was; an accepted file applied exactly the rows its report says it applied.
Each example runs in a savepoint that is rolled back, so every one starts from the same state."""

import io
import os
import random
import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.models import Case, Signal
from bench import ledger_generator as gen
from households.models import Household, Tenancy
from ledger.importing.errors import ImportRejected
from ledger.importing.parsing import parse_table
from ledger.importing.reading import read_table
from ledger.models import ArrearsSnapshot, ArrearsState, LedgerImport, LedgerLine
from ledger.services import import_run, import_submit
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import MunicipalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db

AS_OF = gen.dt.date(2026, 10, 31)
PEOPLE = gen.tenancies(6, seed=7)
KNOWN = PEOPLE[:3]  # in the database before every example; the others are new to it
#: A long fuzzing run: ``FUZZ_FACTOR=50 make test-postgres PYTEST_ARGS=tests/ledger/test_import_fuzz.py``.
FACTOR = int(os.environ.get("FUZZ_FACTOR", "1"))
FUZZ = settings(
    max_examples=60 * FACTOR,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _rows(write, **kwargs):
    """The cells of an export the generator writes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        write(path, **kwargs)
        return [line.split(";") for line in path.read_text(encoding="utf-8").splitlines()]


#: Real exports as the generator writes them (Dutch ERP style), as rows of cells.
BASES = {
    "transactions": _rows(gen.write_transactions, tenancies=PEOPLE[:4], as_of=AS_OF, months=3),
    "transactions_master": _rows(gen.write_transactions, tenancies=PEOPLE, as_of=AS_OF, months=2, master=True),
    "snapshot": _rows(gen.write_snapshot, tenancies=PEOPLE, as_of=AS_OF),
}
AMOUNT_HEADERS = {"Bedrag", "Saldo", "Kale huur"}
DATE_HEADERS = {"Boekdatum", "Vervaldatum", "Oudste vervaldatum", "Datum laatste betaling", "Datum aanmaning"}
NASTY = [
    "", " ", "-", "€", "1e308", "NaN", "inf", "-0,00", "9999999999999,99", "999.999,99", "1.000.000,00",
    "99999999999999999999999999", "(12,50)", "12,50-", "--5", "0x1F", "1,2,3", "1.2.3,4", "12,345,678.9",
    "31-02-2026", "00-00-0000", "29-02-2027", "9999-12-31", "01-01-0001", "2026-13-01", "12/31/2026",
    "01.01.2026 25:00", "1-1-26", "=SUM(A1)", '"', '""', "'", "Contractnummer", "DW0000001", "x" * 5000,
    "9" * 400, "\u00a0", "\ufeff", "ï»¿", "\u202e12,00",
]  # fmt: skip
cell_value = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


def tenancy_data():
    """The database every example starts from: a corporation and three of the export's tenancies."""
    for _place, code, _pc in gen.PLACES:
        MunicipalityFactory(code=code, name=_place)
    corp = PartnerFactory(slug="fuzz-wonen")
    for person in KNOWN:
        household = HouseholdFactory(corporation=corp, name=person["name"])
        TenancyFactory(household=household, contract_number=person["contract"], monthly_rent=person["rent_c"] / 100)
    return corp


@pytest.fixture
def corp(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tenancy_data()


def fingerprint():
    """Everything an import writes, as plain values."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Household, Tenancy, LedgerLine, ArrearsState, ArrearsSnapshot, Signal, Case)
    }


# --- mutations ----------------------------------------------------------------------------------


@st.composite
def mutated_rows(draw):
    name = draw(st.sampled_from(sorted(BASES)))
    rows = [list(row) for row in BASES[name]]
    header = rows[0]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(
            st.sampled_from(
                ["amount", "date", "any_cell", "drop_row", "repeat_header", "dup_header_name", "dup_row", "ragged",
                 "huge", "blank_lines", "only_header"]
            )
        )  # fmt: skip
        data_rows = len(rows) - 1
        if kind in ("amount", "date") and data_rows:
            wanted = AMOUNT_HEADERS if kind == "amount" else DATE_HEADERS
            columns = [i for i, h in enumerate(header) if h in wanted]
            if columns:
                row = draw(st.integers(1, data_rows))
                column = draw(st.sampled_from(columns))
                if column < len(rows[row]):
                    rows[row][column] = draw(cell_value)
        elif kind == "any_cell" and data_rows:
            row = draw(st.integers(0, data_rows))
            if rows[row]:
                rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(cell_value)
        elif kind == "drop_row" and data_rows:
            del rows[draw(st.integers(1, data_rows))]
        elif kind == "repeat_header":
            rows.insert(draw(st.integers(0, len(rows))), list(header))
        elif kind == "dup_header_name" and rows[0]:
            rows[0] = list(rows[0])
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = header[draw(st.integers(0, len(header) - 1))]
        elif kind == "dup_row" and data_rows:
            row = rows[draw(st.integers(1, data_rows))]
            rows.extend([list(row)] * draw(st.sampled_from([1, 2, 50])))
        elif kind == "ragged" and data_rows:
            row = draw(st.integers(1, data_rows))
            rows[row] = rows[row][: draw(st.integers(0, len(rows[row])))] + draw(st.lists(cell_value, max_size=3))
        elif kind == "huge" and data_rows:
            row = draw(st.integers(1, data_rows))
            if rows[row]:
                huge = st.sampled_from(["9" * 10_000, "x" * 100_000, "1" * 30 + ",00", "€ 8.000.000,00", "a b " * 60])
                rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(huge)
        elif kind == "blank_lines":
            rows.insert(draw(st.integers(1, len(rows))), [""])
        elif kind == "only_header":
            rows = rows[:1]
    return name, rows


@st.composite
def mutated_file(draw):
    """(file name, bytes) of a mutated export: CSV with any delimiter and encoding, bytes truncated or
    corrupted — or an XLSX workbook of the mutated cells."""
    _name, rows = draw(mutated_rows())
    if draw(st.integers(0, 9)) == 0:
        return "export-2026-10-31.xlsx", _xlsx(rows, truncate=draw(st.booleans()), cut=draw(st.floats(0, 1)))
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(delimiter.join(row) for row in rows) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["truncate", "insert", "flip", "nul"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "truncate":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "flip":
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        else:
            data = data[:at] + b"\x00" + data[at:]
    return "export-2026-10-31.csv", data


def _xlsx(rows, *, truncate, cut):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell[:32000]) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    return data[: int(len(data) * cut)] if truncate else data


# --- the reader and parser -----------------------------------------------------------------------


def read_and_parse(data, name):
    try:
        table = read_table(data, file_name=name)
        parse_table(table, None)
    except ImportRejected as exc:
        assert str(exc)  # a message for the user
        return False
    return True


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_crash_the_reader_or_parser(data):
    read_and_parse(data, "x.csv")


@FUZZ
@given(data=st.binary(max_size=200), keep=st.booleans())
def test_random_bytes_after_a_real_header_never_crash_the_reader_or_parser(data, keep):
    header = ";".join(BASES["transactions"][0]).encode() + b"\n"
    read_and_parse(header + data if keep else data + b"\n" + header, "x.csv")


@settings(FUZZ, max_examples=100 * FACTOR)
@given(file=mutated_file())
def test_mutated_exports_never_crash_the_reader_or_parser(file):
    name, data = file
    read_and_parse(data, name)


# --- the whole import path ----------------------------------------------------------------------


def import_file(corp, name, data):
    """Submit and run one file in a savepoint that is rolled back; check the properties inside it."""
    with transaction.atomic():
        before = fingerprint()
        try:
            submitted = _submit(corp, name, data)
        except ImportRejected as refused:  # refused as it came in (not a ledger file, empty): nothing stored
            assert str(refused)
            assert fingerprint() == before, "a refused file changed the database"
            transaction.set_rollback(True)
            return LedgerImport.Status.REJECTED
        imp = import_run(import_id=submitted.pk)
        assert imp.status in (LedgerImport.Status.SUCCEEDED, LedgerImport.Status.REJECTED), (imp.status, imp.message)
        if imp.status == LedgerImport.Status.REJECTED:
            assert imp.message
            assert fingerprint() == before, "a rejected file changed the database"
        else:
            summary = imp.summary
            applied = summary["rows"] - summary["rejected_rows"]
            assert applied > 0
            if summary["shape"] == "transactions":
                assert LedgerLine.objects.filter(ledger_import=imp).count() == applied == summary["lines"]
            else:
                assert ArrearsState.objects.filter(ledger_import=imp).count() == applied == summary["tenancies"]
            assert summary["errors_total"] >= (1 if summary["rejected_rows"] else 0)
        transaction.set_rollback(True)
    return imp.status


def _submit(corp, name, data):
    return import_submit(partner=corp, file=data, file_name=name, source=LedgerImport.Source.API, enqueue=False)


@settings(FUZZ, max_examples=25 * FACTOR)
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_rejected_whole_by_the_import(corp, data):
    import_file(corp, "export-2026-10-31.csv", data)


@settings(FUZZ, max_examples=80 * FACTOR)
@given(file=mutated_file())
def test_mutated_exports_are_applied_whole_or_not_at_all(corp, file):
    import_file(corp, *file)


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\n\n\n", b";;;\n;;;\n", b"Contractnummer;Saldo\n", b"PK\x03\x04"],
    ids=["empty", "bom", "utf16-bom", "blank-lines", "only-delimiters", "only-header", "zip-magic"],
)
def test_empty_and_nearly_empty_files_are_rejected(corp, data):
    assert import_file(corp, "export-2026-10-31.csv", data) == LedgerImport.Status.REJECTED


def test_the_unmutated_exports_are_accepted(corp):
    """The fuzzing starts from files the import takes: a mutation is what makes them bad."""
    for rows in BASES.values():
        data = "\n".join(";".join(row) for row in rows).encode()
        assert import_file(corp, "export-2026-10-31.csv", data) == LedgerImport.Status.SUCCEEDED


def test_a_seeded_sample_of_mutations_rejects_some_rows_and_applies_the_rest(corp):
    """Not a property: a fixed mix so a change that rejects everything (or nothing) shows up."""
    rng = random.Random(8)
    rows = [list(row) for row in BASES["transactions"]]
    amount = rows[0].index("Bedrag")
    for row in rng.sample(range(1, len(rows)), 3):
        rows[row][amount] = "twaalf"
    with transaction.atomic():
        imp = import_submit_and_run(corp, rows)
        assert imp.status == "succeeded"
        assert 0 < imp.summary["rejected_rows"] < imp.summary["rows"]
        assert {e["code"] for e in imp.errors} >= {"bad_amount", "held_back"}
        transaction.set_rollback(True)


def import_submit_and_run(corp, rows):
    data = "\n".join(";".join(row) for row in rows).encode()
    return import_run(import_id=_submit(corp, "export-2026-10-31.csv", data).pk)


# --- what the fuzzing found (each was an internal error, i.e. a failed import, before) ------------


def test_lone_carriage_returns_end_lines(corp):
    imp = run(corp, b"Contractnummer;Saldo\rDW0000001;100,00\rDW0000002;50,00\r")
    assert (imp.status, imp.summary["rows"]) == ("succeeded", 2)


def test_a_cut_off_utf16_file_is_rejected_with_the_byte(corp):
    imp = run(corp, "Contractnummer;Saldo\nDW0000001;1,00\n".encode("utf-16")[:-1])
    assert imp.status == "rejected" and "UTF-16" in imp.message


def test_huge_amounts_and_too_long_texts_are_row_problems(corp):
    long = "x" * 300
    imp = run(
        corp,
        "Contractnummer;Boekdatum;Bedrag;Omschrijving;Incassostadium\n"
        f"DW0000001;01-10-2026;{'9' * 400};Huur;\n"
        f"DW0000002;01-10-2026;700,00;{long};{long}\n"
        f"{'C' * 41};01-10-2026;700,00;Huur;\n",
    )
    assert imp.status == "succeeded"
    codes = {(e["line"], e["code"], e["rejected"]) for e in imp.errors}
    assert (2, "amount_out_of_range", True) in codes and (4, "too_long", True) in codes
    warnings = [e["column"] for e in imp.errors if e["line"] == 3]
    assert warnings == ["Incassostadium", "Omschrijving"]  # warnings: the line is imported, those fields empty
    assert LedgerLine.objects.get(tenancy__contract_number="DW0000002").description == ""
    assert ArrearsState.objects.get(tenancy__contract_number="DW0000002").collection_stage == ""


def test_empty_master_cells_keep_what_is_known_and_are_never_nan(corp):
    known = Household.objects.get(tenancies__contract_number="DW0000001")
    known.phone = "078-1234567"
    known.save()
    imp = run(
        corp,
        "Contractnummer;Huurder;Telefoon;Toevoeging;Kale huur;Saldo\n"
        "DW0000001;;;;;100,00\n"
        f"NEW1;A. Nieuw;;{'b' * 11};650,00;900,00\n",
    )
    assert imp.status == "succeeded", imp.message
    known.refresh_from_db()
    assert (known.name, known.phone) == (KNOWN[0]["name"], "078-1234567")
    new = Household.objects.get(tenancies__contract_number="NEW1")
    # Not in arrears past the rule (no due date): a row without a person (ADR 0071).
    assert (new.name, new.phone, new.house_number_suffix) == ("", "", "")


def run(corp, data, name="export-2026-10-31.csv"):
    data = data.encode() if isinstance(data, str) else data
    return import_run(import_id=_submit(corp, name, data).pk)
