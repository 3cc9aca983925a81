"""Imports across an outage of PostgreSQL or Redis (ADR 0064). The lines go through TCP proxies of
our own, cut and restored by the test; the shared servers stay up.

- The nightly scan comes due while Redis is down: beat cannot hand it over and skips it. Once Redis
  and PostgreSQL are back, the catch-up task (beat, every few minutes) notices the missed scan and
  runs it; the dropped file is imported.
- The nightly scan comes due while only PostgreSQL is down: the worker gets the task, cannot reach the
  database and retries it with backoff until the database is back.
- A partner admin uploads a ledger while Redis is down: the file and its import are kept, the admin is
  told so, and the catch-up hands the import to a worker once Redis is back."""

import datetime as dt
import os
import time
from decimal import Decimal
from urllib.parse import urlsplit

import kombu.exceptions
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from arrears.models import Signal
from config.celery import app as celery_app
from ledger import tasks as ledger_tasks
from ledger.importing import inbox
from ledger.models import LedgerImport
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import PartnerFactory, UserFactory
from tests.resilience.tcp_proxy import TcpProxy
from tests.resilience.worker import publishing_through, worker_behind_proxies

pytestmark = [pytest.mark.real_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SNAPSHOT = "Contractnummer;Saldo;Oudste vervaldatum\nHC1;{balance};01-09-2026\n"


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def drechtwonen(transactional_db):
    corp = PartnerFactory(slug="drechtwonen")
    TenancyFactory(household=HouseholdFactory(corporation=corp), contract_number="HC1", monthly_rent=700)
    return corp


def test_a_nightly_scan_missed_in_an_outage_runs_once_postgres_and_redis_are_back(tmp_path, drechtwonen):
    folder = tmp_path / "inbox" / "drechtwonen"
    folder.mkdir(parents=True)
    cache.set(inbox.LAST_SCAN_KEY, (timezone.now() - dt.timedelta(hours=25)).isoformat(), timeout=None)
    inbox_env = {"TIJDIG_INBOX_DIR": str(tmp_path / "inbox"), "TIJDIG_INBOX_MIN_AGE_SECONDS": "0"}
    with worker_behind_proxies(tmp_path, "nightly", log_tail=6000, cache_too=True, **inbox_env) as (
        worker,
        pg_proxy,
        redis_proxy,
        via_proxy,
    ):
        (folder / "achterstand-2026-10-31.csv").write_text(SNAPSHOT.format(balance="900,00"))
        pg_proxy.cut()
        redis_proxy.cut()
        # 02:30: beat hands the nightly scan to Redis — which it cannot reach, so the run is skipped.
        with celery_app.connection_for_write(via_proxy) as line, pytest.raises(kombu.exceptions.OperationalError):
            ledger_tasks.scan_inbox.apply_async(connection=line, ignore_result=True)
        time.sleep(1)
        assert not LedgerImport.objects.exists()
        pg_proxy.restore()
        redis_proxy.restore()

        # A few minutes later beat runs the catch-up, which sees that the scan was missed.
        ledger_tasks.catch_up_imports.delay()
        processed = folder / "processed" / "achterstand-2026-10-31.csv"
        wait_for(processed.exists, 90, "the missed scan to import the file")
        imp = LedgerImport.objects.get()
        assert (imp.status, imp.source, imp.attempts) == ("succeeded", "drop_folder", 1)
        assert Signal.objects.get().amount == Decimal("900")
        assert inbox.last_scan() > timezone.now() - dt.timedelta(minutes=5)
        assert not inbox.scan_missed()  # the next catch-up leaves the drop folder alone

        # The next night only PostgreSQL is down: the worker gets the scan and retries it until
        # the database answers again.
        (folder / "achterstand-2026-11-07.csv").write_text(SNAPSHOT.format(balance="1.250,00"))
        pg_proxy.cut()
        ledger_tasks.scan_inbox.delay()
        wait_for(lambda: "Retry in" in worker.log(), 30, "the scan to fail on the database and retry")
        assert (folder / "achterstand-2026-11-07.csv").exists()
        pg_proxy.restore()
        processed = folder / "processed" / "achterstand-2026-11-07.csv"
        wait_for(processed.exists, 90, "the retried scan to import the second file")
        assert LedgerImport.objects.filter(status="succeeded").count() == 2
        assert Signal.objects.get().amount == Decimal("1250")


def test_an_upload_while_redis_is_down_is_kept_and_imported_once_it_is_back(
    celery_worker_process, drechtwonen, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the worker fixture's TIJDIG_VAR_DIR is tmp_path
    cache.set(inbox.LAST_SCAN_KEY, timezone.now().isoformat(), timeout=None)  # no scan due: imports only
    admin = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    client.force_login(admin)
    content = SNAPSHOT.format(balance="800,00").encode()
    broker = urlsplit(os.environ["CELERY_BROKER_URL"])
    with TcpProxy(broker.hostname, broker.port or 6379) as redis_proxy:
        redis_proxy.cut()
        with publishing_through(f"redis://127.0.0.1:{redis_proxy.port}{broker.path}"):
            response = client.post(
                "/admin/ledger/ledgerimport/add/",
                {"partner": drechtwonen.pk, "profile": "", "as_of": "",
                 "upload": SimpleUploadedFile("achterstand-2026-10-31.csv", content)},
                follow=True,
            )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "de takenwachtrij is nu niet bereikbaar" in page, page[:3000]
    assert "achterstand-2026-10-31.csv" in page

    imp = LedgerImport.objects.get()
    assert (imp.status, imp.queued_at, imp.created_by) == ("pending", None, admin)
    assert "task queue" in imp.message or "takenwachtrij" in imp.message
    with imp.file.open("rb") as stored:
        assert stored.read() == content  # the file is kept
    time.sleep(1)
    imp.refresh_from_db()
    assert imp.status == "pending"  # no worker heard of it

    # Redis is back; beat's catch-up hands the import over.
    assert ledger_tasks.catch_up_imports.delay().get(timeout=60)["imports"]["queued"] == 1
    wait_for(lambda: LedgerImport.objects.filter(status="succeeded").exists(), 60, "the import to run")
    imp.refresh_from_db()
    assert (imp.attempts, imp.message) == (1, "") and imp.queued_at is not None
    assert Signal.objects.get().amount == Decimal("800")
