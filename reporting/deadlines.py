"""The contact deadline on the dashboards: a case should have a first contact attempt within 5 Dutch
working days of entering the partner's work (``arrears.workdays`` counts them).

SQL cannot count Dutch working days, so the deadline is turned into plain date ranges here: the deadline
never decreases as the start date increases, so the start dates whose deadline falls in a period form
one contiguous range. *Overdue* (open, past the deadline, not attempted) is the queue's own rule,
``arrears.selectors.queue.contact_cutoff``, so that the dashboard's count and the queue's filter agree
(ADR 0092).
"""

import datetime as dt

from arrears.workdays import add_working_days

CONTACT_WITHIN_WORKING_DAYS = 5
# Five working days never span more than this many calendar days, even across Christmas and Easter.
_MAX_SPAN = dt.timedelta(days=21)


def deadline(start: dt.date) -> dt.date:
    return add_working_days(start, CONTACT_WITHIN_WORKING_DAYS)


def starts_with_deadline_in(first: dt.date, before: dt.date) -> dict[dt.date, dt.date]:
    """Start date → deadline, for every start date whose deadline is on or after ``first`` and before
    ``before``."""
    result = {}
    day = first - _MAX_SPAN
    while day < before:
        due = deadline(day)
        if first <= due < before:
            result[day] = due
        day += dt.timedelta(days=1)
    return result
