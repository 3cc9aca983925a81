"""``manage.py purge_personal_data [--dry-run] [--as-of DATE]``: the retention purge by hand (nightly it
runs as a Celery beat task). Prints counts only. ``--as-of`` runs the rules as if it were that day (an
administrator sees what a date will remove; tests travel in time). On an existing installation the
first run is also the clean-up: it strips the personal fields of households without an open or recent
arrears episode and removes stored files past their window (docs/privacy.md)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy.models import PurgeRun
from privacy.services.retention import COUNT_KEYS, personal_data_purge


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of: not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Remove personal data, ledger lines and stored files whose retention period has passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would go; change nothing.")
        parser.add_argument(
            "--as-of", type=_date, help="Apply the periods as if it were this day (YYYY-MM-DD, end of the day)."
        )

    def handle(self, *args, dry_run=False, as_of=None, **options):
        now = None
        if as_of is not None:
            now = timezone.make_aware(dt.datetime.combine(as_of, dt.time(23, 59, 59)))
        counts, run = personal_data_purge(trigger=PurgeRun.Trigger.COMMAND, dry_run=dry_run, now=now)
        heading = "Dry run: would purge" if dry_run else f"Purged (run {run.pk})"
        if as_of is not None:
            heading += f" as of {as_of.isoformat()}"
        self.stdout.write(heading)
        width = max(len(key) for key in COUNT_KEYS)
        for key in COUNT_KEYS:
            self.stdout.write(f"  {key:<{width}}  {counts.get(key, 0):>7}")
