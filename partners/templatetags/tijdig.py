"""Presentation helpers: Dutch money and dates, whatever the active language."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

register = template.Library()
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def format_euro(value):
    """``Decimal('1234.5')`` → ``€ 1.234,50``; negative amounts as ``€ -12,50``."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"€ {sign}{'.'.join(groups)},{cents}"


register.filter("euro", format_euro)


def _local_date(value):
    """A ``date`` as it is in the Netherlands: aware datetimes are converted to Europe/Amsterdam; an ISO
    string (``2026-03-05``, as JSON data carries dates) is parsed."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, AMSTERDAM)
        return value.date()
    return value


def format_date(value):
    """``date(2026, 3, 5)`` → ``05-03-2026`` (dd-mm-jjjj), whatever the active language."""
    if not value:
        return "–"
    return _local_date(value).strftime("%d-%m-%Y")


def format_datetime(value):
    """An aware datetime → ``05-03-2026 14:07`` in Europe/Amsterdam."""
    if not value:
        return "–"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, AMSTERDAM)
        return value.strftime("%d-%m-%Y %H:%M")
    return format_date(value)


def format_decimal(value, places=1):
    """``Decimal('1.25')`` → ``1,3`` (Dutch decimal comma, half up)."""
    if value is None or value == "":
        return "–"
    quantum = Decimal(1).scaleb(-int(places))
    amount = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{amount:f}".replace(".", ",")


def days_since(value, today=None):
    """Whole days from ``value`` (date or datetime) to today in the Netherlands; ``None`` stays ``None``."""
    if not value:
        return None
    today = today or timezone.localdate(timezone=AMSTERDAM)
    return (today - _local_date(value)).days


def days_until(start, end):
    """Whole days from ``start`` to ``end`` (dates or datetimes, in the Netherlands); ``None`` if either
    is missing. ``{{ origin|days_until:case.signalled_at }}``: how long the arrears ran before the signal."""
    if not start or not end:
        return None
    return (_local_date(end) - _local_date(start)).days


register.filter("nl_date", format_date)
register.filter("nl_datetime", format_datetime)
register.filter("nl_decimal", format_decimal)
register.filter("days_since", days_since)
register.filter("days_until", days_until)


@register.simple_tag
def query_with(query, **changes):
    """``?`` + the query string ``query`` with ``changes`` applied (``None`` removes a key).

    Pages that keep their state in a cleaned query string (the queue) build their links from it, not
    from ``request.GET``, so nothing a form did not validate is ever repeated in a link."""
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return "?" + urlencode(pairs)


@register.simple_tag
def next_sort(current, key):
    """The sort key a column header links to: ascending first, then descending, then ascending again."""
    return f"-{key}" if current == key else key


@register.simple_tag
def aria_sort(current, key):
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"
