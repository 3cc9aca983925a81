"""The drop folder, scanned by the beat task (run eagerly here)."""

import json
import os
import time

import pytest

from ledger.models import LedgerImport
from ledger.tasks import scan_inbox

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inbox(settings, tmp_path, corp):
    settings.TIJDIG_INBOX_DIR = tmp_path / "inbox"
    settings.TIJDIG_INBOX_MIN_AGE_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = settings.TIJDIG_INBOX_DIR / corp.slug
    folder.mkdir(parents=True)
    return folder


def test_each_dropped_file_is_imported_once_and_filed_with_its_report(inbox, tenancy):
    (inbox / "achterstand-2026-10-31.csv").write_text("Contractnummer;Saldo\nHC1;800,00\n")
    (inbox / "kapot.csv").write_text("Contractnummer;Huurder\nHC1;A\n")
    (inbox / "bezig.csv.part").write_text("half")
    scan_inbox.delay()
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == ["bezig.csv.part"]
    report = json.loads((inbox / "processed" / "achterstand-2026-10-31.csv.report.json").read_text())
    assert report["status"] == "succeeded" and report["summary"]["rows"] == 1
    failed = json.loads((inbox / "failed" / "kapot.csv.report.json").read_text())
    assert failed["status"] == "rejected" and "Saldo" in failed["message"]
    assert LedgerImport.objects.filter(source="drop_folder").count() == 2
    # the same content dropped again (another name): filed at once, nothing imported
    (inbox / "achterstand-kopie.csv").write_text("Contractnummer;Saldo\nHC1;800,00\n")
    assert scan_inbox.delay().get() == {"submitted": 0, "filed": 1, "requeued": 0, "refused": 0}
    assert "Same content" in json.loads((inbox / "processed" / "achterstand-kopie.csv.report.json").read_text())["note"]
    assert LedgerImport.objects.count() == 2


def test_a_file_still_being_written_waits(inbox, settings):
    settings.TIJDIG_INBOX_MIN_AGE_SECONDS = 60
    path = inbox / "nieuw.csv"
    path.write_text("Contractnummer;Saldo\nHC1;1\n")
    scan_inbox.delay()
    assert path.exists() and not LedgerImport.objects.exists()
    old = time.time() - 120
    os.utime(path, (old, old))
    scan_inbox.delay()
    assert not path.exists()


def test_an_import_whose_task_failed_is_retried_by_the_next_scan(inbox, tenancy, monkeypatch):
    from arrears import routing

    (inbox / "a.csv").write_text("Contractnummer;Saldo;Oudste vervaldatum\nHC1;800,00;01-09-2026\n")

    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routing, "route_flagged_cases", crash)
    with pytest.raises(RuntimeError):
        scan_inbox.delay()
    assert LedgerImport.objects.get().status == "failed" and (inbox / "a.csv").exists()
    monkeypatch.undo()
    assert scan_inbox.delay().get()["requeued"] == 1
    assert LedgerImport.objects.get().status == "succeeded" and (inbox / "processed" / "a.csv").exists()
