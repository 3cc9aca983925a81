"""Import rent-ledger files from disk: ``import_ledger --partner <slug> [--profile <name>] FILE…``.

Shows a progress bar and a summary per file; ``--json`` prints one JSON object on the last line.
Exit status: 0 when every file was imported (or had been before), 1 when a file was rejected or
failed, 2 for a usage error (unknown partner, profile or file).
"""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ledger.importing.errors import ImportRejected
from ledger.models import ImportProfile, LedgerImport
from ledger.services import STEPS, import_run, import_submit
from partners.errors import DomainError
from partners.models import Partner

COUNTS = ("rows", "tenancies", "rejected_rows", "new_signals", "updated_signals", "closed_signals")


class Command(BaseCommand):
    help = "Import rent-ledger files (CSV or XLSX) for a housing corporation."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--partner", required=True, help="The corporation's slug.")
        parser.add_argument("--profile", help="Import profile name (default: the partner's default profile).")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="Export date, yyyy-mm-dd (default: ADR 0012).")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON on the last line.")

    def handle(self, *args, **options):
        self.json = options["json"]
        partner = Partner.objects.filter(slug=options["partner"]).first()
        if partner is None:
            raise CommandError(f"Unknown partner “{options['partner']}”.", returncode=2)
        profile = None
        if options["profile"]:
            profile = ImportProfile.objects.filter(partner=partner, name=options["profile"]).first()
            if profile is None:
                names = ", ".join(partner.import_profiles.values_list("name", flat=True)) or "none"
                raise CommandError(
                    f"{partner.slug} has no import profile “{options['profile']}” (it has: {names}).", returncode=2
                )
        paths = [Path(f) for f in options["files"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}", returncode=2)
        results = [self._one(path, partner, profile, options) for path in paths]
        failed = [r for r in results if r["status"] not in (LedgerImport.Status.SUCCEEDED,)]
        if options["json"]:
            total = {key: sum(r["summary"].get(key, 0) for r in results) for key in COUNTS}
            total["errors"] = [dict(e, file=r["file"]) for r in results for e in r["errors"]]
            total["imports"] = results
            total["status"] = "failed" if failed else "succeeded"
            self.stdout.write(json.dumps(total, ensure_ascii=False, default=str))
        if failed:
            sys.exit(1)

    def _one(self, path, partner, profile, options):
        try:
            with path.open("rb") as handle:
                ledger_import = import_submit(
                    partner=partner,
                    file=handle,
                    file_name=path.name,
                    source=LedgerImport.Source.COMMAND,
                    profile=profile,
                    as_of=options["as_of"],
                    enqueue=False,
                )
        except ImportRejected as refused:  # the file itself (too big, not a ledger, a zip bomb): rejected, exit 1
            out = self.stderr if self.json else self.stdout
            out.write(self.style.ERROR(f"{path.name}: {LedgerImport.Status.REJECTED.label} — {refused}"))
            return {
                "file": path.name,
                "id": None,
                "status": LedgerImport.Status.REJECTED,
                "already_imported": False,
                "message": str(refused),
                "summary": {},
                "errors": [],
            }
        except DomainError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        already = ledger_import.status in (LedgerImport.Status.SUCCEEDED, LedgerImport.Status.REJECTED)
        if not already:
            with tqdm(total=len(STEPS), desc=path.name, unit="step", file=sys.stderr, leave=False) as bar:

                def progress(step):
                    bar.set_postfix_str(step)
                    bar.update(1)

                ledger_import = import_run(import_id=ledger_import.pk, progress=progress)
        self._report(path, ledger_import, already)
        return {
            "file": path.name,
            "id": ledger_import.pk,
            "status": ledger_import.status,
            "already_imported": already,
            "message": ledger_import.message,
            "summary": ledger_import.summary,
            "errors": ledger_import.errors,
        }

    def _report(self, path, imp, already):
        out = self.stderr if self.json else self.stdout
        if already:
            out.write(
                f"{path.name}: already imported as import {imp.pk} ({imp.get_status_display()}); nothing changed."
            )
        if imp.status == LedgerImport.Status.SUCCEEDED:
            s = imp.summary
            out.write(
                self.style.SUCCESS(f"{path.name}: imported (as of {s.get('as_of')}, {s.get('shape')})")
                + f" — {s.get('rows', 0)} rows, {s.get('tenancies', 0)} tenancies,"
                f" {s.get('rejected_rows', 0)} rejected;"
                f" signals: {s.get('new_signals', 0)} new, {s.get('updated_signals', 0)} updated,"
                f" {s.get('closed_signals', 0)} closed;"
                + (f" eviction steps: {s['eviction_steps']} recorded;" if "eviction_steps" in s else "")
                + f" {s.get('seconds', 0)} s"
            )
        else:
            out.write(self.style.ERROR(f"{path.name}: {imp.get_status_display()} — {imp.message}"))
        for error in imp.errors[:20]:
            # An error's value goes with the stored file after its window (ADR 0072): the position stays.
            value = f" “{error['value']}”" if "value" in error else ""
            out.write(f"  line {error['line']}, {error['column']}{value}: {error['reason']}")
        if len(imp.errors) > 20:
            out.write(f"  … and {imp.summary.get('errors_total', len(imp.errors)) - 20} more (see the import report)")
