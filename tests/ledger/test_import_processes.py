"""Real processes on PostgreSQL and Redis: a worker killed mid-import, and the drop folder scanned
by a real ``celery beat`` feeding a real worker."""

import os
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.db import connection

from arrears.models import Signal
from ledger.models import ArrearsState, LedgerImport, LedgerLine
from ledger.services import import_run, import_submit
from tests.conftest import ROOT
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.postgres

KILL_MID_IMPORT = """
import os, signal, django
django.setup()
from arrears import routing
from ledger.services import import_run
def die(**kwargs):  # everything is written, nothing committed
    os.kill(os.getpid(), signal.SIGKILL)
routing.route_flagged_cases = die
import_run(import_id={pk})
"""


def _env(tmp_path):
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env.setdefault("SECRET_KEY", "test")
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    return env


@pytest.fixture
def corp_with_tenancy(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    corp = PartnerFactory(slug="drechtwonen")
    tenancy = TenancyFactory(household=HouseholdFactory(corporation=corp), contract_number="HC1", monthly_rent=700)
    return corp, tenancy


def test_a_worker_killed_mid_import_leaves_the_previous_state_and_the_retry_completes(corp_with_tenancy, tmp_path):
    corp, _tenancy = corp_with_tenancy
    text = "Contractnummer;Boekdatum;Bedrag\nHC1;01-08-2026;700,00\nHC1;01-09-2026;700,00\n"
    imp = import_submit(partner=corp, file=text.encode(), file_name="g-2026-10-31.csv", source="api", enqueue=False)
    proc = subprocess.run(
        [sys.executable, "-c", KILL_MID_IMPORT.format(pk=imp.pk)], cwd=ROOT, env=_env(tmp_path), timeout=120
    )
    assert proc.returncode == -9
    imp.refresh_from_db()
    assert imp.status == LedgerImport.Status.RUNNING  # as a killed worker leaves it
    assert not LedgerLine.objects.exists() and not ArrearsState.objects.exists() and not Signal.objects.exists()
    deadline = time.monotonic() + 30
    while imp.status != "succeeded" and time.monotonic() < deadline:  # the dead backend may hold the row briefly
        imp = import_run(import_id=imp.pk)
        time.sleep(0.2)
    assert imp.status == "succeeded" and imp.attempts == 2
    assert ArrearsState.objects.get().balance == Decimal("1400") and Signal.objects.count() == 1


@pytest.fixture
def inbox_worker(transactional_db, request, tmp_path, monkeypatch):
    """The worker and beat share a drop folder and scan it every 2 seconds."""
    inbox = tmp_path / "inbox"
    monkeypatch.setenv("TIJDIG_INBOX_DIR", str(inbox))
    monkeypatch.setenv("TIJDIG_INBOX_MIN_AGE_SECONDS", "0")
    monkeypatch.setenv("TIJDIG_INBOX_SCAN_SECONDS", "2")
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    worker = request.getfixturevalue("celery_worker_process")
    log = open(tmp_path / "beat.log", "w")  # noqa: SIM115 (closed below)
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
         "--schedule", str(tmp_path / "beat-schedule"), "--pidfile", ""],
        cwd=ROOT, env=_env(tmp_path) | {"TIJDIG_INBOX_SCAN_SECONDS": "2"}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield inbox, worker
    finally:
        beat.terminate()
        try:
            beat.wait(timeout=20)
        except subprocess.TimeoutExpired:
            beat.kill()
        log.close()


@pytest.mark.real_worker
def test_beat_scans_the_drop_folder_and_a_real_worker_imports_the_file(inbox_worker, tmp_path):
    inbox, _worker = inbox_worker
    corp = PartnerFactory(slug="drechtwonen")
    TenancyFactory(household=HouseholdFactory(corporation=corp), contract_number="HC1", monthly_rent=700)
    folder = inbox / "drechtwonen"
    folder.mkdir(parents=True)
    (folder / "achterstand-2026-10-31.csv").write_text(
        "Contractnummer;Saldo;Oudste vervaldatum\nHC1;900,00;01-09-2026\n"
    )
    processed = folder / "processed" / "achterstand-2026-10-31.csv"
    deadline = time.monotonic() + 90
    while not processed.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processed.exists(), (tmp_path / "beat.log").read_text() + (tmp_path / "worker.log").read_text()
    assert (folder / "processed" / "achterstand-2026-10-31.csv.report.json").exists()
    imp = LedgerImport.objects.get()
    assert (imp.status, imp.source) == ("succeeded", "drop_folder")
    assert Signal.objects.get().amount == Decimal("900")
