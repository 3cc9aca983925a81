"""The eviction track (issue 15): the one place that knows when a case is a *crisis*.

A case is a crisis when an eviction is announced (``Case.eviction_date``: the planned eviction date,
set by an "announced" step or by ``services.casework.eviction_date_record``) or a judgment granted the
eviction (``Case.eviction_granted_on``). The steps themselves are :class:`arrears.models.EvictionStep`
rows; ``services.casework.eviction_step_record`` keeps these two Case fields in step with them. The
queue, routing, the DDAS export, the API and the case page all ask here. It makes no queries, so the
Case model can ask it (bulk routing passes rows of field values).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db.models import Q

from arrears import workdays

if TYPE_CHECKING:
    from arrears.models import Case

#: A case, or a row of its field values (``QuerySet.values()``).
CaseOrRow: TypeAlias = "Case | dict[str, Any]"

#: The Case fields the crisis rule reads (bulk reads load these).
FIELDS = ("eviction_date", "eviction_granted_on")


def _get(case_or_row: CaseOrRow, field: str) -> object:
    return case_or_row[field] if isinstance(case_or_row, dict) else getattr(case_or_row, field)


def is_crisis(case_or_row: CaseOrRow) -> bool:
    """An announced eviction date, or a judgment granting the eviction (DDAS ``crisis``)."""
    return any(_get(case_or_row, field) is not None for field in FIELDS)


def crisis_q(prefix: str = "") -> Q:
    """The same rule as a filter; ``prefix`` for a related case (``"case__"``)."""
    return Q(**{f"{prefix}eviction_date__isnull": False}) | Q(**{f"{prefix}eviction_granted_on__isnull": False})


def working_days_left(eviction_date: dt.date | None, today: dt.date) -> int | None:
    """The countdown shown with a crisis: working days from today up to the eviction date (0 on the
    day itself or once it has passed; None without a date)."""
    if eviction_date is None:
        return None
    return workdays.working_days_between(today, eviction_date)
