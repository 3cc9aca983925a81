"""Applying a parsed file inside the import's one transaction: tenancies and their master data, the
ledger lines (a transaction export replaces the lines of the period it covers, ADR 0012), then each
tenancy's arrears state and history point. All set-based: staging tables (COPY on PostgreSQL) and
INSERT … SELECT / ON CONFLICT / UPDATE … FROM / window functions; no per-row ORM saves."""

import time

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from households.models import Tenancy
from ledger.importing import fields
from ledger.importing.errors import ImportRejected
from ledger.importing.ledger import TransactionLines
from ledger.importing.master import MasterData
from ledger.importing.parsing import ParsedFile
from ledger.importing.sql import Dialect, Factor


class Applier(MasterData, TransactionLines):
    def __init__(self, *, ledger_import, parsed: ParsedFile, profile, as_of, now):
        self.imp = ledger_import
        self.partner_id = ledger_import.partner_id
        self.parsed = parsed
        self.complete = bool(profile and profile.is_complete_export)
        self.as_of = as_of
        self.now = now
        self.db = Dialect(connection)
        self.summary = {}
        self.temp = []
        self.timings = {}  # statement → seconds, for the benchmark and slow-import reports

    def run(self) -> dict:
        with connection.cursor() as cursor:
            self.cursor = cursor
            self.db.prepare(cursor, self.partner_id)
            self._resolve()
            if not self.applied.any():
                raise ImportRejected(
                    _("No row could be imported. First problems: %(first)s")
                    % {"first": self.parsed.errors.first_reasons()},
                    errors=self.parsed.errors.stored(),
                )
            self._write_master()
            self._temp("import_derived", f"tenancy_id {self.db.bigint} PRIMARY KEY, balance_c {self.db.bigint}, "
                       f"credit_c {self.db.bigint}, oldest_due date, last_payment date, reminder_date date, "
                       "collection_stage text")  # fmt: skip
            if self.parsed.shape == fields.TRANSACTIONS:
                self._write_lines()
                self._derive_from_lines()
            else:
                self._stage_snapshot()
            self._write_states()
            # The file's personal fields wait for flagging (fill_people): only who is flagged gets them.
            done = [name for name in self.temp if name != "import_master"]
            self.db.drop(cursor, *done)
            self.temp = [name for name in self.temp if name == "import_master"]
        self.summary["timings"] = self.timings
        return self.summary

    def _temp(self, name, columns):
        self.db.temp_table(self.cursor, name, columns)
        self.temp.append(name)

    def _exec(self, sql, params=()):
        started = time.monotonic()
        self.cursor.execute(sql, params)
        key = " ".join(sql.split()[:3])[:40]
        self.timings[key] = round(self.timings.get(key, 0) + time.monotonic() - started, 3)
        return self.cursor.rowcount

    # --- which tenancy each row is -----------------------------------------------------------
    def _resolve(self):
        p = self.parsed
        numbers = p.contract_numbers()
        known = dict(Tenancy.objects.filter(corporation_id=self.partner_id).values_list("contract_number", "id"))
        ncodes = len(numbers) - 1
        tenancy_of = np.zeros(ncodes + 1, np.int64)
        for code in range(ncodes):
            tenancy_of[code] = known.get(numbers[code], 0)
        codes = p.contract.codes
        live_rows = p.live & (codes >= 0)
        # Rows of contracts already known, rejected or not: such a tenancy is in the file (a complete
        # export must not take it as paid off because one of its rows was bad).
        self.seen_tenancies = np.unique(tenancy_of[codes[live_rows]])
        self.seen_tenancies = self.seen_tenancies[self.seen_tenancies > 0]
        usable = self._usable_master(ncodes)
        if p.shape == fields.TRANSACTIONS:
            self._hold_back(numbers)
        bad_codes = set(np.unique(codes[p.rejected & live_rows]).tolist())
        new_codes = [c for c in range(ncodes) if not tenancy_of[c] and usable[c] and c not in bad_codes]
        unknown = live_rows & ~p.rejected & (tenancy_of[codes] == 0) & ~np.isin(codes, new_codes)
        has_master = p.master is not None and ("tenant_name" in p.master or "surname" in p.master)
        reason = (
            _("unknown contract number; to create the tenancy the row needs a tenant name and a monthly rent")
            if has_master
            else _("unknown contract number, and the file has no tenant data (name, monthly rent) to create it")
        )
        for row in np.flatnonzero(unknown):
            p.errors.add(
                line=p.lines[row],
                column=p.contract.header,
                value=numbers[codes[row]],
                code="unknown_contract",
                reason=reason,
            )
        p.rejected |= unknown
        self.new_codes = np.asarray(new_codes, np.int64)
        self.new_tenancy_ids = self.db.allocate_ids(self.cursor, "households_tenancy", len(new_codes))
        self.new_household_ids = self.db.allocate_ids(self.cursor, "households_household", len(new_codes))
        tenancy_of[self.new_codes] = self.new_tenancy_ids
        self.tenancy_of = tenancy_of
        self.numbers = numbers
        self.applied = live_rows & ~p.rejected
        applied_tenancies = np.unique(tenancy_of[codes[self.applied]])
        self.summary.update(
            rows=p.rows,
            rejected_rows=int((p.rejected & p.live).sum()),
            tenancies=len(applied_tenancies),
            new_tenancies=len(new_codes),
        )

    def _usable_master(self, ncodes):
        usable = np.zeros(ncodes + 1, bool)
        m = self.parsed.master
        if m is None or "monthly_rent" not in m:
            return usable
        named = m["tenant_name"].notna() if "tenant_name" in m else m["surname"].notna() if "surname" in m else None
        if named is None:
            return usable
        ok = named & m["monthly_rent"].notna()
        usable[m.index[ok.to_numpy()].to_numpy()] = True
        return usable

    def _hold_back(self, numbers):
        """A transaction ledger with one bad line for a tenancy would give it a wrong balance: keep
        all of that tenancy's lines out, and its ledger as it was."""
        p = self.parsed
        codes = p.contract.codes
        bad = p.rejected & p.live & (codes >= 0)
        held_codes = np.unique(codes[bad])
        if not len(held_codes):
            return
        held = np.isin(codes, held_codes) & p.live & ~p.rejected
        by_code = {}
        for row in np.flatnonzero(bad):
            by_code.setdefault(codes[row], []).append(str(p.lines[row]))
        for code in np.unique(codes[held]):
            rows = np.flatnonzero(held & (codes == code))
            p.errors.add(
                line=p.lines[rows[0]],
                column=p.contract.header,
                value=numbers[code],
                code="held_back",
                reason=_(
                    "%(n)s other line(s) of this contract not imported because line(s) %(bad)s were rejected; "
                    "its ledger stays as it was"
                )
                % {"n": len(rows), "bad": ", ".join(by_code[code][:10])},
            )
        p.rejected |= held
        self.summary["held_tenancies"] = len(held_codes)

    # --- arrears list --------------------------------------------------------------------------
    def _stage_snapshot(self):
        p = self.parsed
        rows = np.flatnonzero(self.applied)
        data = {"tenancy_id": self.tenancy_of[p.contract.codes[rows]], "balance_c": p.amount_c[rows]}
        for name, target in (("oldest_due_date", "oldest_due"), ("last_payment_date", "last_payment"),
                             ("reminder_date", "reminder_date"), ("collection_stage", "collection_stage")):  # fmt: skip
            if name in p.cols:
                data[target] = Factor(p.cols[name].codes[rows], p.cols[name].values[:-1])
        self.db.load(self.cursor, "import_derived", data)
        if self.complete:
            self._temp("import_seen", f"tenancy_id {self.db.bigint} PRIMARY KEY")
            self.db.load(self.cursor, "import_seen", {"tenancy_id": self.seen_tenancies})
            # A complete export: a tenancy it does not mention owes nothing (any more).
            self.summary["cleared_missing"] = self._exec(
                "INSERT INTO import_derived (tenancy_id, balance_c) SELECT s.tenancy_id, 0 FROM arrears_arrearsstate s "
                "JOIN households_tenancy t ON t.id = s.tenancy_id WHERE t.corporation_id = %s AND s.balance <> 0 "
                f"AND s.as_of <= {self.db.date()} AND s.tenancy_id NOT IN (SELECT tenancy_id FROM import_seen)",
                [self.partner_id, self.as_of],
            )

    # --- state and history -------------------------------------------------------------------
    def _write_states(self):
        db = self.db
        as_of = db.date()
        days = f"CASE WHEN d.balance_c > 0 AND d.oldest_due < {as_of} THEN {db.days(as_of, 'd.oldest_due')} ELSE 0 END"
        self._exec(
            "INSERT INTO arrears_arrearssnapshot (tenancy_id, as_of, balance, days_overdue) "
            f"SELECT d.tenancy_id, {as_of}, {db.money('d.balance_c')}, {days} "
            "FROM import_derived d LEFT JOIN arrears_arrearsstate s ON s.tenancy_id = d.tenancy_id "
            "WHERE d.balance_c <> 0 OR s.tenancy_id IS NULL OR s.balance <> 0 "
            "ON CONFLICT (tenancy_id, as_of) DO UPDATE SET "
            "balance = excluded.balance, days_overdue = excluded.days_overdue",
            [self.as_of, self.as_of, self.as_of],
        )
        rent = db.cents("t.monthly_rent")
        months = (
            f"CASE WHEN d.balance_c > 0 AND t.monthly_rent > 0 "
            f"THEN {db.least(f'(d.balance_c * 200 + {rent}) / (2 * {rent})', 999999)} ELSE 0 END"
        )
        s = "arrears_arrearsstate"
        self.summary["states"] = self._exec(
            f"INSERT INTO {s} (tenancy_id, as_of, balance, previous_balance, months_of_rent, oldest_unpaid_due_date, "
            "days_overdue, last_payment_date, reminder_date, collection_stage, ledger_import_id) "
            f"SELECT d.tenancy_id, {as_of}, {db.money('d.balance_c')}, NULL, {db.money(months)}, "
            f"CASE WHEN d.balance_c > 0 THEN d.oldest_due END, {days}, d.last_payment, d.reminder_date, "
            "COALESCE(d.collection_stage, ''), %s "
            "FROM import_derived d JOIN households_tenancy t ON t.id = d.tenancy_id WHERE 1 = 1 "
            "ON CONFLICT (tenancy_id) DO UPDATE SET "
            f"previous_balance = CASE WHEN {s}.as_of < excluded.as_of THEN {s}.balance ELSE {s}.previous_balance END, "
            "as_of = excluded.as_of, balance = excluded.balance, months_of_rent = excluded.months_of_rent, "
            "oldest_unpaid_due_date = excluded.oldest_unpaid_due_date, days_overdue = excluded.days_overdue, "
            f"last_payment_date = COALESCE(excluded.last_payment_date, {s}.last_payment_date), "
            f"reminder_date = COALESCE(excluded.reminder_date, {s}.reminder_date), "
            f"collection_stage = CASE WHEN excluded.collection_stage <> '' THEN excluded.collection_stage "
            f"ELSE {s}.collection_stage END, ledger_import_id = excluded.ledger_import_id "
            f"WHERE {s}.as_of <= excluded.as_of",
            [self.as_of, self.as_of, self.as_of, self.imp.pk],
        )


def _obj(values):
    return np.asarray(values, dtype=object)
