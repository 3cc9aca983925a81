"""Applying a parsed file inside the import's one transaction: tenancies and their master data, the
ledger lines (a transaction export replaces the lines of the period it covers, ADR 0012), then each
tenancy's arrears state and history point. All set-based: staging tables (COPY on PostgreSQL) and
INSERT … SELECT / ON CONFLICT / UPDATE … FROM / window functions; no per-row ORM saves."""

import time

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from households.models import Household, Tenancy
from partners.models import Municipality

from . import fields as F
from . import values as V
from .errors import ImportRejected
from .parsing import ParsedFile
from .sql import Dialect, Factor


class Applier:
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
            if self.parsed.shape == F.TRANSACTIONS:
                self._write_lines()
                self._derive_from_lines()
            else:
                self._stage_snapshot()
            self._write_states()
            self.db.drop(cursor, *self.temp)
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
        if p.shape == F.TRANSACTIONS:
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

    # --- households and tenancies ------------------------------------------------------------
    def _write_master(self):
        m = self.parsed.master
        if m is None:
            return
        applied_codes = np.unique(self.parsed.contract.codes[self.applied])
        m = m[m.index.isin(applied_codes)]
        if m.empty:
            return
        n = len(m)
        col = lambda name: m[name].tolist() if name in m else [None] * n  # noqa: E731
        names, initials, prefixes, surnames = [], [], [], []
        given_parts = ("initials" in m, "surname_prefix" in m, "surname" in m)
        for name, ini, pre, sur in zip(
            col("tenant_name"), col("initials"), col("surname_prefix"), col("surname"), strict=True
        ):
            if name and not any(given_parts):
                ini, pre, sur = V.split_name(name)
            names.append(name or " ".join(x for x in (ini, pre, sur) if x) or None)
            initials.append(ini)
            prefixes.append(pre)
            surnames.append(sur)
        streets, numbers, suffixes = col("street"), [], col("house_number_suffix")
        for i, (number, address) in enumerate(zip(col("house_number"), col("address"), strict=True)):
            if address and not streets[i]:
                streets[i], number_from_address, suffix = address
                number = (number_from_address, suffix)
            numbers.append(number[0] if number else None)
            if number and number[1] and not suffixes[i]:
                suffixes[i] = number[1]
        municipalities = col("municipality_code")
        self._check_municipalities(m, municipalities)
        codes = m.index.to_numpy()
        is_new = np.isin(codes, self.new_codes)
        household_of = dict(zip(self.new_codes.tolist(), self.new_household_ids.tolist(), strict=True))
        self._temp(
            "import_master",
            f"tenancy_id {self.db.bigint}, household_id {self.db.bigint}, is_new integer, contract_number text, "
            "name text, initials text, surname_prefix text, surname text, date_of_birth date, phone text, email text, "
            f"street text, house_number integer, house_number_suffix text, postcode text, city text, "
            f"municipality_code text, rent_c {self.db.bigint}",
        )
        self.db.load(
            self.cursor,
            "import_master",
            {
                "tenancy_id": self.tenancy_of[codes],
                "household_id": np.asarray([household_of.get(c, 0) for c in codes.tolist()], np.int64),
                "is_new": is_new.astype(np.int64),
                "contract_number": np.asarray([self.numbers[c] for c in codes], dtype=object),
                "name": _obj(names),
                "initials": _obj(initials),
                "surname_prefix": _obj(prefixes),
                "surname": _obj(surnames),
                "date_of_birth": _obj(col("date_of_birth")),
                "phone": _obj(col("phone")),
                "email": _obj(col("email")),
                "street": _obj(streets),
                "house_number": _obj(numbers),
                "house_number_suffix": _obj(suffixes),
                "postcode": _obj(col("postcode")),
                "city": _obj(col("city")),
                "municipality_code": _obj(municipalities),
                "rent_c": _obj(col("monthly_rent")),
            },
        )
        self._insert_new_tenancies()
        self._update_known_tenancies()

    def _check_municipalities(self, m, municipalities):
        wanted = {c for c in municipalities if c}
        if not wanted:
            return
        known = set(Municipality.objects.filter(code__in=wanted).values_list("code", flat=True))
        header = self.parsed.table.headers[self.parsed.table.found["municipality_code"]]
        for i, code in enumerate(municipalities):
            if code and code not in known:
                self.parsed.errors.add(
                    line=m["line"].iloc[i],
                    column=header,
                    value=code,
                    code="unknown_municipality",
                    reason=_("unknown municipality code; left empty"),
                    rejected=False,
                )
                municipalities[i] = None

    def _insert_new_tenancies(self):
        if not len(self.new_codes):
            return
        given = {
            "id": "m.household_id",
            "corporation_id": "%s",
            "name": "COALESCE(m.name, '')",
            "initials": "COALESCE(m.initials, '')",
            "surname_prefix": "COALESCE(m.surname_prefix, '')",
            "surname": "COALESCE(m.surname, '')",
            "date_of_birth": "m.date_of_birth",
            "phone": "COALESCE(m.phone, '')",
            "email": "COALESCE(m.email, '')",
            "street": "COALESCE(m.street, '')",
            "house_number": "m.house_number",
            "house_number_suffix": "COALESCE(m.house_number_suffix, '')",
            "postcode": "COALESCE(m.postcode, '')",
            "city": "COALESCE(m.city, '')",
            "municipality_id": "(SELECT code FROM partners_municipality WHERE code = m.municipality_code)",
        }
        self._insert_select(Household, given, [self.partner_id])
        given = {
            "id": "m.tenancy_id",
            "corporation_id": "%s",
            "household_id": "m.household_id",
            "contract_number": "m.contract_number",
            "monthly_rent": self.db.money("m.rent_c"),
        }
        self._insert_select(Tenancy, given, [self.partner_id])

    def _insert_select(self, model, given, params):
        columns, defaults = self.db.other_columns(model, set(given))
        names = ", ".join([*given, *columns])
        values = ", ".join([*given.values(), *["%s"] * len(columns)])
        self._exec(
            f"INSERT INTO {model._meta.db_table} ({names}) SELECT {values} FROM import_master m WHERE m.is_new = 1",
            [*params, *defaults],
        )

    def _update_known_tenancies(self):
        """Master data in the file overwrites what is known; an empty cell keeps the known value."""
        h = "households_household"
        fields = ["name", "initials", "surname_prefix", "surname", "date_of_birth", "phone", "email", "street",
                  "house_number", "house_number_suffix", "postcode", "city"]  # fmt: skip
        new = {f: f"COALESCE(m.{f}, {h}.{f})" for f in fields}
        new["municipality_id"] = (
            f"COALESCE((SELECT code FROM partners_municipality WHERE code = m.municipality_code), {h}.municipality_id)"
        )
        sets = ", ".join(f"{f} = {expr}" for f, expr in new.items())
        changed = " OR ".join(self.db.differs(expr, f"{h}.{f}") for f, expr in new.items())
        self.summary["updated_households"] = self._exec(
            f"UPDATE {h} SET {sets}, updated_at = %s FROM import_master m, households_tenancy t "
            f"WHERE m.is_new = 0 AND t.id = m.tenancy_id AND {h}.id = t.household_id AND ({changed})",
            [self.now],
        )
        rent = self.db.money("m.rent_c")
        self._exec(
            f"UPDATE households_tenancy SET monthly_rent = {rent} FROM import_master m "
            f"WHERE m.is_new = 0 AND m.rent_c IS NOT NULL AND households_tenancy.id = m.tenancy_id "
            f"AND households_tenancy.monthly_rent <> {rent}"
        )

    # --- transaction ledger ------------------------------------------------------------------
    def _write_lines(self):
        p, db = self.parsed, self.db
        rows = np.flatnonzero(self.applied)
        booking = p.cols["booking_date"]
        self._temp("import_tenancies", f"tenancy_id {db.bigint} PRIMARY KEY")
        self._temp("import_affected", f"tenancy_id {db.bigint} PRIMARY KEY")
        tenancy_ids = self.tenancy_of[np.unique(p.contract.codes[rows])]
        db.load(self.cursor, "import_tenancies", {"tenancy_id": tenancy_ids})
        used = [booking.values[c] for c in np.unique(booking.codes[rows])]
        self.period = (min(used), max(used)) if used else None
        self.summary["period"] = [d.isoformat() for d in self.period] if self.period else None
        held = np.unique(self.tenancy_of[p.contract.codes[p.rejected & p.live & (p.contract.codes >= 0)]])
        self._temp("import_held", f"tenancy_id {db.bigint} PRIMARY KEY")
        db.load(self.cursor, "import_held", {"tenancy_id": held[held > 0]})
        replaced = 0
        if self.period:
            period = f"l.booking_date BETWEEN {db.date()} AND {db.date()}"
            scope = "l.tenancy_id IN (SELECT tenancy_id FROM import_tenancies)"
            if self.complete:
                # Complete export: within its period the file is the whole ledger of the corporation.
                scope = (
                    "l.tenancy_id IN (SELECT id FROM households_tenancy WHERE corporation_id = %s) "
                    "AND l.tenancy_id NOT IN (SELECT tenancy_id FROM import_held)"
                )
                self._exec(
                    f"INSERT INTO import_affected (tenancy_id) SELECT DISTINCT l.tenancy_id FROM arrears_ledgerline l "
                    f"WHERE {period} AND {scope}",
                    [*self.period, self.partner_id],
                )
            params = [*self.period, self.partner_id] if self.complete else list(self.period)
            replaced = self._exec(
                "DELETE FROM arrears_ledgerline WHERE id IN "
                f"(SELECT l.id FROM arrears_ledgerline l WHERE {period} AND {scope})"
                if not db.pg
                else f"DELETE FROM arrears_ledgerline l WHERE {period} AND {scope}",
                params,
            )
        # The lines go straight into the ledger (COPY on PostgreSQL): every value was checked while
        # parsing, so a staging table would only write them twice (ADR 0010).
        started = time.monotonic()
        db.load(self.cursor, "arrears_ledgerline", self._line_columns(rows, booking))
        self.timings["COPY arrears_ledgerline"] = round(time.monotonic() - started, 3)
        inserted = len(rows)
        self.summary.update(lines=inserted, lines_replaced=replaced)

    def _line_columns(self, rows, booking):
        p = self.parsed
        due = p.cols.get("due_date")
        due_values = booking.values[:-1] if due is None else due.values[:-1] + booking.values[:-1]
        due_codes = (
            booking.codes[rows]
            if due is None
            else np.where(due.codes[rows] >= 0, due.codes[rows], booking.codes[rows] + len(due.values) - 1)
        )
        amounts = Factor.of(p.amount_c[rows])
        amounts.values = [f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}" for c in amounts.values]
        text = p.cols.get("description")
        if text is None:
            descriptions = Factor(np.zeros(len(rows), np.int64), [""])
        else:
            codes = text.codes[rows]
            descriptions = Factor(np.where(codes >= 0, codes, len(text.values) - 1), [*text.values[:-1], ""])
        return {
            "tenancy_id": Factor(p.contract.codes[rows], self.tenancy_of.tolist()),
            "booking_date": Factor(booking.codes[rows], booking.values[:-1]),
            "due_date": Factor(due_codes, due_values),
            "amount": amounts,
            "description": descriptions,
            "ledger_import_id": Factor(np.zeros(len(rows), np.int64), [self.imp.pk]),
        }

    def _derive_from_lines(self):
        """Balance, oldest unpaid due date (payments settle the oldest charges first) and last payment
        of every tenancy whose ledger changed, plus every tenancy still owing (its arrears age)."""
        db = self.db
        self._exec(
            "INSERT INTO import_affected (tenancy_id) SELECT tenancy_id FROM import_tenancies "
            "WHERE tenancy_id NOT IN (SELECT tenancy_id FROM import_affected)"
        )
        self._exec(
            "INSERT INTO import_affected (tenancy_id) SELECT s.tenancy_id FROM arrears_arrearsstate s "
            "JOIN households_tenancy t ON t.id = s.tenancy_id "
            f"WHERE t.corporation_id = %s AND s.balance > 0 AND s.as_of <= {db.date()} "
            "AND s.tenancy_id NOT IN (SELECT tenancy_id FROM import_affected) "
            "AND s.tenancy_id NOT IN (SELECT tenancy_id FROM import_held) "
            "AND EXISTS (SELECT 1 FROM arrears_ledgerline l WHERE l.tenancy_id = s.tenancy_id)",
            [self.partner_id, self.as_of],
        )
        as_of = db.date()
        self._exec(
            "INSERT INTO import_derived (tenancy_id, balance_c, credit_c, last_payment) "
            f"SELECT l.tenancy_id, SUM({db.cents('l.amount')}), "
            f"SUM(CASE WHEN l.amount < 0 THEN -{db.cents('l.amount')} ELSE 0 END), "
            "MAX(CASE WHEN l.amount < 0 THEN l.booking_date END) "
            "FROM arrears_ledgerline l JOIN import_affected a ON a.tenancy_id = l.tenancy_id "
            f"WHERE l.booking_date <= {as_of} GROUP BY l.tenancy_id",
            [self.as_of],
        )
        # FIFO, for the tenancies that owe: the credits pay the charges in due-date order; the oldest
        # unpaid charge is the first whose running total exceeds all credits.
        self._exec(
            "UPDATE import_derived SET oldest_due = o.oldest FROM ("
            "  SELECT r.tenancy_id, MIN(r.due) AS oldest FROM ("
            "    SELECT l.tenancy_id, COALESCE(l.due_date, l.booking_date) AS due, d.credit_c, "
            f"     SUM({db.cents('l.amount')}) OVER (PARTITION BY l.tenancy_id "
            "        ORDER BY COALESCE(l.due_date, l.booking_date), l.booking_date, l.id "
            "        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_c "
            "    FROM arrears_ledgerline l JOIN import_derived d ON d.tenancy_id = l.tenancy_id "
            f"    WHERE d.balance_c > 0 AND l.amount > 0 AND l.booking_date <= {as_of}"
            "  ) r WHERE r.running_c > r.credit_c GROUP BY r.tenancy_id"
            ") o WHERE import_derived.tenancy_id = o.tenancy_id",
            [self.as_of],
        )
        # Tenancies whose every line lies after the as-of date: nothing owed yet.
        self._exec(
            "INSERT INTO import_derived (tenancy_id, balance_c) SELECT tenancy_id, 0 FROM import_affected "
            "WHERE tenancy_id NOT IN (SELECT tenancy_id FROM import_derived)"
        )
        self._stage_extras()

    def _stage_extras(self):
        """Reminder date and collection stage, when a transaction ledger carries them (last line wins)."""
        p = self.parsed
        extra = [name for name in ("reminder_date", "collection_stage") if name in p.cols]
        if not extra:
            return
        codes = p.contract.codes
        rows = np.flatnonzero(self.applied)
        _u, last = np.unique(codes[rows][::-1], return_index=True)
        rows = rows[::-1][last]
        self._temp("import_extras", f"tenancy_id {self.db.bigint}, reminder_date date, collection_stage text")
        data = {"tenancy_id": self.tenancy_of[codes[rows]]}
        for name in extra:
            data[name] = Factor(p.cols[name].codes[rows], p.cols[name].values[:-1])
        self.db.load(self.cursor, "import_extras", data)
        sets = ", ".join(
            f"{name} = (SELECT e.{name} FROM import_extras e WHERE e.tenancy_id = import_derived.tenancy_id)"
            for name in extra
        )
        self._exec(f"UPDATE import_derived SET {sets} WHERE tenancy_id IN (SELECT tenancy_id FROM import_extras)")

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
