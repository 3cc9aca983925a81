"""``manage.py dashboard_snapshot [--partner SLUG] [--weeks 52] [--replace]``: store the dashboards'
completed weeks now, as the nightly task does (e.g. right after loading history)."""

from django.core.management.base import BaseCommand, CommandError

from partners.models import Partner
from reporting.snapshots import snapshot_missing, snapshot_week
from reporting.weeks import current_week, last_weeks


class Command(BaseCommand):
    help = "Store the weekly dashboard figures of completed weeks that have no snapshot yet."

    def add_arguments(self, parser):
        parser.add_argument("--partner", help="partner slug (default: every active partner)")
        parser.add_argument("--weeks", type=int, default=52, help="how many completed weeks back (default 52)")
        parser.add_argument("--replace", action="store_true", help="recompute weeks that are already stored")

    def handle(self, *args, partner=None, weeks=52, replace=False, **options):
        if not 1 <= weeks <= 520:
            raise CommandError("--weeks must be between 1 and 520")
        partners = Partner.objects.filter(is_active=True).order_by("slug")
        if partner:
            partners = partners.filter(slug=partner)
            if not partners.exists():
                raise CommandError(f"--partner {partner}: no active partner with that slug")
        for each in partners:
            if replace:
                wanted = last_weeks(weeks, until=current_week().shifted(-1))
                written = sum(snapshot_week(partner=each, week=week, replace=True) for week in wanted)
            else:
                written = snapshot_missing(partner=each, weeks=weeks)
            self.stdout.write(f"{each.slug}: {written} weeks stored")
