import datetime as dt

import pytest

from arrears.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 25), True),  # a Wednesday
        (dt.date(2026, 11, 28), False),  # Saturday
        (dt.date(2026, 12, 25), False),  # Christmas
        (dt.date(2026, 4, 27), False),  # King's Day
        (dt.date(2026, 5, 14), False),  # Ascension Day
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_add_working_days_skips_weekend_and_christmas():
    # Wed 23 Dec 2026: Thu 24 is a working day, Fri 25 Christmas, then the weekend.
    assert add_working_days(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 24)
    assert add_working_days(dt.date(2026, 12, 23), 2) == dt.date(2026, 12, 28)
    assert add_working_days(dt.date(2026, 11, 27), 0) == dt.date(2026, 11, 27)


def test_add_working_days_rejects_negative():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 1), -1)


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 27)) == 5  # Fri → next Fri
    assert working_days_between(dt.date(2026, 11, 27), dt.date(2026, 11, 20)) == 0
