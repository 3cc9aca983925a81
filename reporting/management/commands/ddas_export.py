"""``manage.py ddas_export --municipality 0505 --from 2026-01-01 --to 2026-03-31 [--output FILE]``:
the DDAS Vroegsignalering monitor export of one municipality for a period, as JSON."""

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.errors import DomainError
from partners.models import Municipality
from reporting.ddas import monitor_export


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2026-01-31") from None


class Command(BaseCommand):
    help = "Write the DDAS Vroegsignalering v0.9 monitor export of a municipality for a period (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="CBS municipality code, e.g. 0505")
        parser.add_argument("--from", dest="date_from", required=True, help="first day, e.g. 2026-01-01")
        parser.add_argument("--to", dest="date_to", required=True, help="last day, e.g. 2026-03-31")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, municipality, date_from, date_to, output=None, **options):
        place = Municipality.objects.filter(code=municipality).first()
        if place is None:
            raise CommandError(f"--municipality {municipality}: no municipality with that CBS code")
        try:
            document = monitor_export(
                municipality=place,
                date_from=_date(date_from),
                date_to=_date(date_to),
                channel="command ddas_export",
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if not output:
            sys.stdout.write(text)
            return
        target = Path(output)
        # Write next to the target and rename: never a half-written file.
        handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, target)
        signals = len(document["leveringen"][0]["vroegsignalen"])
        self.stderr.write(f"{target}: {signals} signals for {place} from {date_from} to {date_to}")
