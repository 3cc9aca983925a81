"""Benchmark: routing an import's worth of freshly flagged cases, and permission-filtered reads.

Builds its own throw-away database (``bench_routing_<pid>``) on the server in DATABASE_URL, so it never
touches real data or a test run. Prints figures; asserts nothing. ``make bench`` runs it on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tijdig SECRET_KEY=x .venv/bin/python bench/bench_routing.py [cases]
"""

import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

CASES = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
OTHER_CORPORATIONS = 2


def build():
    from django.contrib.auth import get_user_model

    from arrears.models import Case, Signal
    from households.models import Household, Tenancy
    from partners.models import Agreement, Membership, Municipality, Partner, RoutingRule

    dordrecht = Municipality.objects.create(code="0505", name="Dordrecht")
    zwijndrecht = Municipality.objects.create(code="0642", name="Zwijndrecht")
    sd = Partner.objects.create(slug="sdd", name="Sociale Dienst Drechtsteden", kind="social_service")
    sd.municipalities.add(dordrecht)
    users = get_user_model().objects
    corporations = []
    for i in range(1 + OTHER_CORPORATIONS):
        corporation = Partner.objects.create(slug=f"corp-{i}", name=f"Corporatie {i}", kind="corporation")
        agreement = Agreement.objects.create(corporation=corporation, municipality=dordrecht, social_service=sd)
        RoutingRule.objects.create(
            agreement=agreement, position=1, name="> 100 dagen", min_days_overdue=101, mark_late=True
        )
        RoutingRule.objects.create(
            agreement=agreement,
            position=2,
            name="2 maanden / 60 dagen",
            min_months_of_rent=Decimal(2),
            min_days_overdue=60,
            checklist_complete=True,
        )
        Membership.objects.create(user=users.create(username=f"cw-{i}"), partner=corporation, role="caseworker")
        corporations.append(corporation)
    Membership.objects.create(user=users.create(username="sd-cw"), partner=sd, role="caseworker")
    now, done = timezone.now(), dt.date(2026, 11, 2)
    for corporation in corporations:
        households = Household.objects.bulk_create(
            [
                Household(
                    corporation=corporation,
                    name=f"H {n}",
                    surname=f"H{n}",
                    postcode="3311 AA",
                    municipality=zwijndrecht if n % 10 == 0 else dordrecht,
                )
                for n in range(CASES)
            ],
            batch_size=2000,
        )
        tenancies = Tenancy.objects.bulk_create(
            [
                Tenancy(corporation=corporation, household=h, contract_number=f"C{n}", monthly_rent=Decimal("650"))
                for n, h in enumerate(households)
            ],
            batch_size=2000,
        )
        complete = {
            "reminder_sent_on": done,
            "contact_attempted_on": done,
            "pointed_to_help_on": done,
            "offered_to_share_on": done,
        }
        cases = Case.objects.bulk_create(
            [
                Case(
                    household=h,
                    corporation=corporation,
                    queue_partner=corporation,
                    opened_at=now,
                    **(complete if n % 3 == 0 else {}),
                )
                for n, h in enumerate(households)
            ],
            batch_size=2000,
        )
        days = [34, 65, 90, 130]
        Signal.objects.bulk_create(
            [
                Signal(
                    corporation=corporation,
                    tenancy=t,
                    household_id=t.household_id,
                    case=c,
                    origin_date=done - dt.timedelta(days=days[n % 4]),
                    opened_on=done,
                    updated_on=done,
                    amount_at_open=Decimal("900"),
                    amount=Decimal("900"),
                    peak_amount=Decimal("900"),
                    months_of_rent=Decimal("1.4") if n % 2 else Decimal("2.2"),
                    days_overdue=days[n % 4],
                )
                for n, (t, c) in enumerate(zip(tenancies, cases, strict=True))
            ],
            batch_size=2000,
        )
    return corporations


def timed(label, fn):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed:8.2f} s  {len(queries):5d} queries  {result}")
    return result


def main():
    from arrears import case_access, routing
    from arrears.models import Case
    from arrears.selectors import case_list

    if connection.vendor != "postgresql":
        print("bench_routing: set DATABASE_URL to PostgreSQL")
        return
    connection.settings_dict["TEST"]["NAME"] = f"bench_routing_{os.getpid()}"
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        settings.DEBUG = False
        corporations = timed(f"build {CASES:,} cases x {1 + OTHER_CORPORATIONS} corporations", build)
        for corporation in corporations:
            ids = list(Case.objects.filter(corporation=corporation).values_list("pk", flat=True))
            timed(
                f"route_flagged_cases: {len(ids):,} new cases of {corporation.slug}",
                lambda ids=ids, corporation=corporation: routing.route_flagged_cases(
                    corporation=corporation, new_case_ids=ids, updated_case_ids=[]
                ),
            )
        ids = list(Case.objects.filter(corporation=corporations[0]).values_list("pk", flat=True))
        timed(
            f"route_flagged_cases: the same {len(ids):,} cases again (updated)",
            lambda: routing.route_flagged_cases(corporation=corporations[0], new_case_ids=[], updated_case_ids=ids),
        )
        timed("sync_case_access: every case (nothing to change)", case_access.sync_case_access)
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        for username in ("cw-0", "sd-cw"):
            user = users.get(username=username)
            timed(f"case_list({username}).count()", lambda user=user: case_list(user=user).count())
            timed(
                f"case_list({username}) first page of 25, oldest first",
                lambda user=user: len(list(case_list(user=user).order_by("opened_at", "pk")[:25])),
            )
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
