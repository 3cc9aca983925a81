"""The eviction track's columns (issue 15, docs/adr/0081-eviction-track.md, *Import*): optional, per
tenancy like the master data, in either shape of export.

A contract's steps come from the last of its rows that fills any eviction column. Each filled date is a
step: ``Datum dagvaarding`` a summons, ``Zittingsdatum`` a hearing, ``Vonnisdatum`` with ``Vonnis``
(*toegewezen*/*afgewezen*) a judgment granting or refusing the eviction, ``Ontruimingsdatum`` an announced
eviction (``Datum aanzegging``: when it was announced), ``Ontruiming uitgevoerd`` and ``Ontruiming
ingetrokken`` an executed or cancelled eviction. A bad value, a judgment without its result (or the other
way round), an announcement without an eviction date or an eviction date before its announcement is a
warning on that row: that step is left out, the rest of the row is imported. The ledger only reads the
steps; the case app records them on the tenancy's open case (:mod:`ledger.hooks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from ledger.hooks import ImportedEvictionStep
from ledger.importing import fields


@dataclass(frozen=True)
class FileStep:
    """A step as the file gives it, before the contract is resolved to a tenancy."""

    code: int  # the contract's code in ``ParsedFile.contract``
    kind: str
    date: dt.date
    line: int
    column: str
    value: str
    announced_on: dt.date | None = None


#: Date columns that are a step on their own, in the order of the track.
_SINGLE = (("summons_date", "summons"), ("hearing_date", "hearing"))
_ENDINGS = (("eviction_executed_date", "executed"), ("eviction_cancelled_date", "cancelled"))


def steps_from(parsed: Any, columns: dict[str, Any]) -> list[FileStep]:
    """The steps of each contract's last row that fills an eviction column (``columns``: field →
    ``parsing.Column`` over all rows), in the order of the track; problems go to ``parsed.errors``."""
    codes = parsed.contract.codes
    filled = np.zeros(len(codes), bool)
    for column in columns.values():
        filled |= ~column.empty
    candidates = np.flatnonzero(filled & parsed.live & (codes >= 0))
    if not len(candidates):
        return []
    from_end = candidates[::-1]
    _unique, first = np.unique(codes[from_end], return_index=True)
    steps: list[FileStep] = []
    for row in np.sort(from_end[first]).tolist():
        steps += _Row(parsed, columns, row).steps()
    return steps


def imported(parsed: Any, applied: np.ndarray, tenancy_of: np.ndarray) -> list[ImportedEvictionStep]:
    """The file's steps of the contracts whose rows were applied, with their tenancy."""
    done = set(np.unique(parsed.contract.codes[applied]).tolist())
    return [
        ImportedEvictionStep(
            tenancy_id=int(tenancy_of[s.code]),
            kind=s.kind,
            date=s.date,
            line=s.line,
            column=s.column,
            value=s.value,
            announced_on=s.announced_on,
        )
        for s in parsed.eviction or ()
        if s.code in done
    ]


class _Row:
    def __init__(self, parsed: Any, columns: dict[str, Any], row: int) -> None:
        self.parsed, self.columns = parsed, columns
        self.line = int(parsed.lines[row])
        self.code = int(parsed.contract.codes[row])
        self.bad: set[str] = set()
        # field → (value, header, raw cell) of a filled, sound cell
        self.cells: dict[str, tuple[Any, str, str]] = {}
        for name, column in columns.items():
            index = column.codes[row]
            if index < 0:
                continue
            raw = column.uniques[index]
            if index in column.problems:
                problem = column.problems[index]
                self.warn(column.header, raw, problem.code, problem.reason)
                self.bad.add(name)
            else:
                self.cells[name] = (column.values[index], str(column.header), str(raw))
        self.out: list[FileStep] = []

    def warn(self, column: object, value: object, code: str, reason: str, *, whole: bool = False) -> None:
        """A warning on this row; ``whole``: the reason already says what is left out."""
        if not whole:
            reason = _("%(reason)s; the eviction step is not recorded") % {"reason": reason}
        self.parsed.errors.add(line=self.line, column=column, value=value, code=code, reason=reason, rejected=False)

    def header(self, name: str) -> str:
        return str(self.columns[name].header) if name in self.columns else fields.label(name)

    def step(self, kind: str, name: str, announced_on: dt.date | None = None) -> None:
        date, header, raw = self.cells[name]
        self.out.append(FileStep(self.code, kind, date, self.line, header, raw, announced_on))

    def steps(self) -> list[FileStep]:
        cells = self.cells
        for name, kind in _SINGLE:
            if name in cells:
                self.step(kind, name)
        self._judgment()
        self._announcement()
        if all(name in cells for name, _kind in _ENDINGS):
            name = "eviction_cancelled_date"
            reason = _("an eviction cannot be both executed and cancelled; neither step is recorded")
            self.warn(self.header(name), cells[name][2], "executed_and_cancelled", reason, whole=True)
        else:
            for name, kind in _ENDINGS:
                if name in cells:
                    self.step(kind, name)
        return self.out

    def _judgment(self) -> None:
        cells, bad = self.cells, self.bad
        if "judgment_date" in cells and "judgment" in cells:
            self.step(f"judgment_{cells['judgment'][0]}", "judgment_date")
        elif "judgment_date" in cells and "judgment" not in bad:
            reason = _("a judgment date without its result (toegewezen or afgewezen)")
            self.warn(self.header("judgment"), "", "missing_value", reason)
        elif "judgment" in cells and "judgment_date" not in bad:
            reason = _("a judgment without its date (%(column)s)") % {"column": self.header("judgment_date")}
            self.warn(self.header("judgment"), cells["judgment"][2], "missing_value", reason)

    def _announcement(self) -> None:
        cells, bad = self.cells, self.bad
        announced = cells.get("announcement_date")
        if "eviction_date" in cells:
            eviction = cells["eviction_date"]
            if announced is not None and eviction[0] < announced[0]:
                reason = _("the eviction date lies before the announcement (%(date)s)") % {
                    "date": announced[0].strftime("%d-%m-%Y")
                }
                self.warn(self.header("eviction_date"), eviction[2], "eviction_before_announcement", reason)
            else:
                self.step("announced", "eviction_date", announced[0] if announced else None)
        elif announced is not None and "eviction_date" not in bad:
            reason = _("an announcement without the eviction date (%(column)s)") % {
                "column": self.header("eviction_date")
            }
            self.warn(self.header("announcement_date"), announced[2], "missing_value", reason)
