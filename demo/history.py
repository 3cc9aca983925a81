"""Twelve months of demo history: every export date in turn, each corporation's ledger export goes
through the real import (flagging, routing), then the case work of the days until the next export is
carried out. Idempotent: an export already imported (same file, same hash) is skipped, and case work is
only simulated for cases opened by an import of this run."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from demo.casework import AMSTERDAM, CaseworkSimulation, at, demo_clock
from demo.eviction import build_evictions
from demo.ledger import DemoTenancy, write_exports
from households.models import Household, Tenancy
from ledger.models import LedgerImport
from ledger.services import import_run, import_submit
from partners.models import Partner


@dataclass
class HistoryReport:
    imported: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)
    new_signals: int = 0
    steps: int = 0
    refused: int = 0
    eviction_steps: int = 0


def build_history(*, as_of: dt.date, corporations, casework_households=None, progress=None) -> HistoryReport:
    """``casework_households``: simulate case work only for the cases of the first that many households
    (by creation order); the others stay as the import flagged and routed them. ``None``: all."""
    report = HistoryReport()
    exports = {}
    for corporation in corporations:
        tenancies = (
            DemoTenancy(number, rent)
            for number, rent in Tenancy.objects.filter(corporation=corporation)
            .order_by("contract_number")
            .values_list("contract_number", "monthly_rent")
            .iterator(chunk_size=10_000)
        )
        directory = Path(settings.VAR_DIR) / "demo-exports" / corporation.slug
        exports[corporation] = dict(write_exports(tenancies, directory=directory, prefix=corporation.slug, as_of=as_of))
    dates = sorted({day for files in exports.values() for day in files})
    now = timezone.localtime(timezone.now(), AMSTERDAM)
    worked = None
    if casework_households is not None:
        first = Household.objects.order_by("pk").values_list("pk", flat=True)[
            casework_households - 1 : casework_households
        ]
        worked = Household.objects.filter(pk__lte=first[0]).values("pk") if first else None
    simulation = CaseworkSimulation(now=now, households=worked)
    simulating = False
    for number, day in enumerate(dates):
        moment = at(day, 6)  # the nightly export arrives before the working day starts
        if simulating:
            simulation.run_until(moment)
        new_import = False
        for corporation, files in exports.items():
            if day in files:
                new_import |= _import(corporation, files[day], moment, report)
        if new_import:
            simulating = True
            simulation.schedule_new_cases(flagged_at=moment)
        if progress:
            progress(number + 1, len(dates))
    if simulating:
        simulation.run_until(now)
    report.steps, report.refused = simulation.done, simulation.refused
    # A few crisis cases at every step of an eviction (issue 15), once the case work is done.
    report.eviction_steps = build_evictions(corporations=corporations, now=now, households=worked)
    return report


def _import(corporation: Partner, path: Path, moment: dt.datetime, report: HistoryReport) -> bool:
    """Import one export as the nightly job would, at ``moment``; ``True`` when it was new."""
    data = path.read_bytes()
    with demo_clock(moment):
        ledger_import = import_submit(
            partner=corporation, file=data, file_name=path.name, source=LedgerImport.Source.COMMAND, enqueue=False
        )
        if ledger_import.status in (LedgerImport.Status.SUCCEEDED, LedgerImport.Status.REJECTED):
            report.skipped += 1
            return False
        ledger_import = import_run(import_id=ledger_import.pk)
    if ledger_import.status != LedgerImport.Status.SUCCEEDED:
        report.rejected.append(f"{path.name}: {ledger_import.message}")
        return False
    report.imported += 1
    report.new_signals += ledger_import.summary.get("new_signals", 0)
    return True
