"""Benchmark: the managers' dashboard page on PostgreSQL at the scale of a large corporation.

100,000 households and tenancies, 1,000,000 ledger lines and 52 weeks of cases (with their signals,
contact attempts, referrals, respite notes and monthly balance history) are generated with set-based SQL
in a database of its own (``<DATABASE_URL's name>_bench_dashboard``, created and migrated on first use,
reused afterwards). The nightly snapshot stores the past weeks; then the dashboard page is requested 20
times per variant through Django's test client and the median server time is printed. Target: < 300 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tijdig SECRET_KEY=x DEBUG=0 ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/bench_dashboard.py [--fresh]
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch_database import bench_database  # noqa: E402

HOUSEHOLDS = 100_000
LEDGER_LINES = 1_000_000
CASES_PER_WEEK = 300
WEEKS = 52
REQUESTS = 20
TARGET_MS = 300


GENERATE = [
    # Households in 60 neighbourhoods of Dordrecht; one tenancy each.
    """INSERT INTO households_household (id, corporation_id, name, initials, surname_prefix, surname, phone, email,
           street, house_number, house_number_suffix, postcode, city, municipality_id, neighbourhood_id,
           created_at, updated_at)
       SELECT g, %(corp)s, 'Huishouden ' || g, 'J.', '', 'Huishouden ' || g, '', '', 'Bankastraat', g %% 300 + 1, '',
              '3311 AA', 'Dordrecht', '0505',
              'BU0505' || lpad((g %% 6 + 1)::text, 2, '0') || lpad((g %% 10 + 1)::text, 2, '0'), now(), now()
       FROM generate_series(1, %(households)s) AS g""",
    """INSERT INTO households_tenancy (id, corporation_id, household_id, contract_number, monthly_rent, start_date)
       SELECT g, %(corp)s, g, 'B' || lpad(g::text, 7, '0'), 550 + (g %% 40) * 10, DATE '2015-01-01'
       FROM generate_series(1, %(households)s) AS g""",
    # Ten booking lines per tenancy: charges and payments over the last year.
    """INSERT INTO arrears_ledgerline (tenancy_id, booking_date, due_date, amount, description, ledger_import_id)
       SELECT (g - 1) / 10 + 1, CURRENT_DATE - ((g %% 10) * 36),  CURRENT_DATE - ((g %% 10) * 36),
              CASE WHEN g %% 2 = 0 THEN 650 ELSE -640 END, 'Huur', %(import)s
       FROM generate_series(1, %(lines)s) AS g""",
    # 52 weeks of cases: CASES_PER_WEEK a week, one household each; most older ones closed; a third routed.
    """INSERT INTO arrears_case (id, household_id, corporation_id, queue_partner_id, state, assignee_id, opened_at,
           signalled_at, closed_at, outcome, routing_reason, is_late, warm_handover, version, updated_at,
           respite_until)
       SELECT g, g * 3, %(corp)s,
              CASE WHEN g %% 3 = 0 THEN %(sd)s ELSE %(corp)s END,
              CASE WHEN g < %(cases)s * 0.8 AND g %% 5 <> 0 THEN 'closed'
                   WHEN g %% 3 = 0 THEN 'signalled' WHEN g %% 2 = 0 THEN 'in_progress' ELSE 'new' END,
              CASE WHEN g %% 2 = 0 THEN %(first_user)s + g %% 20 END,
              now() - ((%(cases)s - g) * interval '1 week' / %(per_week)s),
              CASE WHEN g %% 3 = 0
                   THEN now() - ((%(cases)s - g) * interval '1 week' / %(per_week)s) + interval '9 days' END,
              CASE WHEN g < %(cases)s * 0.8 AND g %% 5 <> 0
                   THEN now() - ((%(cases)s - g) * interval '1 week' / %(per_week)s) + interval '30 days' END,
              CASE WHEN g < %(cases)s * 0.8 AND g %% 5 <> 0 THEN (ARRAY[
                  'Inwoner heeft zelf al betaald/betalingsregeling getroffen', '(Budget)advies en/of quick fix',
                  'Definitief geen contact kunnen krijgen', 'Vervolghulp en/of verwijzing financieel'])[g %% 4 + 1]
                   ELSE '' END,
              '', false, false, 1, now(),
              CASE WHEN g %% 17 = 0 THEN CURRENT_DATE + 10 END
       FROM generate_series(1, %(cases)s) AS g""",
    """INSERT INTO arrears_signal (corporation_id, tenancy_id, household_id, case_id, partner_type, status, origin_date,
           opened_on, closed_on, amount_at_open, amount, peak_amount, months_of_rent, days_overdue, updated_on)
       SELECT %(corp)s, c.household_id, c.household_id, c.id, 'Huur',
              CASE WHEN c.state = 'closed' THEN 'closed' ELSE 'open' END,
              c.opened_at::date - 35, c.opened_at::date,
              CASE WHEN c.state = 'closed' THEN c.closed_at::date END,
              200 + c.id %% 1800, 200 + c.id %% 1800, 200 + c.id %% 1800,
              round((200 + c.id %% 1800) / 650.0, 2), 35,
              CASE WHEN c.id %% 4 = 0 THEN CURRENT_DATE ELSE c.opened_at::date END
       FROM arrears_case c""",
    """INSERT INTO arrears_arrearssnapshot (tenancy_id, as_of, balance, days_overdue)
       SELECT s.tenancy_id, d::date, 150 + s.id %% 1800, 35
       FROM arrears_signal s, generate_series(CURRENT_DATE - 360, CURRENT_DATE, interval '30 days') AS d""",
    """INSERT INTO arrears_contactattempt (case_id, partner_id, by_id, kind, reached, date, part_of_day, outcome,
           created_at)
       SELECT c.id, c.queue_partner_id, NULL, (ARRAY['Telefoon', 'Brief', 'Huisbezoek', 'Mail'])[n + 1],
              (c.id + n) %% 3 = 0, c.opened_at::date + ((c.id %% 9) + n * 3)::int, 'Ochtend', '', now()
       FROM arrears_case c, generate_series(0, 2) AS n
       WHERE c.id %% 5 <> 1 AND n <= c.id %% 3""",
    """INSERT INTO arrears_referral (case_id, from_partner_id, to_partner_id, status, consent_on, reason, created_at,
           decided_at, decision_reason)
       SELECT c.id, %(corp)s, %(sd)s, (ARRAY['pending', 'accepted', 'declined'])[c.id %% 3 + 1], c.opened_at::date,
              '', c.opened_at + interval '3 days',
              CASE WHEN c.id %% 3 <> 0 THEN c.opened_at + interval '6 days' END, ''
       FROM arrears_case c WHERE c.id %% 20 = 7""",
    """INSERT INTO arrears_note (case_id, partner_id, kind, text, respite_until, shareable, created_at)
       SELECT c.id, %(sd)s, 'respite_granted', 'respijt', c.opened_at::date + 40, true, c.opened_at + interval '12 days'
       FROM arrears_case c WHERE c.id %% 17 = 0""",
]


INSERT_RE = re.compile(r"^\s*INSERT INTO (\w+) \(([^)]*)\)\s*(SELECT.*)$", re.S)


def _complete(statement, values):
    """Add every NOT NULL column the statement leaves out, with its model default: other engineers add
    columns to these tables, and the generator must not break on each one."""
    import datetime as dt

    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    match = INSERT_RE.match(statement)
    if not match:
        return statement
    table, given, select = match.group(1), {c.strip() for c in match.group(2).split(",")}, match.group(3)
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    missing = []
    for field in model._meta.concrete_fields:
        if field.null or field.primary_key or field.column in given:
            continue
        value = field.get_default()
        if value is None:
            value = {"BooleanField": False, "DateTimeField": timezone.now(), "DateField": dt.date.today()}.get(
                field.get_internal_type(), 0 if "Integer" in field.get_internal_type() else ""
            )
        values[f"default_{table}_{field.column}"] = field.get_db_prep_save(value, connection)
        missing.append(field.column)
    if not missing:
        return statement
    columns = ", ".join([match.group(2), *missing])
    defaults = ", ".join(f"%(default_{table}_{column})s" for column in missing)
    return f"INSERT INTO {table} ({columns}) SELECT generated.*, {defaults} FROM ({select}) AS generated"


def generate(corp, sd, first_user):
    from django.db import connection, transaction

    from ledger.models import LedgerImport

    ledger_import, _ = LedgerImport.objects.get_or_create(
        partner=corp, sha256="0" * 64, defaults={"source": "command", "file_name": "bench.csv"}
    )
    values = {
        "corp": corp.pk,
        "sd": sd.pk,
        "households": HOUSEHOLDS,
        "lines": LEDGER_LINES,
        "cases": CASES_PER_WEEK * WEEKS,
        "per_week": CASES_PER_WEEK,
        "import": ledger_import.pk,
        "first_user": first_user,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in GENERATE:
            cursor.execute(_complete(statement, values), values)
        for table in ("households_household", "households_tenancy", "arrears_case"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def world():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from partners.models import Membership, Municipality, Neighbourhood, Partner

    dordrecht, _ = Municipality.objects.get_or_create(code="0505", defaults={"name": "Dordrecht"})
    for district in range(1, 7):
        for number in range(1, 11):
            code = f"BU0505{district:02d}{number:02d}"
            Neighbourhood.objects.get_or_create(
                code=code, defaults={"name": f"Buurt {district}.{number}", "municipality": dordrecht}
            )
    corp, _ = Partner.objects.get_or_create(slug="bench-corp", defaults={"name": "Bench Wonen", "kind": "corporation"})
    sd, _ = Partner.objects.get_or_create(slug="bench-sd", defaults={"name": "Bench SD", "kind": "social_service"})
    sd.municipalities.add(dordrecht)
    users = get_user_model().objects
    password = make_password("bench-password")
    for name, partner, role in (("bench-manager", corp, "manager"), ("bench-sd-manager", sd, "manager")):
        user, _ = users.get_or_create(username=name, defaults={"password": password})
        Membership.objects.get_or_create(user=user, partner=partner, defaults={"role": role})
    workers = [
        users.get_or_create(username=f"bench-worker-{n:02d}", defaults={"password": password})[0] for n in range(20)
    ]
    for worker in workers:
        Membership.objects.get_or_create(user=worker, partner=corp, defaults={"role": "caseworker"})
    return corp, sd, min(worker.pk for worker in workers)


def median_ms(client, url, params):
    client.get(url, params, secure=True)  # warm up connections and template caches
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, params, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings), max(timings)


def main():
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tijdig")
    os.environ["DATABASE_URL"], _ = bench_database(
        "bench_dashboard", reuse="--fresh" not in sys.argv, bench="bench_dashboard"
    )
    name = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no access-log line per request
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    from arrears.models import Case
    from ledger.models import LedgerLine
    from reporting.snapshots import snapshot_missing

    call_command("migrate", verbosity=0)
    corp, sd, first_user = world()
    if not Case.objects.filter(corporation=corp).exists():
        started = time.perf_counter()
        generate(corp, sd, first_user)
        print(f"generated in {time.perf_counter() - started:.1f} s (database {name})")
    print(
        f"data: {corp.households.count():,} households, {LedgerLine.objects.count():,} ledger lines, "
        f"{Case.objects.filter(corporation=corp).count():,} cases over {WEEKS} weeks"
    )
    started = time.perf_counter()
    stored = snapshot_missing(partner=corp, weeks=WEEKS) + snapshot_missing(partner=sd, weeks=WEEKS)
    print(f"nightly snapshot: {stored} weeks stored in {time.perf_counter() - started:.1f} s")

    # force_login has no second factor; what the two-factor middleware costs a verified user (one check)
    # is not what this measures.
    override_settings(TIJDIG_2FA_REQUIRED=False).enable()
    client = Client()
    results = []
    for username, label in (("bench-manager", "corporation"), ("bench-sd-manager", "social service")):
        client.force_login(django.contrib.auth.get_user_model().objects.get(username=username))
        for params, what in (({}, "13 weeks"), ({"weeks": "52"}, "52 weeks")):
            median, worst = median_ms(client, "/dashboard/", params)
            results.append(median)
            print(
                f"dashboard page, {label} manager, {what}: median {median:.0f} ms "
                f"(max {worst:.0f} ms) over {REQUESTS} requests"
            )
    verdict = "OK" if max(results) < TARGET_MS else "TOO SLOW"
    print(f"target < {TARGET_MS} ms median: {verdict}")


if __name__ == "__main__":
    main()
