"""From raw cells to typed columns, with every bad value reported by line, column, value and reason.

Columns are handled as *distinct values + codes* (``pandas.factorize``): each distinct cell is parsed
once in plain Python and the result spread back over the rows with numpy, so a million booking lines
with a few hundred distinct dates cost a few hundred date parses.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from households.models import Household, Tenancy
from ledger.importing import eviction, fields, values
from ledger.importing.errors import ImportRejected, RowErrors
from ledger.importing.reading import RawTable
from ledger.models import ArrearsState, ImportProfile, LedgerLine


def _text(model, field_name):
    """Text that fits the database column it goes to (longer is a problem, never a database error)."""
    return partial(values.text, max_length=model._meta.get_field(field_name).max_length)


#: Free-text row fields → the column they are stored in.
TEXT_ROW_FIELDS = {"description": (LedgerLine, "description"), "collection_stage": (ArrearsState, "collection_stage")}


class Column:
    """One column of the file: ``codes`` per row (-1: empty), ``values`` per distinct value (its
    parsed value, ``None`` if empty or bad; the extra last entry serves code -1)."""

    def __init__(self, table: RawTable, index: int, parse, *, rows=None):
        series = table.frame[index] if rows is None else table.frame[index].iloc[rows]
        raw = series.to_numpy(dtype=object)
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        self.header = table.headers[index]
        self.uniques = uniques
        self.values = [None] * (len(uniques) + 1)
        self.problems = {}
        for i, u in enumerate(uniques):
            if values.is_empty(u):
                codes[codes == i] = -1
                continue
            try:
                self.values[i] = parse(u)
            except values.Problem as problem:
                self.problems[i] = problem
        self.codes = codes

    def take(self, dtype=object):
        return np.asarray(self.values, dtype=object)[self.codes] if dtype is object else self._typed(dtype)

    def _typed(self, dtype):
        return np.asarray([0 if v is None else v for v in self.values], dtype=dtype)[self.codes]

    @property
    def empty(self):
        return self.codes < 0

    def bad_mask(self):
        return np.isin(self.codes, list(self.problems)) if self.problems else np.zeros(len(self.codes), bool)

    def report(self, errors: RowErrors, lines, *, rejected=True, limit_rows=None):
        """Add an error per row holding a bad value; return the mask of those rows."""
        mask = self.bad_mask()
        if limit_rows is not None:
            mask &= limit_rows
        for row in np.flatnonzero(mask):
            problem = self.problems[self.codes[row]]
            errors.add(
                line=lines[row],
                column=self.header,
                value=self.uniques[self.codes[row]],
                code=problem.code,
                reason=problem.reason,
                rejected=rejected,
            )
        return mask


@dataclass
class ParsedFile:
    shape: str
    table: RawTable
    lines: np.ndarray  # file line of each row
    live: np.ndarray  # not a blank line
    rejected: np.ndarray  # a value problem keeps the row out
    errors: RowErrors
    contract: Column
    cols: dict = field(default_factory=dict)  # field → Column (the row-level fields)
    amount_c: np.ndarray | None = None  # transactions: cents per line; snapshot: the balance
    as_of_column: dt.date | None = None  # the latest date in an as-of column
    master: pd.DataFrame | None = None  # per contract code: tenancy master data from its last row
    eviction: list | None = None  # the eviction steps (``ledger.importing.eviction``); None: no such columns

    @property
    def rows(self):
        return int(self.live.sum())

    def contract_numbers(self):
        return [None if v is None else str(v) for v in self.contract.values]


def parse_table(table: RawTable, profile: ImportProfile | None) -> ParsedFile:
    mapping = (profile.column_mapping if profile else None) or {}
    columns = ", ".join(str(h) for h in table.headers if str(h).strip())
    missing_mapped = fields.missing_mapped(table.headers, mapping)
    if missing_mapped:
        raise ImportRejected(
            _(
                "Column “%(header)s” (the profile's column for %(field)s) is not in the file. "
                "Columns found: %(columns)s."
            )
            % {"header": missing_mapped[0][1], "field": missing_mapped[0][0], "columns": columns}
        )
    shape = profile.shape if profile and profile.shape != ImportProfile.Shape.AUTO else fields.detect_shape(table.found)
    if shape is None:
        raise ImportRejected(
            _(
                "Cannot tell the kind of export: no Saldo/Achterstand column (arrears list) and no Boekdatum with "
                "Bedrag or Debet/Credit columns (transaction ledger). Columns found: %(columns)s."
            )
            % {"columns": columns}
        )
    missing = fields.missing_required(shape, table.found)
    if missing:
        raise ImportRejected(
            _("Required column(s) missing: %(missing)s. Columns found: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": columns}
        )
    date_format = profile.date_format if profile else ""
    found = table.found
    n = len(table.frame)
    lines = np.arange(n, dtype=np.int64) + table.first_line
    errors = RowErrors()
    contract = Column(table, found["contract_number"], _text(Tenancy, "contract_number"))
    no_contract = contract.empty
    live = ~no_contract | ~_blank(table.frame, np.flatnonzero(no_contract))
    if not live.any():
        raise ImportRejected(
            _("The file has no data rows under its header (line %(line)s).") % {"line": table.first_line - 1}
        )
    rejected = (no_contract & live) | contract.report(errors, lines, limit_rows=live)
    for row in np.flatnonzero(rejected):
        errors.add(
            line=lines[row], column=contract.header, value="", code="missing_value", reason=_("contract number missing")
        )
    parsed = ParsedFile(shape, table, lines, live, rejected, errors, contract)
    if shape == fields.SNAPSHOT:
        _duplicates(parsed)
    parse_date = partial(values.date, date_format=date_format)
    row_fields = ["reminder_date", "collection_stage", "as_of"]
    row_fields += ["booking_date", "due_date", "description"] if shape == fields.TRANSACTIONS else []
    row_fields += ["oldest_due_date", "last_payment_date"] if shape == fields.SNAPSHOT else []
    for name in row_fields:
        if name in found:
            if name in TEXT_ROW_FIELDS:  # too long: a warning, the field is left empty
                column = Column(table, found[name], _text(*TEXT_ROW_FIELDS[name]))
                column.report(errors, lines, limit_rows=live, rejected=False)
            else:
                column = Column(table, found[name], parse_date)
                parsed.rejected |= column.report(errors, lines, limit_rows=live)
            parsed.cols[name] = column
    if "as_of" in parsed.cols:
        dates = [v for v in parsed.cols["as_of"].values if v is not None]
        parsed.as_of_column = max(dates) if dates else None
    decimal = profile.decimal_separator if profile and profile.decimal_separator else None
    if shape == fields.TRANSACTIONS:
        _transaction_amounts(parsed, decimal)
        booking = parsed.cols["booking_date"]
        _require(parsed, booking, _("booking date missing"))
    else:
        balance = _amount_column(parsed, found["balance"], decimal)
        _require(parsed, balance, _("balance missing"))
        parsed.amount_c = balance.take(np.int64)
    _master(parsed, decimal, date_format)
    _eviction(parsed, date_format)
    return parsed


def _duplicates(parsed: ParsedFile):
    """An arrears list names each tenancy once; with two rows for one contract neither can be trusted."""
    codes = parsed.contract.codes
    counts = np.bincount(codes[codes >= 0], minlength=len(parsed.contract.values))
    dup = np.flatnonzero((codes >= 0) & (counts[np.maximum(codes, 0)] > 1))
    by_code = {}
    for row in dup:
        by_code.setdefault(codes[row], []).append(int(parsed.lines[row]))
    for row in dup:
        others = [str(line) for line in by_code[codes[row]] if line != parsed.lines[row]]
        parsed.errors.add(
            line=parsed.lines[row],
            column=parsed.contract.header,
            value=parsed.contract.uniques[codes[row]],
            code="duplicate_contract",
            reason=_("this contract number also appears on line(s) %(lines)s; none of its rows is imported")
            % {"lines": ", ".join(others[:10])},
        )
    parsed.rejected[dup] = True


def _blank(frame: pd.DataFrame, rows) -> np.ndarray:
    """For the given rows: is every cell empty? (A mask over all rows, False elsewhere.)"""
    blank = np.zeros(len(frame), bool)
    if len(rows):
        sub = frame.iloc[rows]
        blank[rows] = sub.apply(lambda col: col.map(values.is_empty)).all(axis=1).to_numpy()
    return blank


def _amount_column(parsed: ParsedFile, index, decimal, parse=values.amount_cents):
    table = parsed.table
    sep = decimal or values.detect_decimal_separator(pd.unique(table.frame[index].to_numpy(dtype=object)))
    column = Column(table, index, partial(parse, decimal_separator=sep))
    parsed.rejected |= column.report(parsed.errors, parsed.lines, limit_rows=parsed.live)
    return column


def _require(parsed: ParsedFile, column: Column, reason):
    missing = column.empty & ~column.bad_mask() & parsed.live & ~parsed.contract.empty
    for row in np.flatnonzero(missing):
        parsed.errors.add(line=parsed.lines[row], column=column.header, value="", code="missing_value", reason=reason)
    parsed.rejected |= missing


def _transaction_amounts(parsed: ParsedFile, decimal):
    found = parsed.table.found
    if "amount" in found:
        amount = _amount_column(parsed, found["amount"], decimal)
        _require(parsed, amount, _("amount missing"))
        parsed.amount_c = amount.take(np.int64)
        return
    debit = _amount_column(parsed, found["debit"], decimal)
    credit = _amount_column(parsed, found["credit"], decimal)
    neither = debit.empty & credit.empty & ~debit.bad_mask() & ~credit.bad_mask() & parsed.live & ~parsed.contract.empty
    for row in np.flatnonzero(neither):
        parsed.errors.add(
            line=parsed.lines[row],
            column=f"{debit.header}/{credit.header}",
            value="",
            code="missing_value",
            reason=_("neither a debit nor a credit amount"),
        )
    parsed.rejected |= neither
    parsed.amount_c = debit.take(np.int64) - np.abs(credit.take(np.int64))


def _master(parsed: ParsedFile, decimal, date_format):
    """Tenancy master data from each contract's last row: the rent is required to create a tenancy
    (a bad or negative rent rejects the row); a bad postcode, house number, … is a warning and the
    field stays empty."""
    found = parsed.table.found
    present = [f for f in fields.MASTER_FIELDS if f in found]
    if not present:
        return
    codes = parsed.contract.codes
    with_contract = np.flatnonzero(codes >= 0)
    reversed_codes = codes[with_contract][::-1]
    _uniq, first_from_end = np.unique(reversed_codes, return_index=True)
    rows = np.sort(with_contract[::-1][first_from_end])
    lines = parsed.lines[rows]
    data = {"contract_code": codes[rows], "line": lines}
    parsers = {
        "tenant_name": _text(Household, "name"),
        "initials": _text(Household, "initials"),
        "surname_prefix": _text(Household, "surname_prefix"),
        "surname": _text(Household, "surname"),
        "street": _text(Household, "street"),
        "city": _text(Household, "city"),
        "house_number_suffix": _text(Household, "house_number_suffix"),
        "date_of_birth": partial(values.date, date_format=date_format),
        "phone": values.phone,
        "email": values.email,
        "address": values.address,
        "house_number": values.house_number,
        "postcode": values.postcode,
        "municipality_code": values.municipality_code,
    }
    for name in present:
        if name == "monthly_rent":
            sep = decimal or values.detect_decimal_separator(
                pd.unique(parsed.table.frame[found[name]].to_numpy(dtype=object))
            )
            column = Column(parsed.table, found[name], partial(values.rent_cents, decimal_separator=sep), rows=rows)
            bad = column.report(parsed.errors, lines)
            parsed.rejected[rows[bad]] = True
        else:
            column = Column(parsed.table, found[name], parsers[name], rows=rows)
            column.report(parsed.errors, lines, rejected=False)
        # dtype=object keeps None for a missing value (pandas would infer a string column, with NaN).
        data[name] = pd.Series(column.take(), dtype=object)
    parsed.master = pd.DataFrame(data).set_index("contract_code")


def _eviction(parsed: ParsedFile, date_format):
    """The eviction track's columns, when the file has any (``ledger.importing.eviction``)."""
    found = parsed.table.found
    present = [f for f in fields.EVICTION_FIELDS if f in found]
    if not present:
        return
    parse_date = partial(values.date, date_format=date_format)
    columns = {
        name: Column(parsed.table, found[name], values.judgment if name == "judgment" else parse_date)
        for name in present
    }
    parsed.eviction = eviction.steps_from(parsed, columns)
