"""The catch-up (ADR 0064): imports whose task never reached the broker or was lost are queued again,
one that never finishes is given up, and a drop-folder scan that beat missed is run."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from arrears.models import Signal
from ledger.importing import inbox
from ledger.models import LedgerImport
from ledger.services import MAX_ATTEMPTS, import_catch_up, import_submit
from ledger.tasks import catch_up_imports

pytestmark = pytest.mark.django_db

LIST = "Contractnummer;Saldo;Oudste vervaldatum\nHC1;{balance};01-09-2026\n"


@pytest.fixture(autouse=True)
def _no_last_scan():
    cache.delete(inbox.LAST_SCAN_KEY)
    yield
    cache.delete(inbox.LAST_SCAN_KEY)


def submitted(corp, balance, **fields):
    imp = import_submit(
        partner=corp,
        file=LIST.format(balance=balance).encode(),
        file_name=f"achterstand-{balance}-2026-10-31.csv",
        source=LedgerImport.Source.UPLOAD,
        enqueue=False,
    )
    LedgerImport.objects.filter(pk=imp.pk).update(**fields)
    return imp.pk


def test_catch_up_queues_what_never_reached_the_broker_and_what_was_lost(corp, tenancy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    long_ago = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    never_queued = submitted(corp, "100,00")
    waiting = submitted(corp, "200,00", queued_at=now)  # its task is in the queue
    lost = submitted(corp, "300,00", status="running", attempts=1, started_at=long_ago, created_at=long_ago)
    hopeless = submitted(
        corp, "400,00", status="running", attempts=MAX_ATTEMPTS, started_at=long_ago, created_at=long_ago
    )
    busy = submitted(corp, "500,00", status="running", attempts=1, started_at=now, queued_at=now)

    assert import_catch_up() == {"queued": 2, "not_queued": 0, "given_up": 1}  # tasks run in-process here

    status = dict(LedgerImport.objects.values_list("pk", "status"))
    assert status[never_queued] == status[lost] == "succeeded"
    assert (status[waiting], status[busy], status[hopeless]) == ("pending", "running", "failed")
    assert LedgerImport.objects.get(pk=lost).attempts == 2
    assert LedgerImport.objects.get(pk=never_queued).queued_at is not None
    assert str(MAX_ATTEMPTS) in LedgerImport.objects.get(pk=hopeless).message
    assert import_catch_up() == {"queued": 0, "not_queued": 0, "given_up": 0}  # nothing left to do


def test_a_scan_is_missed_when_the_schedule_came_due_since_the_last_one(settings):
    assert inbox.last_scan() is None and inbox.scan_missed()  # none known: scan
    cache.set(inbox.LAST_SCAN_KEY, timezone.now().isoformat())
    assert not inbox.scan_missed()  # the nightly crontab is not due again until tomorrow
    cache.set(inbox.LAST_SCAN_KEY, (timezone.now() - dt.timedelta(hours=25)).isoformat())
    assert inbox.scan_missed()  # last night's run did not happen
    settings.CELERY_BEAT_SCHEDULE = {"scan-ledger-inbox": {"task": "x", "schedule": 600}}
    cache.set(inbox.LAST_SCAN_KEY, (timezone.now() - dt.timedelta(seconds=300)).isoformat())
    assert not inbox.scan_missed()
    cache.set(inbox.LAST_SCAN_KEY, (timezone.now() - dt.timedelta(seconds=900)).isoformat())
    assert inbox.scan_missed()


def test_the_catch_up_task_runs_a_missed_scan_once(
    corp, tenancy, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TIJDIG_INBOX_DIR = tmp_path / "inbox"
    settings.TIJDIG_INBOX_MIN_AGE_SECONDS = 0
    folder = tmp_path / "inbox" / corp.slug
    folder.mkdir(parents=True)
    (folder / "achterstand-2026-10-31.csv").write_text(LIST.format(balance="900,00"))
    cache.set(inbox.LAST_SCAN_KEY, (timezone.now() - dt.timedelta(days=2)).isoformat())

    with django_capture_on_commit_callbacks(execute=True):  # the scan hands the import over on commit
        result = catch_up_imports.delay().get()
    assert result["scan"]["submitted"] == 1
    assert (folder / "processed" / "achterstand-2026-10-31.csv").exists()
    assert Signal.objects.get().amount == Decimal("900")
    assert "scan" not in catch_up_imports.delay().get()  # the scan it ran counts
