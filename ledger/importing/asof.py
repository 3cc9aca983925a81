"""The export (as-of) date of a file, ADR 0012: the date the balances are true on.

In order: given explicitly (upload form, ``--as-of``, API); the latest date in an as-of column of the
file (``Peildatum``, ``Exportdatum``, …); a date in the file name (``2026-10-31``, ``20261031``,
``31-10-2026``, or ``2026-10`` for the last day of that month); else the day of the import
(Europe/Amsterdam) — a nightly export is imported the night it is made.
"""

import calendar
import datetime as dt
import re

from django.utils import timezone

_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)"), ("d", "m", "y")),
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d-])"), ("y", "m")),
]


def from_file_name(name: str) -> dt.date | None:
    for pattern, order in _PATTERNS:
        for match in pattern.finditer(name):
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            if not 2000 <= parts["y"] <= 2100 or not 1 <= parts["m"] <= 12:
                continue
            day = parts.get("d") or calendar.monthrange(parts["y"], parts["m"])[1]
            try:
                return dt.date(parts["y"], parts["m"], day)
            except ValueError:
                continue
    return None


def resolve(
    *, explicit: dt.date | None = None, column: dt.date | None = None, file_name: str = ""
) -> tuple[dt.date, str]:
    if explicit:
        return explicit, "given"
    if column:
        return column, "column"
    named = from_file_name(file_name)
    if named:
        return named, "file_name"
    return timezone.localdate(), "import_date"
