import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ledger.models import LedgerImport
from tests.ledger.factories import LedgerImportFactory
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_health_reports_database_broker_and_last_good_import_per_partner(client, settings):
    corp_a = PartnerFactory(slug="corp-a")
    PartnerFactory(slug="corp-b")
    good = timezone.now() - dt.timedelta(hours=5)
    LedgerImportFactory(partner=corp_a, status=LedgerImport.Status.SUCCEEDED, finished_at=good)
    LedgerImportFactory(partner=corp_a, status=LedgerImport.Status.REJECTED, finished_at=timezone.now())
    LedgerImportFactory(partner=corp_a, status=LedgerImport.Status.SUCCEEDED, finished_at=good - dt.timedelta(days=1))
    response = client.get(reverse("health"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == ("in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "ok")
    assert body["last_successful_import"] == {"corp-a": good.isoformat(), "corp-b": None}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_is_503_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "unavailable"


def test_health_reports_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
