"""The few places where PostgreSQL and SQLite differ, so the import's set-based SQL is written once.

PostgreSQL loads staging tables with ``COPY … FROM STDIN`` (``copy_expert``); SQLite (the embedded
default) with ``executemany``. Money is handled in integer cents inside SQL on both, so SQLite's
floating-point ``NUMERIC`` storage never shows in a sum.
"""

import datetime as dt
import json

import numpy as np
import pandas as pd
from django.utils.timezone import now as django_now


class Factor:
    """A column as codes into distinct values (-1: NULL): the form the parser already has, and the
    cheap one to turn into COPY text."""

    def __init__(self, codes, values):
        self.codes = np.asarray(codes)
        self.values = list(values)

    @classmethod
    def of(cls, array):
        codes, uniques = pd.factorize(np.asarray(array), use_na_sentinel=True)
        return cls(codes, uniques.tolist() if hasattr(uniques, "tolist") else list(uniques))

    def __len__(self):
        return len(self.codes)

    def python(self):
        table = np.asarray([_python(v) for v in self.values] + [None], dtype=object)
        return table[self.codes]


def _python_default(field):
    value = field.get_default()
    if value is None and not field.null:
        value = ""  # a blank CharField without an explicit default
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _python(value):
    if value is None:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, dt.datetime):  # as Django stores it in SQLite: naive UTC
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _copy_token(value):
    if value is None:
        return r"\N"
    if isinstance(value, dt.date):  # and datetime (ISO 8601 with its offset)
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


class _CopyText:
    """The rows of ``factors`` as COPY text, made a block at a time as ``copy_expert`` reads them: the
    server parses and stores one block while the next is made (two processes, two cores), and the whole
    payload never sits in memory at once."""

    BLOCK = 50_000

    def __init__(self, factors):
        # Each distinct value is turned into COPY text once; the extra last token serves code -1.
        self.tables = [np.asarray([_copy_token(v) for v in f.values] + [r"\N"], dtype=object) for f in factors]
        self.codes = [f.codes for f in factors]
        self.start, self.n = 0, len(factors[0])

    def read(self, size=-1):
        if self.start >= self.n:
            return b""
        end = min(self.start + self.BLOCK, self.n)
        columns = [table[codes[self.start : end]] for table, codes in zip(self.tables, self.codes, strict=True)]
        self.start = end
        return ("\n".join(map("\t".join, zip(*columns, strict=True))) + "\n").encode()


class Dialect:
    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    # --- snippets ---------------------------------------------------------------------------
    def date(self, placeholder="%s"):
        return f"CAST({placeholder} AS date)" if self.pg else placeholder

    def days(self, later, earlier):
        if self.pg:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def cents(self, expr):
        return f"CAST(ROUND({expr} * 100) AS {'BIGINT' if self.pg else 'INTEGER'})"

    def sum_cents(self, expr, where=None):
        """``SUM`` of a money column in integer cents (0 for no rows), over the rows where ``where`` holds.
        PostgreSQL sums the exact ``numeric`` and converts once per group; SQLite converts every row
        first, as its ``NUMERIC`` is floating point."""
        if self.pg:
            total = f"SUM({expr}) FILTER (WHERE {where})" if where else f"SUM({expr})"
            return f"COALESCE(CAST({total} * 100 AS BIGINT), 0)"
        return f"SUM(CASE WHEN {where} THEN {self.cents(expr)} ELSE 0 END)" if where else f"SUM({self.cents(expr)})"

    def money(self, cents_expr):
        return f"(CAST({cents_expr} AS NUMERIC) / 100)" if self.pg else f"(({cents_expr}) / 100.0)"

    def differs(self, a, b):
        return f"{a} IS DISTINCT FROM {b}" if self.pg else f"{a} IS NOT {b}"

    def least(self, a, b):
        return f"LEAST({a}, {b})" if self.pg else f"MIN({a}, {b})"

    @property
    def bigint(self):
        return "BIGINT" if self.pg else "INTEGER"

    # --- session ----------------------------------------------------------------------------
    def prepare(self, cursor, partner_id):
        """Serialise imports of one partner (two files of one corporation must not interleave) and
        give the sorts and hashes of a large import room to work in memory."""
        if self.pg:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x7469_6A64, partner_id])

    def temp_table(self, cursor, name, columns):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        suffix = " ON COMMIT DROP" if self.pg else ""
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns}){suffix}")

    def drop(self, cursor, *names):
        if not self.pg:
            for name in names:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")

    def load(self, cursor, table, columns: dict):
        """Bulk-load ``columns`` (name → :class:`Factor` or array) into a staging table."""
        if not columns:
            return
        factors = [c if isinstance(c, Factor) else Factor.of(c) for c in columns.values()]
        if not len(factors[0]):
            return
        names = ", ".join(columns)
        if self.pg:
            cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", _CopyText(factors))
        else:
            placeholders = ", ".join(["%s"] * len(factors))
            rows = list(zip(*(f.python().tolist() for f in factors), strict=True))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)

    def insert(self, cursor, model, columns: dict):
        """Bulk-insert rows of ``model``; every column not given gets the field's default (or NULL),
        so a field another part of the portal adds later does not break this insert."""
        n = len(next(iter(columns.values())))
        if not n:
            return
        full = dict(columns)
        for f in model._meta.concrete_fields:
            if f.column in full or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                full[f.column] = [django_now()] * n
            elif f.has_default() or not f.null:
                full[f.column] = Factor(np.zeros(n, np.int64), [_python_default(f)])
        self.load(cursor, model._meta.db_table, full)

    @staticmethod
    def other_columns(model, given):
        """(columns, values) for the NOT NULL columns of ``model`` an ``INSERT … SELECT`` does not list:
        their defaults, so a field added elsewhere later does not break the insert."""
        columns, values = [], []
        for f in model._meta.concrete_fields:
            if f.column in given or f.primary_key or (f.null and not f.has_default()):
                continue
            columns.append(f.column)
            values.append(django_now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                          else _python_default(f))  # fmt: skip
        return columns, values

    def update(self, cursor, table, key, columns: dict, where=""):
        """Set-based ``UPDATE table SET col = new … WHERE key = …`` for many rows at once."""
        keys = columns.get(key)
        if keys is None or not len(keys):
            return 0
        names = list(columns)
        temp = f"import_update_{table}"
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        on_commit = " ON COMMIT DROP" if self.pg else ""
        empty = "WITH NO DATA" if self.pg else "WHERE 0"
        cursor.execute(f"CREATE TEMP TABLE {temp}{on_commit} AS SELECT {', '.join(names)} FROM {table} {empty}")
        self.load(cursor, temp, columns)
        sets = ", ".join(f"{name} = u.{name}" for name in names if name != key)
        condition = f" AND {where}" if where else ""
        cursor.execute(f"UPDATE {table} SET {sets} FROM {temp} u WHERE {table}.{key} = u.{key}{condition}")
        count = cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
        return count

    def allocate_ids(self, cursor, table, n) -> np.ndarray:
        """``n`` fresh primary keys for ``table`` (rows are then inserted with them, set-based)."""
        if n == 0:
            return np.zeros(0, np.int64)
        if self.pg:
            # The sequence is looked up once: pg_get_serial_sequence(...) inside the SELECT would run per row
            # and cost more than the nextval calls themselves.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(CAST(%s AS regclass)) FROM generate_series(1, %s)", [sequence, n])
            return np.asarray([r[0] for r in cursor.fetchall()], np.int64)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        start = cursor.fetchone()[0] + 1
        return np.arange(start, start + n, dtype=np.int64)
