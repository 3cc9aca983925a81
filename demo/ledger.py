"""Demo rent ledgers: twelve months of bookings per demo tenancy, written as the transaction-ledger
exports a corporation's ERP would send (``;``-separated, decimal comma, ``dd-mm-yyyy``).

Each tenancy has a payment behaviour drawn from its contract number (so the history is the same on
every run): most pay on time, some pay late now and then, some slide into arrears and recover or not,
a few are in arrears throughout. Exports are cut at the *export dates* (weekly for the last thirteen
weeks, four-weekly before), each holding the lines booked since the previous export.
"""

import calendar
import datetime as dt
import random
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HEADER = "Contractnummer;Boekdatum;Vervaldatum;Bedrag;Omschrijving\n"
MONTHS_NL = "januari februari maart april mei juni juli augustus september oktober november december".split()


@dataclass(frozen=True)
class DemoTenancy:
    contract_number: str
    monthly_rent: Decimal


def export_dates(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """Mondays on which the demo corporations exported their ledger, oldest first, ending at the last
    Monday on or before ``as_of``."""
    last = as_of - dt.timedelta(days=as_of.weekday())
    first = _add_months(as_of.replace(day=1), -(months - 1))
    dates = [last - dt.timedelta(weeks=w) for w in range(13)]
    day = dates[-1] - dt.timedelta(weeks=4)
    while day > first:
        dates.append(day)
        day -= dt.timedelta(weeks=4)
    return sorted(dates)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _euro(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def tenancy_lines(tenancy: DemoTenancy, first_month: dt.date, last_day: dt.date) -> list[tuple[dt.date, str]]:
    """The booking lines of one tenancy from ``first_month`` to ``last_day``: ``(booking date, csv line)``."""
    rng = random.Random(f"ledger-{tenancy.contract_number}")
    rent = tenancy.monthly_rent
    months = []
    month = first_month
    while month <= last_day:
        months.append(month)
        month = _add_months(month, 1)
    roll = rng.random()
    if roll < 0.80:
        behaviour = "punctual"
    elif roll < 0.90:
        behaviour = "late"
    elif roll < 0.97:
        behaviour = "sliding"
    else:
        behaviour = "chronic"
    slide_from = rng.randrange(len(months))
    recover_at = slide_from + rng.randint(2, 6) if rng.random() < 0.5 else None
    owed = Decimal("0")
    lines = []
    for number, month in enumerate(months):
        description = f"Huur {MONTHS_NL[month.month - 1]} {month.year}"
        lines.append(
            (month, f"{tenancy.contract_number};{month:%d-%m-%Y};{month:%d-%m-%Y};{_euro(rent)};{description}")
        )
        owed += rent
        pay_day = month + dt.timedelta(days=rng.randint(-3, 4))
        paid = rent
        if behaviour == "late" and rng.random() < 0.3:
            pay_day = month + dt.timedelta(days=rng.randint(15, 40))
        elif behaviour == "sliding" and number >= slide_from:
            if recover_at is not None and number >= recover_at:
                paid = owed  # caught up, with help or a payment arrangement
                pay_day = month + dt.timedelta(days=rng.randint(5, 20))
            else:
                paid = (rent * Decimal(rng.choice(("0", "0", "0.5", "1")))).quantize(Decimal("0.01"))
        elif behaviour == "chronic":
            paid = (rent * Decimal(rng.choice(("0", "0.5", "0.6", "1")))).quantize(Decimal("0.01"))
        if paid > 0 and pay_day <= last_day:
            lines.append((pay_day, f"{tenancy.contract_number};{pay_day:%d-%m-%Y};;-{_euro(paid)};Betaling huurder"))
            owed -= paid
    return lines


def write_exports(
    tenancies: Iterable[DemoTenancy], *, directory: Path, prefix: str, as_of: dt.date, months: int = 12
) -> list[tuple[dt.date, Path]]:
    """Write one export per export date into ``directory``; returns ``[(export date, path)]`` oldest first,
    leaving out dates without a single booking.

    A line booked after the last export date is left for a later export, as a real ERP would.
    """
    dates = export_dates(as_of, months)
    first_month = _add_months(as_of.replace(day=1), -(months - 1))
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{prefix}-{day:%Y-%m-%d}.csv" for day in dates]
    handles = [path.open("w", encoding="utf-8", newline="") for path in paths]
    used = [False] * len(paths)
    try:
        for handle in handles:
            handle.write(HEADER)
        for tenancy in tenancies:
            for booked, line in tenancy_lines(tenancy, first_month, dates[-1]):
                # The first export also carries everything booked before it (the opening history).
                index = bisect_left(dates, booked)
                handles[index].write(line + "\n")
                used[index] = True
    finally:
        for handle in handles:
            handle.close()
    # A week without a single booking sends no file (the import rightly rejects a header-only file).
    for path, is_used in zip(paths, used, strict=True):
        if not is_used:
            path.unlink()
    return [(day, path) for day, path, is_used in zip(dates, paths, used, strict=True) if is_used]
