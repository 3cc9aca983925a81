"""Ledger upload by API: 202 with the import to poll, the report when it ran, the same file once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.models import ImportProfile, LedgerImport
from tests.households.factories import HouseholdFactory, TenancyFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"
LEDGER = b"Contractnummer;Saldo;Oudste vervaldatum\nHC1;1400,00;01-08-2026\nHC404;12,3,4;\n"


def upload(client, content=LEDGER, name="achterstand-2026-10-05.csv", **data):
    return client.post(URL, {"file": SimpleUploadedFile(name, content), **data}, format="multipart")


@pytest.fixture
def tenancy(world):
    return TenancyFactory(
        household=HouseholdFactory(corporation=world.corp_a), contract_number="HC1", monthly_rent="700.00"
    )


def test_upload_answers_202_and_the_report_follows(world, api, people, tenancy, django_capture_on_commit_callbacks):
    client = api(people["corp_a", "admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["source"] == "api" and body["created_by"] == "corp-a-admin"
    assert response["Location"] == body["url"]
    # WSGI (PEP 3333) wants header values of type str exactly: runserver's wsgiref answered 500 to the
    # serializer's Hyperlink (a str subclass).
    assert type(response["Location"]) is str
    report = client.get(body["url"]).json()
    assert report["status"] == "succeeded", report
    assert report["as_of"] == "2026-10-05"
    assert report["summary"]["rows"] == 2 and report["summary"]["rejected_rows"] == 1
    [error] = report["errors"]
    assert (error["line"], error["column"], error["value"]) == (3, "Saldo", "12,3,4")
    assert report["summary"]["new_signals"] == 1


def test_a_report_whose_file_and_values_are_purged_still_answers(
    world, api, people, tenancy, django_capture_on_commit_callbacks
):
    """After the stored file's window the error values are gone (ADR 0072): the report keeps each
    error's line, column and reason and answers 200 with an empty value, never a 500."""
    from django.utils import timezone

    from privacy.services.retention import import_files_purge

    client = api(people["corp_a", "admin"])
    with django_capture_on_commit_callbacks(execute=True):
        body = upload(client).json()
    import_files_purge(now=timezone.now() + timezone.timedelta(days=8))
    assert "value" not in LedgerImport.objects.get().errors[0]
    response = client.get(body["url"])
    assert response.status_code == 200, response.content
    [error] = response.json()["errors"]
    assert (error["line"], error["column"], error["value"]) == (3, "Saldo", "")


def test_the_same_file_again_returns_the_earlier_import(world, api, people, tenancy):
    client = api(people["corp_a", "admin"])
    first = upload(client).json()
    again = upload(client, name="other-name.csv")
    assert again.status_code == 202 and again.json()["id"] == first["id"]
    assert LedgerImport.objects.count() == 1


def test_a_rejected_file_reports_why(world, api, people, django_capture_on_commit_callbacks):
    client = api(people["corp_a", "admin"])
    with django_capture_on_commit_callbacks(execute=True):
        body = upload(client, b"Huurder;Straat\nA;B\n").json()
    report = client.get(body["url"]).json()
    assert report["status"] == "rejected" and "Contractnummer" in report["message"]


def test_bad_uploads_are_400_with_the_field(world, api, people):
    client = api(people["corp_a", "admin"])
    assert client.post(URL, {}, format="multipart").json()["errors"].keys() == {"file"}
    assert "file" in upload(client, b"").json()["errors"]
    assert "profile" in upload(client, profile="nope").json()["errors"]
    assert "as_of" in upload(client, as_of="1999-01-01").json()["errors"]
    assert client.post(URL, {"file": "x"}, format="json").status_code == 415  # the upload is multipart
    assert not LedgerImport.objects.exists()
    long_name = upload(client, name="x" * 300 + ".csv").json()  # Django shortens it, keeping the extension
    assert len(long_name["file_name"]) <= 255 and long_name["file_name"].endswith(".csv")


def test_a_named_profile_is_used(world, api, people, tenancy):
    ImportProfile.objects.create(partner=world.corp_a, name="ERP")
    body = upload(api(people["corp_a", "admin"]), profile="ERP").json()
    assert body["profile"] == "ERP"


@pytest.mark.parametrize(("partner", "role"), [("corp_a", "manager"), ("corp_a", "caseworker"), ("sd", "admin")])
def test_only_a_corporations_partner_admin_uploads(world, api, people, partner, role):
    assert upload(api(people[partner, role])).status_code == 403
    assert not LedgerImport.objects.exists()
