"""The transaction ledger: storing a file's booking lines (replacing the period it covers, ADR
0012) and deriving each tenancy's balance, oldest unpaid due date and last payment from all its lines.

Before the *ledger horizon* — the first day of the window the retention job last brought forward
(docs/adr/0072) — the ledger is closed: a file's lines booked earlier are not stored again. A tenancy
whose stored ledger reaches back there (a brought-forward line, or the lines of arrears older than the
window) keeps what is stored; for any other tenancy the import sums them into a brought-forward line of
its own. Brought-forward lines (no import) are never replaced by a file.
"""

import datetime as dt
import time

import numpy as np

from ledger.importing.sql import Factor
from ledger.window import brought_forward


def _cents_text(cents: int) -> str:
    """``-12345`` → ``"-123.45"``: an amount in cents as COPY reads a numeric."""
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


class TransactionLines:
    """Mixed into :class:`~ledger.importing.applying.Applier`."""

    def _write_lines(self):
        p, db = self.parsed, self.db
        rows = np.flatnonzero(self.applied)
        booking = p.cols["booking_date"]
        self._temp("import_tenancies", f"tenancy_id {db.bigint} PRIMARY KEY")
        self._temp("import_affected", f"tenancy_id {db.bigint} PRIMARY KEY")
        tenancy_ids = self.tenancy_of[np.unique(p.contract.codes[rows])]
        db.load(self.cursor, "import_tenancies", {"tenancy_id": tenancy_ids})
        rows, brought_forward = self._before_horizon(rows, booking)
        used = [booking.values[c] for c in np.unique(booking.codes[rows])]
        self.period = (min(used), max(used)) if used else None
        self.summary["period"] = [d.isoformat() for d in self.period] if self.period else None
        held = np.unique(self.tenancy_of[p.contract.codes[p.rejected & p.live & (p.contract.codes >= 0)]])
        self._temp("import_held", f"tenancy_id {db.bigint} PRIMARY KEY")
        db.load(self.cursor, "import_held", {"tenancy_id": held[held > 0]})
        period = f"l.booking_date BETWEEN {db.date()} AND {db.date()}"
        mine = "l.tenancy_id IN (SELECT tenancy_id FROM import_tenancies)"
        if self.complete:
            # Complete export: within its period the file is the whole ledger of the corporation, so
            # tenancies it does not mention lose their lines in the period too.
            absent = (
                "l.tenancy_id IN (SELECT id FROM households_tenancy WHERE corporation_id = %s) "
                "AND l.tenancy_id NOT IN (SELECT tenancy_id FROM import_tenancies) "
                "AND l.tenancy_id NOT IN (SELECT tenancy_id FROM import_held)"
            )
            self._exec(
                f"INSERT INTO import_affected (tenancy_id) SELECT DISTINCT l.tenancy_id FROM arrears_ledgerline l "
                f"WHERE {period} AND {absent}",
                [*self.period, self.partner_id],
            )
            self._delete_lines(f"{period} AND {absent}", [*self.period, self.partner_id])
        # The file's tenancies: their stored lines in the period give way to the file's. (Comparing the
        # lines first to rewrite only changed tenancies was measured slower than rewriting them all.)
        self._delete_lines(f"{period} AND {mine}", self.period)
        # The lines go straight into the ledger (COPY on PostgreSQL): every value was checked while
        # parsing, so a staging table would only write them twice (ADR 0010).
        started = time.monotonic()
        db.load(self.cursor, "arrears_ledgerline", self._line_columns(rows, booking))
        self.timings["COPY arrears_ledgerline"] = round(time.monotonic() - started, 3)
        if brought_forward:
            db.load(self.cursor, "arrears_ledgerline", brought_forward)
        self.summary.update(lines=len(rows), lines_replaced=self.summary.get("lines_replaced", 0))

    def _before_horizon(self, rows, booking):
        """Leave out the rows booked before the ledger horizon; returns the rest and the columns of the
        brought-forward lines for tenancies that have none yet (``None``: nothing to add)."""
        self.cursor.execute("SELECT MAX(booking_date) FROM arrears_ledgerline WHERE ledger_import_id IS NULL")
        horizon = self.cursor.fetchone()[0]
        if horizon is None:
            return rows, None
        if isinstance(horizon, str):  # SQLite
            horizon = dt.date.fromisoformat(horizon)
        early_codes = np.asarray([d is not None and d < horizon for d in booking.values] + [False])
        early = early_codes[booking.codes[rows]]
        if not early.any():
            return rows, None
        p = self.parsed
        early_rows, rows = rows[early], rows[~early]
        self.summary["lines_before_window"] = len(early_rows)
        tenancies = self.tenancy_of[p.contract.codes[early_rows]]
        # Tenancies whose stored ledger already reaches back there: brought forward, or kept whole
        # because they owe from before the window. Their earlier history is what is stored.
        self.cursor.execute(
            "SELECT DISTINCT l.tenancy_id FROM arrears_ledgerline l "
            "JOIN import_tenancies t ON t.tenancy_id = l.tenancy_id "
            f"WHERE l.ledger_import_id IS NULL OR l.booking_date < {self.db.date()}",
            [horizon],
        )
        carried = np.asarray([r[0] for r in self.cursor.fetchall()], np.int64)
        new = ~np.isin(tenancies, carried)
        if not new.any():
            return rows, None
        ids, index = np.unique(tenancies[new], return_inverse=True)
        totals = np.bincount(index, weights=p.amount_c[early_rows][new], minlength=len(ids)).round().astype(np.int64)
        booking_date, due_date, description = brought_forward(horizon)
        n = len(ids)
        return rows, {
            "tenancy_id": ids,
            "booking_date": np.asarray([booking_date] * n, dtype=object),
            "due_date": np.asarray([due_date] * n, dtype=object),
            "amount": np.asarray([_cents_text(c) for c in totals.tolist()], dtype=object),
            "description": np.asarray([description] * n, dtype=object),
            "ledger_import_id": np.asarray([None] * n, dtype=object),
        }

    def _delete_lines(self, where, params):
        # A brought-forward line (no import) is not part of any file's period.
        where = f"{where} AND l.ledger_import_id IS NOT NULL"
        sql = (
            f"DELETE FROM arrears_ledgerline l WHERE {where}"
            if self.db.pg
            else f"DELETE FROM arrears_ledgerline WHERE id IN (SELECT l.id FROM arrears_ledgerline l WHERE {where})"
        )
        self.summary["lines_replaced"] = self.summary.get("lines_replaced", 0) + self._exec(sql, params)

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
        amounts.values = [_cents_text(c) for c in amounts.values]
        text = p.cols.get("description")
        if text is None:
            descriptions = Factor(np.zeros(len(rows), np.int64), [""])
        else:
            codes = text.codes[rows]
            # A description too long for the column was reported and is left empty.
            texts = ["" if v is None else v for v in text.values[:-1]]
            descriptions = Factor(np.where(codes >= 0, codes, len(text.values) - 1), [*texts, ""])
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
            f"SELECT l.tenancy_id, {db.sum_cents('l.amount')}, -{db.sum_cents('l.amount', 'l.amount < 0')}, "
            "MAX(CASE WHEN l.amount < 0 AND l.ledger_import_id IS NOT NULL THEN l.booking_date END) "
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
