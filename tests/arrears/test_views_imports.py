"""The partner admin's imports page: who may see it, the list, one import's report and its CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..factories import LedgerImportFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(world):
    return MembershipFactory(user=UserFactory(username="admin-a"), partner=world.corp_a, role="admin").user


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
