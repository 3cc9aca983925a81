"""Issue 20: a stored ledger file lives only as long as it is useful; its error values go with it, the
hash, counts and error positions stay (ADR 0072). The drop folder's files and reports alike."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from ledger.models import LedgerImport
from ledger.tasks import scan_inbox
from privacy.models import PurgeRun
from privacy.services.retention import personal_data_purge
from tests.ledger.factories import run_import

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = "Contractnummer;Saldo\nHC1;800,00\nHC77;12,00\n"  # HC77 unknown: a row error with its value
BAD = "Contractnummer;Saldo\nHC1;geheim-bedrag\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root: Path):
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_stored_files_go_after_their_window_and_the_error_values_with_them(media, corp, tenancy):
    applied = run_import(corp, GOOD)
    rejected = run_import(corp, BAD, name="kapot.csv")
    assert (applied.status, rejected.status) == ("succeeded", "rejected")
    assert {e["value"] for e in applied.errors} == {"HC77"} and rejected.errors[0]["value"] == "geheim-bedrag"
    assert len(files_under(media)) == 2
    now = timezone.now()

    counts, _ = personal_data_purge(now=now + dt.timedelta(days=6))
    assert counts["import_files_deleted"] == 0 and len(files_under(media)) == 2

    counts, run_ = personal_data_purge(now=now + dt.timedelta(days=8))
    assert counts["import_files_deleted"] == 1 and counts["import_file_bytes_deleted"] == len(GOOD)
    assert PurgeRun.objects.get(pk=run_.pk).counts["import_files_deleted"] == 1
    applied.refresh_from_db()
    assert not applied.file and applied.file_purged_at is not None
    assert applied.errors == [{"line": 3, "column": "Contractnummer", "reason": applied.errors[0]["reason"],
                               "code": "unknown_contract", "rejected": True}]  # fmt: skip
    assert applied.summary["rows"] == 2 and applied.sha256
    assert len(files_under(media)) == 1  # the rejected one: 30 days, so the corporation can see why

    personal_data_purge(now=now + dt.timedelta(days=31))
    rejected.refresh_from_db()
    assert not rejected.file and "value" not in rejected.errors[0] and rejected.errors[0]["line"] == 2
    assert files_under(media) == []
    # Idempotency still works without the file: the same content is recognised by its hash.
    again = run_import(corp, GOOD, name="zelfde-inhoud.csv")
    assert again.pk == applied.pk and LedgerImport.objects.count() == 2


def test_the_drop_folders_files_go_and_their_reports_lose_the_values(settings, tmp_path, media, corp, tenancy):
    settings.TIJDIG_INBOX_DIR = tmp_path / "inbox"
    settings.TIJDIG_INBOX_MIN_AGE_SECONDS = 0
    folder = settings.TIJDIG_INBOX_DIR / corp.slug
    folder.mkdir(parents=True)
    (folder / "achterstand-2026-10-31.csv").write_text(GOOD)
    (folder / "kapot.csv").write_text(BAD)
    scan_inbox.delay()
    processed, failed = folder / "processed", folder / "failed"
    assert (processed / "achterstand-2026-10-31.csv").is_file() and (failed / "kapot.csv").is_file()
    assert "HC77" in (processed / "achterstand-2026-10-31.csv.report.json").read_text()
    as_of = (timezone.localdate() + dt.timedelta(days=8)).isoformat()

    call_command("purge_personal_data", "--as-of", as_of, "--dry-run", stdout=io.StringIO())
    assert (processed / "achterstand-2026-10-31.csv").is_file()  # a dry run changes nothing

    call_command("purge_personal_data", "--as-of", as_of, stdout=io.StringIO())
    assert sorted(p.name for p in processed.iterdir()) == ["achterstand-2026-10-31.csv.report.json"]
    report = json.loads((processed / "achterstand-2026-10-31.csv.report.json").read_text())
    assert report["file_deleted"] and report["errors"][0]["code"] == "unknown_contract"
    assert "HC77" not in json.dumps(report)
    assert (failed / "kapot.csv").is_file()  # rejected: kept for 30 days

    as_of = (timezone.localdate() + dt.timedelta(days=31)).isoformat()
    call_command("purge_personal_data", "--as-of", as_of, stdout=io.StringIO())
    assert sorted(p.name for p in failed.iterdir()) == ["kapot.csv.report.json"]
    assert "geheim-bedrag" not in (failed / "kapot.csv.report.json").read_text()
    assert files_under(media) == []
