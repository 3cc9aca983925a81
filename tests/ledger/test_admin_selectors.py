import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from ledger.models import ImportProfile, LedgerImport
from ledger.selectors import import_get, import_list
from tests.ledger.factories import run_import
from tests.partners.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(corp):
    user = UserFactory(username="beheer", is_staff=True)
    MembershipFactory(user=user, partner=corp, role="admin")
    from partners import access

    access.sync_user_groups(user)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="ledger", codename__endswith="ledgerimport"),
        *Permission.objects.filter(content_type__app_label="ledger", codename__endswith="importprofile"),
    )
    return user


def test_a_partner_admin_uploads_a_ledger_in_the_admin(
    client, corp, tenancy, admin_user, django_capture_on_commit_callbacks
):
    other = PartnerFactory(slug="ander")
    run_import(other, "Contractnummer;Huurder;Kale huur;Saldo\nX1;A;1;1\n")
    ImportProfile.objects.create(partner=other, name="theirs")
    client.force_login(admin_user)
    upload = SimpleUploadedFile("achterstand-2026-10-31.csv", b"Contractnummer;Saldo\nHC1;10,00\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/ledger/ledgerimport/add/", {"partner": corp.pk, "profile": "", "upload": upload, "as_of": ""}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    imp = LedgerImport.objects.get(partner=corp)
    assert (imp.status, imp.source, imp.created_by) == ("succeeded", "upload", admin_user)
    listing = client.get("/admin/ledger/ledgerimport/").content.decode()
    assert "achterstand-2026-10-31.csv" in listing and "ander" not in listing
    assert client.get(f"/admin/ledger/ledgerimport/{imp.pk}/change/").status_code == 200
    assert "theirs" not in client.get("/admin/ledger/importprofile/").content.decode()
    response = client.post("/admin/ledger/ledgerimport/add/", {"partner": other.pk, "upload": upload})
    assert response.status_code == 200 and LedgerImport.objects.count() == 2  # not a partner of theirs


def test_imports_are_visible_to_the_partners_managers_and_admins_only(corp, admin_user):
    imp = run_import(corp, "Contractnummer;Huurder;Kale huur;Saldo\nHC1;A;1;1\n")
    caseworker = MembershipFactory(partner=corp, role="caseworker").user
    outsider = MembershipFactory(partner=PartnerFactory(slug="ander"), role="admin").user
    assert list(import_list(user=admin_user)) == [imp]
    assert import_get(user=admin_user, pk=imp.pk) == imp
    assert list(import_list(user=caseworker)) == [] and list(import_list(user=outsider)) == []
    with pytest.raises(Http404):
        import_get(user=outsider, pk=imp.pk)
    assert list(import_list(partner=corp)) == [imp]
