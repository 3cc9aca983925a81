"""A real Celery worker is killed (SIGKILL) while it applies a large ledger import; Redis hands the
unacknowledged task to a new worker, which completes it. Afterwards the corporation's data is exactly
what one clean import of the same file gives — nothing lost, nothing twice.

The clean import of the same bytes runs in-process for a twin corporation; the two are compared by
contract number. The kill is timed by the database: it lands while the worker's session holds the
per-partner advisory lock that only the import's apply transaction takes (``importing/sql.py``)."""

import os
import time
from collections import Counter

import pytest
import redis
from django.db import connection

from arrears.models import Case, CaseEvent, Signal
from bench import ledger_generator as gen
from config.celery import app as celery_app
from households.models import Tenancy
from ledger.models import ArrearsSnapshot, ArrearsState, LedgerImport, LedgerLine
from ledger.services import import_run, import_submit
from tests.partners.factories import MunicipalityFactory, PartnerFactory
from tests.resilience.worker import Worker, require_real_services

pytestmark = [pytest.mark.real_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TENANCIES = 2000  # × 12 months ≈ 47,000 booking lines: the apply takes about a second here
ADVISORY_CLASS = 0x7469_6A64  # importing.sql.Dialect.prepare
VISIBILITY_TIMEOUT = 2  # seconds before Redis hands out the dead worker's task again


def apply_backend(partner_id):
    """The pid of the session applying this partner's import, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s AND objid = %s "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [ADVISORY_CLASS, partner_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def backend_alive(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def wait_for(condition, timeout, interval=0.02, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def outcome(corp):
    """Everything an import writes for one corporation, keyed by contract number (ids differ)."""
    contract = "tenancy__contract_number"
    return {
        "tenancies": sorted(Tenancy.objects.filter(corporation=corp).values_list("contract_number", "monthly_rent")),
        "lines": Counter(
            LedgerLine.objects.filter(tenancy__corporation=corp).values_list(
                contract, "booking_date", "due_date", "amount", "description"
            )
        ),
        "states": sorted(
            ArrearsState.objects.filter(tenancy__corporation=corp).values_list(
                contract,
                "as_of",
                "balance",
                "previous_balance",
                "months_of_rent",
                "oldest_unpaid_due_date",
                "days_overdue",
                "last_payment_date",
            )
        ),
        "history": sorted(
            ArrearsSnapshot.objects.filter(tenancy__corporation=corp).values_list(
                contract, "as_of", "balance", "days_overdue"
            )
        ),
        "signals": sorted(
            Signal.objects.filter(corporation=corp).values_list(
                contract, "status", "origin_date", "opened_on", "amount", "days_overdue", "months_of_rent"
            )
        ),
        "cases": sorted(
            Case.objects.filter(corporation=corp).values_list(
                "signals__tenancy__contract_number", "state", "routing_decision"
            )
        ),
        "case_events": sorted(
            CaseEvent.objects.filter(case__corporation=corp).values_list(
                "case__signals__tenancy__contract_number", "kind", "to_state"
            )
        ),
    }


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "grootboek-2026-10-31.csv"
    lines = gen.write_transactions(path, gen.tenancies(TENANCIES), as_of=gen.dt.date(2026, 10, 31), master=True)
    return path.read_bytes(), lines


def test_a_worker_killed_mid_apply_loses_and_duplicates_nothing(tmp_path, settings, ledger):
    require_real_services()
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    broker.delete("unacked", "unacked_index", "unacked_mutex")  # earlier runs' leftovers in our own Redis db
    settings.MEDIA_ROOT = tmp_path / "media"  # where the workers (TIJDIG_VAR_DIR=tmp_path) read the file
    data, line_count = ledger
    for place, code, _pc in gen.PLACES:
        MunicipalityFactory(code=code, name=place)
    killed_corp, clean_corp = PartnerFactory(slug="killed-wonen"), PartnerFactory(slug="clean-wonen")

    reference = import_submit(
        partner=clean_corp, file=data, file_name="grootboek-2026-10-31.csv", source="api", enqueue=False
    )
    reference = import_run(import_id=reference.pk)
    assert reference.status == "succeeded" and reference.summary["lines"] == line_count

    first = Worker(tmp_path, "doomed", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT)).start()
    second = Worker(tmp_path, "successor", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    try:
        imp = import_submit(partner=killed_corp, file=data, file_name="grootboek-2026-10-31.csv", source="upload")
        assert imp.queued is True

        pid = wait_for(lambda: apply_backend(killed_corp.pk), timeout=120, what="the worker to start applying")
        first.kill()
        killed_at = time.monotonic()
        wait_for(lambda: not backend_alive(pid), timeout=60, interval=0.1, what="PostgreSQL to end the session")

        imp.refresh_from_db()
        assert (imp.status, imp.attempts) == (LedgerImport.Status.RUNNING, 1)  # killed before its commit
        assert not Tenancy.objects.filter(corporation=killed_corp).exists()
        assert not LedgerLine.objects.filter(ledger_import=imp).exists()
        assert not Signal.objects.filter(corporation=killed_corp).exists()

        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 0.5 - (time.monotonic() - killed_at)))
        second.start()  # restores the unacknowledged task as it starts polling
        wait_for(
            lambda: LedgerImport.objects.filter(pk=imp.pk, status__in=["succeeded", "failed", "rejected"]).exists(),
            timeout=120,
            interval=0.2,
            what="the new worker to complete the import",
        )
        imp.refresh_from_db()
        assert (imp.status, imp.attempts) == (LedgerImport.Status.SUCCEEDED, 2), imp.message
        assert imp.summary["lines"] == line_count and imp.summary["rows"] == reference.summary["rows"]
        for key in ("new_tenancies", "tenancies", "states", "new_signals", "new_cases"):
            assert imp.summary.get(key) == reference.summary.get(key), key

        got, want = outcome(killed_corp), outcome(clean_corp)
        assert sum(got["lines"].values()) == line_count
        assert got["signals"], "the ledger should raise signals"
        for key in want:
            assert got[key] == want[key], f"{key} differ from a clean import"
        # The redelivered task ran once: no further attempt, nothing queued any more.
        time.sleep(1)
        imp.refresh_from_db()
        assert imp.attempts == 2
        assert not broker.zcard("unacked_index")
    except Exception:
        print(first.log()[-3000:], second.log()[-5000:])
        raise
    finally:
        second.stop()
        first.stop()
        celery_app.conf.task_always_eager = True
