"""The ledger window: booking lines older than ``LEDGER_WINDOW_MONTHS`` are summarised into one
*balance brought forward* line (docs/adr/0072). The retention purge and the import both apply it."""

import calendar
import datetime as dt

from django.conf import settings
from django.db.models import Q


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same wall-clock moment ``months`` calendar months earlier (31 March − 1 → 28/29 Feb)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


#: The description of a brought-forward line; the date is the last day the line covers.
BROUGHT_FORWARD = "Saldo t/m %d-%m-%Y"


def brought_forward(cutoff: dt.date) -> tuple[dt.date, dt.date, str]:
    """A *balance brought forward* line's booking date, due date and description: booked on the window's
    first day (``cutoff``), due the day before, named after that day. The purge and the import both
    write such lines (docs/adr/0072)."""
    day = cutoff - dt.timedelta(days=1)
    return cutoff, day, day.strftime(BROUGHT_FORWARD)


def ledger_cutoff(now: dt.datetime) -> dt.date:
    """The first booking date of the ledger window at ``now``."""
    return months_before(now, settings.TIJDIG["LEDGER_WINDOW_MONTHS"]).date()


def old_lines_q(cutoff: dt.date) -> Q:
    """Lines booked before the window: what a brought-forward line summarises."""
    return Q(booking_date__lt=cutoff)
