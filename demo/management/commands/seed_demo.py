"""``python manage.py seed_demo [--households N]``: the deterministic Drechtsteden demo world.

Partners, agreements and demo users (password ``demo``), N households with tenancies, and twelve months
of rent-ledger history. Running it twice adds nothing. Refuses to run outside the local demo
(``TIJDIG_DEMO``, docs/adr/0067) unless ``--force`` is given: it creates users with a known password.
"""

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from demo.history import build_history
from demo.households import build_households
from demo.partners import build_users, build_world
from privacy.retention import households_to_strip
from privacy.services.retention import strip_households
from reporting.snapshots import snapshot_missing


class Command(BaseCommand):
    help = "Build the deterministic Drechtsteden demo world (partners, users, households, ledger history)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=3_000, help="Number of demo households (default 3000).")
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="Last export date (default today)."
        )
        parser.add_argument(
            "--casework-households",
            type=int,
            default=5_000,
            help="Simulate case work for the cases of the first N households only (default 5000); the others "
            "stay as the import flagged and routed them. Keeps --households 100000 to minutes.",
        )
        parser.add_argument("--force", action="store_true", help="Run outside the demo too (never in production).")

    def handle(self, *args, households, as_of, casework_households, force, **options):
        if not settings.TIJDIG_DEMO and not force:
            raise CommandError(
                "seed_demo creates users with the password 'demo' and refuses to run outside the local demo "
                "(TIJDIG_DEMO=1 or DEBUG=1). "
                "Use --force only on a test or demo installation."
            )
        if households < 1:
            raise CommandError("--households must be at least 1.")
        started = time.monotonic()
        as_of = as_of or timezone.localdate()
        with transaction.atomic():
            social_service, corporations = build_world()
            users = build_users([social_service, *corporations])
        self.stdout.write(f"Partners: {social_service.name}, {', '.join(c.name for c in corporations)}")
        self.stdout.write(f"Demo users: {len(users)} (password 'demo')")
        with tqdm(total=households, desc="households", unit="hh", disable=options["verbosity"] < 1) as bar:
            created = build_households(households, progress=lambda done: bar.update(done - bar.n))
        self.stdout.write(f"Households: {created} created, {households - created} already there")
        with tqdm(total=1, desc="ledger exports", unit="week", disable=options["verbosity"] < 1) as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            history = build_history(
                as_of=as_of, corporations=corporations, casework_households=casework_households, progress=progress
            )
        self.stdout.write(
            f"Ledger imports: {history.imported} imported, {history.skipped} already there; "
            f"{history.new_signals} arrears episodes flagged; {history.steps} case-work steps"
            f" ({history.refused} refused by the rules); {history.eviction_steps} eviction steps"
        )
        for problem in history.rejected:
            self.stderr.write(f"Rejected export: {problem}")
        if history.rejected:
            raise CommandError("Some demo exports were rejected; see above.")
        # The demo households were made with their personal data (a corporation's tenant register); Tijdig
        # keeps it only for households with an arrears episode (docs/adr/0071), as the nightly purge would.
        stripped = strip_households(households_to_strip())
        self.stdout.write(f"Personal data kept for households with an arrears episode; {stripped} stripped")
        # The nightly job would have stored each completed week's dashboard figures: do it once for the past.
        weeks = sum(snapshot_missing(partner=partner) for partner in [social_service, *corporations])
        self.stdout.write(f"Dashboard snapshots: {weeks} completed weeks stored")
        self.stdout.write(self.style.SUCCESS(f"Demo world ready in {time.monotonic() - started:.1f} s."))
