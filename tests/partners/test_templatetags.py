from decimal import Decimal

import pytest

from partners.templatetags.tijdig import format_euro


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), "€ 1.234,56"),
        (Decimal("0"), "€ 0,00"),
        (Decimal("-12.5"), "€ -12,50"),
        (1234567, "€ 1.234.567,00"),
        (Decimal("0.005"), "€ 0,01"),
        (None, "–"),
    ],
)
def test_format_euro(value, expected):
    assert format_euro(value) == expected


import datetime as dt  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from partners.templatetags.tijdig import (  # noqa: E402
    aria_sort,
    days_since,
    format_date,
    format_datetime,
    format_decimal,
    next_sort,
    query_with,
)


def test_dates_are_dutch_and_in_amsterdam_time():
    assert format_date(dt.date(2026, 3, 5)) == "05-03-2026"
    late_evening_utc = dt.datetime(2026, 3, 5, 23, 30, tzinfo=dt.UTC)  # already 6 March in Amsterdam
    assert format_date(late_evening_utc) == "06-03-2026"
    assert format_datetime(late_evening_utc) == "06-03-2026 00:30"
    assert format_datetime(dt.date(2026, 3, 5)) == "05-03-2026"
    assert format_date(None) == "–" and format_datetime(None) == "–"
    assert format_date("2026-03-05") == "05-03-2026"  # ISO dates from JSON data


def test_decimal_comma():
    assert format_decimal(Decimal("1.25")) == "1,3"
    assert format_decimal(Decimal("3"), 2) == "3,00"
    assert format_decimal(None) == "–"


def test_days_since():
    today = dt.date(2026, 3, 10)
    assert days_since(dt.date(2026, 3, 1), today) == 9
    assert days_since(dt.datetime(2026, 3, 9, 23, 30, tzinfo=ZoneInfo("Europe/Amsterdam")), today) == 1
    assert days_since(None) is None


def test_query_with_replaces_and_removes_keys():
    assert query_with("state=new&page=3", page=None, sort="amount") == "?state=new&sort=amount"
    assert query_with("", page=2) == "?page=2"


def test_sort_helpers():
    assert next_sort("amount", "amount") == "-amount"
    assert next_sort("-amount", "amount") == "amount"
    assert aria_sort("-amount", "amount") == "descending"
    assert aria_sort("urgency", "amount") == "none"
