"""``manage.py purge_personal_data [--dry-run]``: the retention purge by hand (nightly it runs as a
Celery beat task). Prints counts only."""

from django.core.management.base import BaseCommand

from arrears.models import PurgeRun
from arrears.services.retention import COUNT_KEYS, personal_data_purge


class Command(BaseCommand):
    help = "Anonymise personal data whose retention period (DOMAIN.md §5) has passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would go; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts, run = personal_data_purge(trigger=PurgeRun.Trigger.COMMAND, dry_run=dry_run)
        heading = "Dry run: would purge" if dry_run else f"Purged (run {run.pk})"
        self.stdout.write(heading)
        width = max(len(key) for key in COUNT_KEYS)
        for key in COUNT_KEYS:
            self.stdout.write(f"  {key:<{width}}  {counts[key]:>7}")
