"""The dashboards' periods in Europe/Amsterdam: ISO weeks (Monday 00:00 to the next Monday 00:00 local time)
and calendar quarters (the DDAS monitor export's periods: 1 January to 31 March, …, by local date)."""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday

    @classmethod
    def containing(cls, day: dt.date) -> "Week":
        return cls(day - dt.timedelta(days=day.weekday()))

    @classmethod
    def parse(cls, value: str) -> "Week":
        """``2026-W05`` → that ISO week; ``ValueError`` with a readable message otherwise."""
        match = WEEK_RE.match(value or "")
        if not match:
            raise ValueError(f"{value!r} is not an ISO week like 2026-W05")
        try:
            return cls(dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1))
        except ValueError as error:
            raise ValueError(f"{value!r} is not an ISO week: {error}") from None

    @property
    def end(self) -> dt.date:
        """The Monday after (exclusive)."""
        return self.start + dt.timedelta(days=7)

    @property
    def first_day(self) -> dt.date:
        return self.start

    @property
    def last_day(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=local_tz())

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(), tzinfo=local_tz())

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def shifted(self, weeks: int) -> "Week":
        return Week(self.start + dt.timedelta(weeks=weeks))

    def __str__(self):
        return self.label


def current_week(now: dt.datetime | None = None) -> Week:
    return Week.containing(timezone.localtime(now or timezone.now()).date())


def last_weeks(count: int, *, until: Week) -> list[Week]:
    """The ``count`` weeks up to and including ``until``, oldest first."""
    return [until.shifted(-offset) for offset in range(count - 1, -1, -1)]


QUARTER_RE = re.compile(r"^([0-9]{4})-Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter: the periods the national DDAS monitor reports in, and the export's default
    (``reporting.forms.previous_quarter``). Days are local calendar dates, both ends inclusive."""

    year: int
    number: int  # 1 to 4

    @classmethod
    def containing(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, value: str) -> "Quarter":
        """``2026-Q1`` → that quarter; ``ValueError`` with a readable message otherwise."""
        match = QUARTER_RE.match(value or "")
        if not match:
            raise ValueError(f"{value!r} is not a quarter like 2026-Q1")
        quarter = cls(int(match.group(1)), int(match.group(2)))
        try:
            quarter.first_day, quarter.last_day  # noqa: B018 — year 0 or the end of 9999 have no dates
        except ValueError as error:
            raise ValueError(f"{value!r} is not a quarter: {error}") from None
        return quarter

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return self.shifted(1).first_day - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    def shifted(self, quarters: int) -> "Quarter":
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self):
        return self.label


def current_quarter(now: dt.datetime | None = None) -> Quarter:
    return Quarter.containing(timezone.localtime(now or timezone.now()).date())


def last_quarters(count: int, *, until: Quarter) -> list[Quarter]:
    """The ``count`` quarters up to and including ``until``, oldest first."""
    return [until.shifted(-offset) for offset in range(count - 1, -1, -1)]
