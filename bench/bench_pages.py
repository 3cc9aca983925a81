"""Caseworker pages benchmark on PostgreSQL (issue 5). Prints figures; asserts nothing.

Builds its own database (``<DATABASE_URL's name>_bench_pages``, dropped and re-created unless
``--reuse``) with 100,000 households (tenancies, arrears state, 12 monthly balance snapshots each) and
10,000 open cases (signals, contact attempts, timeline events, referrals), all with set-based
``INSERT … SELECT`` statements, then renders through Django's full request stack (middleware, view,
template) as a corporation caseworker and a social-service caseworker:

- the queue (werkvoorraad) at 25 and 100 rows a page, plus a sort, a filter, one tray and a search;
- the home page (the queue's tray counts; a social service's pending referrals);
- the household/case page for 50 different cases.

It prints the median server time over 50 requests (target < 150 ms) and the number of queries
(target: the same at both page sizes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tijdig python bench/bench_pages.py [--reuse]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch_database import bench_database  # noqa: E402

HOUSEHOLDS = 100_000
CASE_EVERY = 10  # every 10th household has an open case: 10,000
REQUESTS = 50


def insert_select(cursor, model, exprs, from_clause, params=None):
    """``INSERT INTO <model> (...) SELECT <exprs> <from_clause>``; columns not given get the model's
    default (so the bench keeps working when other workstreams add fields with defaults). Values are
    passed as named parameters: ``%(name)s`` in the SQL, ``params={"name": ...}``."""
    from django.db import connection

    columns, values, args = [], [], dict(params or {})
    for field in model._meta.concrete_fields:
        if field.name in exprs:
            columns.append(field.column)
            values.append(exprs[field.name])
        elif field.primary_key:
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append(field.column)
            values.append("now()")
        elif field.has_default():
            columns.append(field.column)
            values.append(f"%(_default_{field.column})s")
            args[f"_default_{field.column}"] = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            continue
        elif field.blank:
            columns.append(field.column)
            values.append("''")
        else:
            raise SystemExit(f"bench_pages: no value for {model.__name__}.{field.name}")
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} {from_clause}"
    ).replace(" % ", " %% ")  # SQL's modulo, not a placeholder
    cursor.execute(sql, args)
    return cursor.rowcount


def build_world():
    """Partners, places and people through the ORM (a handful of rows)."""
    from django.contrib.auth import get_user_model

    from partners import access
    from partners.models import Agreement, Membership, Municipality, Neighbourhood, Partner

    places = [
        ("0482", "Alblasserdam"),
        ("0505", "Dordrecht"),
        ("0523", "Hardinxveld-Giessendam"),
        ("0531", "Hendrik-Ido-Ambacht"),
        ("0590", "Papendrecht"),
        ("0610", "Sliedrecht"),
        ("0642", "Zwijndrecht"),
    ]
    municipalities = [Municipality.objects.create(code=code, name=name) for code, name in places]
    for m in municipalities:
        for district in (1, 2):
            for number in range(1, 6):
                Neighbourhood.objects.create(
                    code=f"BU{m.code}{district:02d}{number:02d}", name=f"{m.name} {district}-{number}", municipality=m
                )
    big = Partner.objects.create(slug="bench-wonen", name="Bench Wonen", kind=Partner.Kind.CORPORATION)
    small = Partner.objects.create(slug="bench-huis", name="Bench Huis", kind=Partner.Kind.CORPORATION)
    sd = Partner.objects.create(slug="bench-sd", name="Sociale Dienst Bench", kind=Partner.Kind.SOCIAL_SERVICE)
    sd.municipalities.set(municipalities)
    for corporation in (big, small):
        for m in municipalities:
            Agreement.objects.create(corporation=corporation, municipality=m, social_service=sd)
    users = {}
    for username, partner, role in [
        ("bench-caseworker", big, "caseworker"),
        ("bench-lead", big, "manager"),
        ("bench-small", small, "caseworker"),
        ("bench-sd", sd, "caseworker"),
    ]:
        user = get_user_model().objects.create_user(username=username, password="bench-pages-password")
        Membership.objects.create(user=user, partner=partner, role=role)
        access.sync_user_groups(user)
        users[username] = user
    return big, small, sd, users


def build_data():
    from django.db import connection, transaction

    from arrears.models import Case, CaseEvent, ContactAttempt, Referral, Signal
    from households.models import Household, Tenancy
    from ledger.models import ArrearsSnapshot, ArrearsState

    started = time.perf_counter()
    with transaction.atomic():
        big, small, sd, users = build_world()
        caseworker = users["bench-caseworker"]
        P = {
            "small": small.pk,
            "big": big.pk,
            "sd": sd.pk,
            "worker": caseworker.pk,
            "households": HOUSEHOLDS,
            "every": CASE_EVERY,
            "every2": CASE_EVERY * 2,
        }
        with connection.cursor() as c:
            # 100,000 households: 80 % with the big corporation, spread over 70 neighbourhoods.
            insert_select(
                c,
                Household,
                {
                    "corporation": "CASE WHEN (g / 10) % 5 = 0 THEN %(small)s ELSE %(big)s END",
                    "name": "chr(65 + g % 26) || '. Bewoner ' || g",
                    "initials": "chr(65 + g % 26) || '.'",
                    "surname": "'Bewoner ' || g",
                    "phone": "'06' || lpad(((g * 7919) % 100000000)::text, 8, '0')",
                    "street": "(ARRAY['Voorstraat','Wijnstraat','Singel','Vest','Reeweg','Groenmarkt'])[1 + g % 6]",
                    "house_number": "1 + g % 250",
                    "postcode": "(3300 + g % 600)::text || ' ' || chr(65 + g % 26) || chr(65 + (g / 26) % 26)",
                    "city": "m.name",
                    "municipality": "m.code",
                    "neighbourhood": "n.code",
                },
                "FROM generate_series(1, %(households)s) g "
                "JOIN (SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, municipality_id "
                "      FROM partners_neighbourhood) n ON n.i = g % 70 "
                "JOIN partners_municipality m ON m.code = n.municipality_id",
                P,
            )
            insert_select(
                c,
                Tenancy,
                {
                    "corporation": "h.corporation_id",
                    "household": "h.id",
                    "contract_number": "'BC' || lpad(h.id::text, 8, '0')",
                    "monthly_rent": "550 + h.id % 300",
                    "start_date": "DATE '2015-01-01' + (h.id % 3000)::int",
                },
                "FROM households_household h",
            )
            # Arrears: every 10th household (the ones with a case) owes money.
            insert_select(
                c,
                ArrearsState,
                {
                    "tenancy": "t.id",
                    "as_of": "CURRENT_DATE",
                    "balance": "CASE WHEN t.household_id % %(every)s = 0 THEN 100 + (t.id * 37) % 3000 ELSE 0 END",
                    "previous_balance": "CASE WHEN t.household_id % %(every)s = 0 "
                    "THEN 100 + (t.id * 37) % 3000 - ((t.id % 7) - 3) * 50 ELSE 0 END",
                    "months_of_rent": "CASE WHEN t.household_id % %(every)s = 0 "
                    "THEN round((100 + (t.id * 37) % 3000) / t.monthly_rent, 2) ELSE 0 END",
                    "days_overdue": "CASE WHEN t.household_id % %(every)s = 0 THEN 30 + t.id % 90 ELSE 0 END",
                },
                "FROM households_tenancy t",
                P,
            )
            # Twelve monthly balances per tenancy: 1.2 million rows.
            insert_select(
                c,
                ArrearsSnapshot,
                {
                    "tenancy": "t.id",
                    "as_of": "(date_trunc('month', CURRENT_DATE) - make_interval(months => k::int))::date + 27",
                    "balance": "CASE WHEN t.household_id % %(every)s = 0 "
                    "THEN greatest(0, (100 + (t.id * 37) % 3000) - k * 150) ELSE 0 END",
                    "days_overdue": "0",
                },
                "FROM households_tenancy t CROSS JOIN generate_series(0, 11) k",
                P,
            )
            # 10,000 open cases: new, in progress (assigned), signalled to and taken up by the social service.
            insert_select(
                c,
                Case,
                {
                    "household": "h.id",
                    "corporation": "h.corporation_id",
                    "queue_partner": "CASE WHEN (h.id / 10) % 20 >= 16 THEN %(sd)s ELSE h.corporation_id END",
                    "state": "CASE WHEN (h.id / 10) % 20 < 10 THEN 'new' WHEN (h.id / 10) % 20 < 16 THEN 'in_progress' "
                    "WHEN (h.id / 10) % 20 < 19 THEN 'signalled' ELSE 'taken_up' END",
                    "assignee": "CASE WHEN (h.id / 10) % 20 BETWEEN 10 AND 15 AND h.corporation_id = %(big)s "
                    "THEN %(worker)s END",
                    "opened_at": "now() - make_interval(days => ((h.id / 10) % 60)::int)",
                    "signalled_at": "CASE WHEN (h.id / 10) % 20 >= 16 "
                    "THEN now() - make_interval(days => (h.id % 20)::int) END",
                    "respite_until": "CASE WHEN (h.id / 10) % 20 = 19 THEN CURRENT_DATE + 20 END",
                    "taken_up_at": "CASE WHEN (h.id / 10) % 20 = 19 "
                    "THEN now() - make_interval(days => (h.id % 5)::int) END",
                },
                "FROM households_household h WHERE h.id % %(every)s = 0",
                P,
            )
            insert_select(
                c,
                Signal,
                {
                    "corporation": "t.corporation_id",
                    "tenancy": "t.id",
                    "household": "t.household_id",
                    "case": "k.id",
                    "status": "'open'",
                    "origin_date": "CURRENT_DATE - 60",
                    "opened_on": "k.opened_at::date",
                    "amount_at_open": "a.previous_balance",
                    "amount": "a.balance",
                    "peak_amount": "greatest(a.balance, a.previous_balance)",
                    "months_of_rent": "a.months_of_rent",
                    "days_overdue": "a.days_overdue",
                    "updated_on": "CURRENT_DATE",
                },
                "FROM arrears_case k JOIN households_tenancy t ON t.household_id = k.household_id "
                "JOIN arrears_arrearsstate a ON a.tenancy_id = t.id",
            )
            # Earlier, closed episodes for half the households with a case.
            insert_select(
                c,
                Signal,
                {
                    "corporation": "t.corporation_id",
                    "tenancy": "t.id",
                    "household": "t.household_id",
                    "status": "'closed'",
                    "origin_date": "CURRENT_DATE - 400",
                    "opened_on": "CURRENT_DATE - 360",
                    "closed_on": "CURRENT_DATE - 300",
                    "amount_at_open": "400",
                    "amount": "0",
                    "peak_amount": "650",
                    "months_of_rent": "0.7",
                    "days_overdue": "0",
                    "updated_on": "CURRENT_DATE - 300",
                },
                "FROM households_tenancy t WHERE t.household_id % %(every2)s = 0",
                P,
            )
            insert_select(
                c,
                ContactAttempt,
                {
                    "case": "k.id",
                    "partner": "k.queue_partner_id",
                    "by": "%(worker)s",
                    "kind": "(ARRAY['Telefoon','Brief','Huisbezoek','Mail'])[1 + (k.id + j) % 4]",
                    "reached": "(k.id + j) % 3 = 0",
                    "date": "(k.opened_at + make_interval(days => (j * 2)::int))::date",
                    "outcome": "'Voicemail ingesproken'",
                },
                "FROM arrears_case k CROSS JOIN generate_series(0, 1) j WHERE k.id % 3 = 0",
                P,
            )
            insert_select(
                c,
                CaseEvent,
                {
                    "case": "k.id",
                    "kind": "(ARRAY['opened','assigned','contact','note','state'])[1 + j]",
                    "at": "k.opened_at + make_interval(hours => j::int)",
                    "actor": "CASE WHEN j > 0 THEN %(worker)s END",
                    "partner": "k.corporation_id",
                    "to_state": "CASE WHEN j IN (0, 4) THEN k.state ELSE '' END",
                    "reason": "'bench'",
                },
                "FROM arrears_case k CROSS JOIN generate_series(0, 4) j",
                P,
            )
            insert_select(
                c,
                Referral,
                {
                    "case": "k.id",
                    "from_partner": "k.corporation_id",
                    "to_partner": "%(sd)s",
                    "status": "'pending'",
                    "consent_on": "CURRENT_DATE - 1",
                    "reason": "'Wil graag hulp bij de huurachterstand'",
                    "created_by": "%(worker)s",
                },
                "FROM arrears_case k WHERE k.state = 'in_progress' AND k.id % 7 = 0",
                P,
            )
        _grant_access(big, small)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    counts = {
        "households": Household.objects.count(),
        "open cases": Case.objects.count(),
        "signals": Signal.objects.count(),
        "snapshots": ArrearsSnapshot.objects.count(),
        "contact attempts": ContactAttempt.objects.count(),
        "case events": CaseEvent.objects.count(),
        "referrals": Referral.objects.count(),
    }
    print(f"data built in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))


def _grant_access(*corporations):
    """Give access the way the import does after flagging, set-based per corporation."""
    from arrears import case_access
    from arrears.models import Case

    for corporation in corporations:
        ids = list(Case.objects.filter(corporation=corporation).values_list("pk", flat=True))
        case_access.grant_case_access(corporation=corporation, case_ids=ids)


def measure(client, method, url, data=None, *, runs=REQUESTS):
    """Median and 90th percentile server time (ms) over ``runs`` requests, after two warm-ups, and the
    median CPU time of this (the Django) process — the part a busy machine does not inflate."""
    call = client.get if method == "GET" else client.post
    for _ in range(2):
        call(url, data or {})
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = call(url, data or {})
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), sorted(times)[int(0.9 * len(times)) - 1], statistics.median(cpu)


def count_queries(client, method, url, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = client.get if method == "GET" else client.post
    with CaptureQueriesContext(connection) as ctx:
        call(url, data or {})
    return len(ctx.captured_queries)


def report(label, client, url, data=None, method="GET"):
    median, p90, cpu = measure(client, method, url, data)
    queries = count_queries(client, method, url, data)
    print(f"  {label:<46} median {median:6.1f} ms  p90 {p90:6.1f} ms  python {cpu:5.1f} ms  {queries:3d} queries")
    return median, queries


def _verified_client(user):
    """A client logged in the way production requires: password and a confirmed second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def run():
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from arrears import selectors
    from arrears.models import Case
    from partners.models import Membership

    User = get_user_model()
    print(f"\nServer time through the full Django stack, median of {REQUESTS} requests (target < 150 ms);")
    print("'python' is this process's CPU time alone (what a busy machine does not inflate):")
    for username, title, tray in [
        ("bench-caseworker", "corporation caseworker", "new"),
        ("bench-sd", "social service", "referral"),
    ]:
        user = User.objects.get(username=username)
        client = _verified_client(user)
        in_queue = selectors.queue_list(user=user).count()
        print(f"{title} ({username}), {in_queue:,} cases in the default queue:")
        q25 = report("queue, 25 a page", client, reverse("queue") + "?per_page=25")
        q100 = report("queue, 100 a page", client, reverse("queue") + "?per_page=100")
        report("queue, 100 a page, sorted by arrears (desc)", client, reverse("queue") + "?per_page=100&sort=-amount")
        report("queue, overdue only, page 3", client, reverse("queue") + "?overdue=1&page=3")
        report(
            "queue, filter €1000+ in one neighbourhood",
            client,
            reverse("queue") + "?amount_min=1000&neighbourhood=BU05050101",
        )
        client.post(reverse("queue-search"), {"q": "Singel", "query": ""})
        report("queue, search 'Singel' (kept in the session)", client, reverse("queue"))
        client.post(reverse("queue-search"), {"q": "", "clear": "1", "query": ""})
        report("queue, one tray (referrals or new)", client, reverse("queue") + f"?tray={tray}")
        report("home page (tray counts, pending referrals)", client, reverse("home"))
        print(
            f"  → queries at 25 and 100 a page: {q25[1]} and {q100[1]} "
            f"({'constant' if q25[1] == q100[1] else 'NOT constant'})"
        )

        partner_id = Membership.objects.get(user=user).partner_id
        cases = list(Case.objects.filter(queue_partner_id=partner_id).order_by("pk").values_list("pk", flat=True))
        sample = cases[:: max(1, len(cases) // REQUESTS)][:REQUESTS]
        for pk in sample[:2]:
            client.get(reverse("case-detail", args=[pk]))
        times, cpu, queries = [], [], set()
        for pk in sample:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(reverse("case-detail", args=[pk]))
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        for pk in sample[:5]:
            queries.add(count_queries(client, "GET", reverse("case-detail", args=[pk])))
        label = f"case page, {len(sample)} different cases"
        print(
            f"  {label:<46} median {statistics.median(times):6.1f} ms  "
            f"p90 {sorted(times)[int(0.9 * len(times)) - 1]:6.1f} ms  python {statistics.median(cpu):5.1f} ms  "
            f"{'/'.join(str(q) for q in sorted(queries))} queries"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if it is already there")
    args = parser.parse_args()

    os.environ["DATABASE_URL"], exists = bench_database("bench_pages", reuse=args.reuse, bench="bench_pages")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no access-log line per measured request on the console
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    print(f"bench_pages on {urlparse(os.environ['DATABASE_URL']).path.lstrip('/')}")
    if not exists:
        call_command("migrate", verbosity=0)
        build_data()
    run()


if __name__ == "__main__":
    main()
