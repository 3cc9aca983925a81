"""The partner admin's imports page: who may see it, the list, one import's report and its CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledger.models import LedgerImport
from tests.ledger.factories import LedgerImportFactory

pytestmark = pytest.mark.django_db


def test_imports_page_is_for_partner_admins_only(client, world, admin_a):
    client.force_login(world.alice)
    assert client.get(reverse("imports")).status_code == 403
    client.force_login(admin_a)
    assert client.get(reverse("imports")).status_code == 200


def test_imports_list_shows_own_imports_with_counts(client, world, admin_a):
    LedgerImportFactory(
        partner=world.corp_a,
        file_name="eigen.csv",
        status="succeeded",
        summary={
            "rows": 1200,
            "tenancies": 1100,
            "rejected_rows": 3,
            "new_signals": 17,
            "updated_signals": 5,
            "closed_signals": 2,
        },
    )
    LedgerImportFactory(partner=world.corp_b, file_name="vreemd.csv")
    client.force_login(admin_a)
    body = client.get(reverse("imports")).content.decode()
    assert "eigen.csv" in body and "vreemd.csv" not in body
    for figure in ("1200", "1100", "17"):
        assert f'<td class="num">{figure}</td>' in body
    # what an import opens is an arrears episode, not a signal (docs/adr/0091)
    assert "Nieuwe achterstanden" in body and "Nieuwe signalen" not in body
    assert "Imports" in body  # the navigation shows the page to partner admins


def test_running_import_row_polls_itself(client, world, admin_a):
    running = LedgerImportFactory(partner=world.corp_a, status="running")
    client.force_login(admin_a)
    body = client.get(reverse("imports")).content.decode()
    assert f'hx-get="{reverse("import-detail", args=[running.pk])}" hx-trigger="every 3s"' in body
    row = client.get(
        reverse("import-detail", args=[running.pk]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"import-row-{running.pk}"
    )
    assert row.content.decode().lstrip().startswith(f'<tr id="import-row-{running.pk}"')


def test_import_detail_shows_the_error_report(client, world, admin_a):
    imp = LedgerImportFactory(
        partner=world.corp_a,
        status="succeeded",
        errors=[{"line": 12, "column": "Saldo", "value": "12,3,4", "reason": "geen bedrag"}],
    )
    client.force_login(admin_a)
    body = client.get(reverse("import-detail", args=[imp.pk])).content.decode()
    assert "12,3,4" in body and "geen bedrag" in body and "Saldo" in body
    assert "1 regel is niet geïmporteerd." in body


def test_rejected_import_says_why(client, world, admin_a):
    imp = LedgerImportFactory(partner=world.corp_a, status="rejected", message="Kolom Saldo ontbreekt.")
    client.force_login(admin_a)
    assert "Kolom Saldo ontbreekt." in client.get(reverse("import-detail", args=[imp.pk])).content.decode()


def test_other_partners_import_is_404(client, world, admin_a):
    other = LedgerImportFactory(partner=world.corp_b)
    client.force_login(admin_a)
    assert client.get(reverse("import-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("import-errors-csv", args=[other.pk])).status_code == 404


def test_error_report_as_csv_defuses_formulas(client, world, admin_a):
    imp = LedgerImportFactory(
        partner=world.corp_a, errors=[{"line": 3, "column": "Naam", "value": "=HYPERLINK(1)", "reason": "raar"}]
    )
    client.force_login(admin_a)
    response = client.get(reverse("import-errors-csv", args=[imp.pk]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines() == ["regel;kolom;waarde;reden", "3;Naam;'=HYPERLINK(1);raar"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("huur.pdf", b"%PDF", "is geen CSV- of Excelbestand"),
        ("leeg.csv", b"", "Het verstuurde bestand is leeg."),
    ],
)
def test_upload_refuses_wrong_files_before_importing(client, world, admin_a, name, content, message):
    client.force_login(admin_a)
    response = client.post(reverse("imports"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()


CSV = b"Contractnummer;Huurder;Kale huur;Saldo\nHC1;J. de Vries;650,00;1300,00\n"


def test_upload_stores_the_file_and_queues_the_import(client, world, admin_a, django_capture_on_commit_callbacks):
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("imports"), {"file": SimpleUploadedFile("achterstand.csv", CSV)})
    imp = LedgerImport.objects.get(partner=world.corp_a)
    assert (imp.file_name, imp.source, imp.created_by, imp.status) == ("achterstand.csv", "upload", admin_a, "pending")
    assert len(callbacks) == 1  # the import task, once the upload is committed
    assert response.status_code == 302 and response.url == reverse("import-detail", args=[imp.pk])
    page = client.get(response.url)
    body = page.content.decode()
    assert "“achterstand.csv” is geüpload en staat klaar voor import." in body
    assert 'hx-trigger="every 3s"' in body  # the status refreshes itself while it waits


def test_same_file_twice_changes_nothing_and_says_so(client, world, admin_a, django_capture_on_commit_callbacks):
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks():
        client.post(reverse("imports"), {"file": SimpleUploadedFile("achterstand.csv", CSV)})
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("imports"), {"file": SimpleUploadedFile("kopie.csv", CSV)}, follow=True)
    assert LedgerImport.objects.filter(partner=world.corp_a).count() == 1
    assert callbacks == []
    assert "is al geïmporteerd op" in response.content.decode()


def test_upload_runs_the_import_and_the_page_shows_the_counts(
    client, world, admin_a, django_capture_on_commit_callbacks
):
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports"), {"file": SimpleUploadedFile("achterstand-2026-10-31.csv", CSV)})
    imp = LedgerImport.objects.get(partner=world.corp_a)
    assert (imp.status, imp.summary["rows"], imp.summary["tenancies"]) == ("succeeded", 1, 1)
    body = client.get(response.url).content.decode()
    assert "Geïmporteerd" in body
    assert "<dt>Exportdatum</dt><dd>31-10-2026</dd>" in body
    assert "<dt>Regels</dt><dd>1</dd>" in body
    assert "Alle regels zijn geïmporteerd." in body
    assert 'hx-trigger="every 3s"' not in body  # done: no more polling


def test_status_poll_reloads_the_page_once_the_import_is_done(client, world, admin_a):
    imp = LedgerImportFactory(partner=world.corp_a, status="running")
    client.force_login(admin_a)
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "import-status"}
    running = client.get(reverse("import-detail", args=[imp.pk]), **poll)
    assert "HX-Refresh" not in running
    imp.status = "succeeded"
    imp.save()
    done = client.get(reverse("import-detail", args=[imp.pk]), **poll)
    assert done["HX-Refresh"] == "true"


@pytest.mark.django_db(transaction=True)  # committed for real: the hand-over to the queue runs on commit
def test_upload_while_the_task_queue_is_down_is_kept_and_the_admin_told(client, world, admin_a, monkeypatch):
    import kombu.exceptions

    from ledger.tasks import import_ledger

    def broker_down(*args, **kwargs):
        raise kombu.exceptions.OperationalError("connection refused")

    monkeypatch.setattr(import_ledger, "delay", broker_down)
    client.force_login(admin_a)
    response = client.post(reverse("imports"), {"file": SimpleUploadedFile("achterstand.csv", CSV)}, follow=True)
    imp = LedgerImport.objects.get(partner=world.corp_a)
    assert imp.status == "pending" and imp.queued_at is None
    body = response.content.decode()
    assert f"Het bestand “achterstand.csv” is ontvangen en bewaard (import {imp.pk})" in body
    assert "De import start vanzelf" in body  # and the import's own note says the same
    assert "Het bestand is afgewezen" not in body  # the note is not a rejection


def test_import_detail_shows_the_eviction_counts_only_for_a_file_with_eviction_columns(client, world, admin_a):
    summary = {"eviction_steps": 3, "eviction_steps_in_respite": 1, "eviction_steps_known": 2}
    with_columns = LedgerImportFactory(partner=world.corp_a, status="succeeded", summary=summary)
    without = LedgerImportFactory(partner=world.corp_a, status="succeeded", summary={"rows": 4})
    client.force_login(admin_a)
    body = client.get(reverse("import-detail", args=[with_columns.pk])).content.decode()
    assert "Ontruimingsstappen vastgelegd</dt><dd>3 · 1 tijdens respijt</dd>" in body
    assert "Ontruimingsstappen" not in client.get(reverse("import-detail", args=[without.pk])).content.decode()
