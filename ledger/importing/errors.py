"""What can be wrong with a ledger file: the whole file (:class:`ImportRejected`) or single rows
(:class:`RowErrors`, stored on ``LedgerImport.errors`` as ``{line, column, value, reason, code}``)."""

from django.utils.translation import gettext as _

from partners.errors import DomainError

#: At most this many row problems are stored per import (the summary counts all of them).
MAX_STORED_ERRORS = 1000


class ImportRejected(DomainError):
    """The file as a whole cannot be imported; nothing was applied. The message names the column,
    line or setting at fault."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or []


class RowErrors:
    """Row problems of one file. ``rejected`` problems keep the row out; the others are warnings (the
    row is applied, the named field left empty). Which rows are rejected is tracked by the parser;
    this only keeps the messages (a bounded number of them) and counts."""

    def __init__(self):
        self.items = []
        self.total = 0
        self.warnings = 0

    def add(self, *, line, column, value, code, reason, rejected=True):
        self.total += 1
        if not rejected:
            self.warnings += 1
        if len(self.items) >= 10 * MAX_STORED_ERRORS:
            return
        self.items.append(
            {
                "line": int(line),
                "column": str(column),
                "value": "" if value is None else str(value)[:200],
                "reason": str(reason),
                "code": code,
                "rejected": rejected,
            }
        )

    def stored(self):
        return sorted(self.items, key=lambda e: (e["line"], e["column"]))[:MAX_STORED_ERRORS]

    def __len__(self):
        return self.total

    def first_reasons(self, n=3):
        return "; ".join(_("line %(line)s, column %(column)s: %(reason)s") % e for e in self.stored()[:n])
