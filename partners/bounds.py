"""The bounds of what a request may ask for: object ids, page numbers and business dates.

Anything a person or a system types reaches these checks before it reaches the database or date
arithmetic, so an absurd value is a 4xx or a form error, never a 500 (docs/adr/0067): a 20-digit page
number does not become an ``OFFSET`` PostgreSQL cannot hold, a 30-digit id does not overflow SQLite's
integers, and ``9999-12-31`` does not overflow ``date + 1 day``. Pages, forms, the API and commands use
these, and nothing else decides the ranges.
"""

import datetime as dt

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

#: The largest primary key (PostgreSQL ``bigint``, SQLite ``INTEGER``); ids are 1 or more.
MAX_ID = 2**63 - 1
#: The largest page number a paginated page accepts (a page past the end shows the last page anyway).
MAX_PAGE = 10**6

#: Business dates (contact attempts, checklist steps, respite, arrangements, export periods) lie in this
#: range: wide enough for any real case, far enough from the calendar's ends that deadline arithmetic
#: (working days, "the day after", the time zone's offset) never leaves it.
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)


def parse_id(value: object) -> int | None:
    """An object id (``1`` … :data:`MAX_ID`, ASCII digits only), or ``None`` for anything else."""
    text = str(value) if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_or_404(value: object) -> int:
    """:func:`parse_id` for a lookup: anything that is no id is simply not found."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def beyond_any_id(text: str) -> bool:
    """``text`` is a plain number larger than any id (without converting more digits than an id has:
    Python refuses ``int()`` of very long numbers)."""
    if not text.isascii() or not text.isdigit():
        return False
    digits = text.lstrip("0")
    return len(digits) > len(str(MAX_ID)) or int(digits or "0") > MAX_ID


def parse_page(value: object, default: int = 1) -> int:
    """A page number from a query string: ``default`` when missing or not a number, at most :data:`MAX_PAGE`."""
    text = str(value) if value is not None else ""
    if not text.isascii() or not text.isdigit():
        return default
    if len(text) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(1, int(text)), MAX_PAGE)


#: The message for a date outside the range (a literal, for the translation catalogue: keep it in step).
DATE_RANGE_MESSAGE = _("Give a date between 2000-01-01 and 2100-12-31.")


def is_business_date(value: object) -> bool:
    return isinstance(value, dt.date) and FIRST_DATE <= _as_date(value) <= LAST_DATE


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


class BusinessDateField(forms.DateField):
    """A form's date field that refuses dates outside :data:`FIRST_DATE` … :data:`LAST_DATE`."""

    def validate(self, value: object) -> None:
        super().validate(value)
        if value is not None and not is_business_date(value):
            raise forms.ValidationError(DATE_RANGE_MESSAGE, code="date_range")
