"""ISO weeks in Europe/Amsterdam: a week runs from Monday 00:00 to the next Monday 00:00 local time."""

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
