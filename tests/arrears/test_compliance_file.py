"""The compliance file for the court (issue 15): who may download it, what its text says (read back with
``pdftotext``), what it leaves out, its document number and content hash, and the audit row."""

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears import compliance
from arrears.selectors import compliance as compliance_selectors
from arrears.services import cases as case_services
from arrears.services import notes, respite
from arrears.workflow import CaseState
from partners.models import AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]
TODAY = timezone.localdate()


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.fixture
def history(world, flagged):
    """Corporation A's case with every step, signalled to and taken up by the social service, which
    keeps private notes, a contact attempt of its own and a respite period."""
    case = flagged(world.corp_a, opened_days_ago=40, household={"name": "J. de Vries"})
    day = TODAY - dt.timedelta(days=30)
    case_services.case_claim(case=case, by=world.alice)
    case_services.contact_attempt_record(case=case, by=world.alice, kind="Telefoon", reached=False, date=day)
    for offset, item in enumerate(["reminder_sent", "contact_attempted", "pointed_to_help", "offered_to_share"]):
        case_services.checklist_record(case=case, by=world.alice, item=item, date=day + dt.timedelta(days=offset))
    case.refresh_from_db()
    assert case.state == CaseState.SIGNALLED, case.routing_reason
    case_services.case_take_up(case=case, by=world.charlie)
    notes.note_record(case=case, by=world.charlie, text="Geheime aantekening van de sociale dienst", shareable=False)
    case_services.contact_attempt_record(
        case=case, by=world.charlie, kind="Huisbezoek", reached=True, date=TODAY, outcome="Schulden bij de bank"
    )
    respite.respite_grant(
        case=case, by=world.charlie, until=TODAY + dt.timedelta(days=30), text="Reden: ziekte in het gezin"
    )
    case_services.payment_arrangement_record(
        case=case, by=world.alice, monthly_amount=Decimal("75.50"), start_date=TODAY
    )
    case.refresh_from_db()
    return case


def test_the_file_shows_the_steps_and_who_recorded_them(client, world, history):
    client.force_login(world.alice)
    response = client.get(reverse("case-compliance-file", args=[history.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = f"TIJDIG-{history.pk}-{timezone.localdate():%Y%m%d}-1"
    assert response["Content-Disposition"] == f'attachment; filename="{number}.pdf"'
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    day = TODAY - dt.timedelta(days=30)
    for expected in [
        "Bewijsdossier",
        number,
        "Corporatie A",
        "J. de Vries",
        "Schriftelijke herinnering verstuurd",
        "Gewezen op schuldhulp",
        "Geen bezwaar vastgelegd",
        f"{day:%d-%m-%Y}",
        f"{day + dt.timedelta(days=3):%d-%m-%Y}",
        "Telefoon",
        "alice",
        "Sociale Dienst",
        "Opgepakt",
        "Respijt verleend",
        f"{TODAY + dt.timedelta(days=30):%d-%m-%Y}",
        "€ 75,50",
    ]:
        assert expected in flat, expected
    facts = compliance_selectors.compliance_facts(user=world.alice, case=history)
    assert compliance.facts_hash(facts) in flat


def test_the_file_holds_nothing_the_corporation_may_not_see(client, world, history):
    client.force_login(world.alice)
    flat = " ".join(pdf_text(client.get(reverse("case-compliance-file", args=[history.pk])).content).split())
    for secret in ["Geheime aantekening", "Huisbezoek", "Schulden bij de bank", "ziekte", "charlie"]:
        assert secret not in flat, secret


def test_the_download_is_audited_and_numbered(client, world, history):
    client.force_login(world.alice)
    first = client.get(reverse("case-compliance-file", args=[history.pk]))
    second = client.get(reverse("case-compliance-file", args=[history.pk]))
    rows = list(AuditEvent.objects.filter(action="export", object_id=str(history.pk)).order_by("pk"))
    assert [r.detail["document_number"] for r in rows] == [
        f"TIJDIG-{history.pk}-{timezone.localdate():%Y%m%d}-{n}" for n in (1, 2)
    ]
    assert rows[0].user == world.alice and rows[0].household_id == history.household_id
    assert rows[0].detail["pdf_sha256"] == compliance.pdf_hash(first.content)
    assert rows[1].detail["pdf_sha256"] == compliance.pdf_hash(second.content)
    assert rows[0].detail["facts_sha256"] == rows[1].detail["facts_sha256"]
    assert re.fullmatch("[0-9a-f]{64}", rows[0].detail["facts_sha256"])


def test_only_the_corporations_case_workers_get_it(client, world, people, history, api):
    allowed = {("corp_a", "caseworker"), ("corp_a", "manager")}
    url = reverse("case-compliance-file", args=[history.pk])
    api_url = reverse("api:case-compliance-file", args=[history.pk])
    for (partner, role), user in people.items():
        client.force_login(user)
        want = 200 if (partner, role) in allowed else 404
        assert client.get(url).status_code == want, (partner, role)
        assert api(user).get(api_url).status_code == want, (partner, role, "api")
    client.force_login(world.alice)
    assert "compliance-file" in client.get(reverse("case-detail", args=[history.pk])).content.decode()
    client.force_login(world.charlie)
    assert "compliance-file" not in client.get(reverse("case-detail", args=[history.pk])).content.decode()


def test_the_api_answers_with_the_pdf(world, history, api):
    client = api(world.alice)
    response = client.get(reverse("api:case-compliance-file", args=[history.pk]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "Bewijsdossier" in pdf_text(response.content)
    assert AuditEvent.objects.filter(action="export", channel="api", object_id=str(history.pk)).exists()


@pytest.mark.parametrize("ask", [{"HTTP_ACCEPT": "application/pdf"}, {"QUERY_STRING": "format=pdf"}])
def test_an_error_asked_for_as_pdf_is_json_and_says_so(world, history, api, ask):
    """The API fuzzer's find: a 404 rendered for ``?format=pdf`` carried ``Content-Type: application/pdf``."""
    response = api(world.charlie).get(reverse("api:case-compliance-file", args=[history.pk]), **ask)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_the_hash_is_the_canonical_json_of_the_facts():
    facts = {"b": [1, "é"], "a": None}
    assert compliance.canonical_json(facts) == '{"a":null,"b":[1,"é"]}'.encode()
    assert compliance.facts_hash(facts) == compliance.facts_hash({"a": None, "b": [1, "é"]})
    assert compliance.document_number(12, dt.date(2026, 3, 4), 2) == "TIJDIG-12-20260304-2"


@pytest.mark.parametrize("asked", ["", "xml", "PDF"])
def test_a_format_the_view_cannot_render_is_400_naming_it(world, history, api, asked):
    """The API fuzzer's find: ``?format=`` (empty) was ignored and the PDF went out with a 200."""
    response = api(world.alice).get(reverse("api:case-compliance-file", args=[history.pk]), {"format": asked})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert "json, pdf" in response.json()["errors"]["format"][0]
    assert not AuditEvent.objects.filter(action="export", object_id=str(history.pk)).exists()


def test_format_json_or_pdf_is_still_honoured(world, history, api):
    response = api(world.alice).get(reverse("api:case-compliance-file", args=[history.pk]), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert api(world.alice).get("/api/v1/cases/", {"format": "json"}).status_code == 200
