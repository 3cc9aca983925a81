"""The household/case page: what each partner sees, and that it costs a fixed number of queries."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from arrears.models import CaseEvent
from arrears.workflow import CaseState
from tests.arrears.factories import ContactAttemptFactory, ReferralFactory, flagged_case, move_case
from tests.ledger.factories import ArrearsSnapshotFactory

pytestmark = pytest.mark.django_db


def _routed(case, social_service):
    return move_case(case, queue_partner=social_service, state=CaseState.SIGNALLED, signalled_at=timezone.now())


def _history(case, months):
    tenancy = case.household.tenancies.get()
    for i in range(months):
        month_end = dt.date(2025 + (i // 12), (i % 12) + 1, 28)
        ArrearsSnapshotFactory(tenancy=tenancy, as_of=month_end, balance=Decimal(100 * i))
        ArrearsSnapshotFactory(tenancy=tenancy, as_of=month_end - dt.timedelta(days=14), balance=Decimal(1))


def test_case_page_requires_login(client, world):
    case = flagged_case(world.corp_a)
    response = client.get(reverse("case-detail", args=[case.pk]))
    assert response.status_code == 302


def test_other_partners_case_is_404(client, world):
    case = flagged_case(world.corp_b)
    client.force_login(world.alice)
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    client.force_login(world.charlie)  # not routed to the social service: it does not exist for them
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404


def test_corporation_sees_household_tenancy_history_signals_and_timeline(client, world):
    case = flagged_case(
        world.corp_a, amount="1500.00", household={"name": "A. Jansen", "street": "Kerkstraat", "phone": "0612345678"}
    )
    _history(case, 3)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.OPENED, to_state=CaseState.NEW, reason="Gemarkeerd")
    client.force_login(world.alice)
    response = client.get(reverse("case-detail", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "A. Jansen" in body and "Kerkstraat" in body and "0612345678" in body
    contract = case.household.tenancies.get().contract_number
    assert contract in body
    assert "€ 1.500,00" in body
    assert 'id="arrears-history-data"' in body
    # One point a month: the month's last snapshot.
    assert response.context["history_chart"] == [
        {"month": "2025-01", "balance": "0.00"},
        {"month": "2025-02", "balance": "100.00"},
        {"month": "2025-03", "balance": "200.00"},
    ]
    assert "Gemarkeerd" in body
    assert "<script>" not in body and " style=" not in body  # strict CSP: nothing inline


def test_social_service_sees_the_signal_but_not_the_ledger(client, world):
    case = _routed(flagged_case(world.corp_a, household={"name": "B. de Boer", "phone": "0687654321"}), world.sd)
    _history(case, 2)
    client.force_login(world.charlie)
    response = client.get(reverse("case-detail", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "B. de Boer" in body
    assert case.household.tenancies.get().contract_number not in body
    assert response.context["history"] == []
    assert response.context["tenancies"] == []
    assert 'id="arrears-history-data"' not in body


def test_social_service_is_offered_take_up_and_respite_corporation_is_offered_referral(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    offered = set(client.get(reverse("case-detail", args=[case.pk])).context["forms"])
    assert {"claim", "contact", "note", "checklist", "refer", "arrangement", "close"} <= offered
    assert not offered & {"take_up", "respite_grant", "referral_accept"}
    _routed(case, world.sd)
    client.force_login(world.charlie)
    offered = set(client.get(reverse("case-detail", args=[case.pk])).context["forms"])
    assert {"take_up", "respite_grant", "contact", "note", "close"} <= offered
    assert not offered & {"refer", "checklist", "arrangement"}


def test_pending_referral_is_offered_to_the_social_service(client, world):
    case = flagged_case(world.corp_a)
    ReferralFactory(case=case, to_partner=world.sd, reason="Wil graag hulp")
    client.force_login(world.charlie)
    response = client.get(reverse("case-detail", args=[case.pk]))
    assert {"referral_accept", "referral_decline"} <= set(response.context["forms"])
    assert "Wil graag hulp" in response.content.decode()
    client.force_login(world.alice)
    assert "refer" not in client.get(reverse("case-detail", args=[case.pk])).context["forms"]


def test_htmx_gets_only_the_main_part(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = client.get(reverse("case-detail", args=[case.pk]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-main")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="case-main"')
    assert "<html" not in body


def _queries(client, case):
    client.get(reverse("case-detail", args=[case.pk]))  # warm: the session is written on the first request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("case-detail", args=[case.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_case_page_query_count_does_not_grow_with_history(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    before = _queries(client, case)
    _history(case, 12)
    for _ in range(10):
        ContactAttemptFactory(case=case)
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CONTACT, actor=world.alice, partner=world.corp_a)
    ReferralFactory(case=case, to_partner=world.sd, status="declined")
    assert _queries(client, case) == before


def test_unknown_action_is_404(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    assert client.post(reverse("case-action", args=[case.pk, "explode"])).status_code == 404


def test_action_on_other_partners_case_is_404(client, world):
    case = flagged_case(world.corp_b)
    client.force_login(world.alice)
    assert client.post(reverse("case-action", args=[case.pk, "note"]), {"text": "x"}).status_code == 404


def test_action_is_post_only(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    assert client.get(reverse("case-action", args=[case.pk, "claim"])).status_code == 405


def test_invalid_contact_attempt_shows_the_form_with_errors(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("case-action", args=[case.pk, "contact"]),
        {"kind": "Telefoon", "date": tomorrow},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="case-main",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["open_form"] == "contact"
    assert "De datum kan niet in de toekomst liggen." in body
    assert 'aria-invalid="true"' in body
    assert "Controleer:" in body  # the message says what to fix
    assert case.contact_attempts.count() == 0


def test_invalid_action_without_htmx_answers_400_with_the_page(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = client.post(reverse("case-action", args=[case.pk, "note"]), {"text": ""})
    assert response.status_code == 400
    assert "<html" in response.content.decode()
    assert case.notes.count() == 0


def test_chart_data_is_json_not_script(client, world):
    case = flagged_case(world.corp_a)
    _history(case, 1)
    client.force_login(world.alice)
    body = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    start = body.index('<script id="arrears-history-data" type="application/json">') + len(
        '<script id="arrears-history-data" type="application/json">'
    )
    data = json.loads(body[start : body.index("</script>", start)])
    assert data == [{"month": "2025-01", "balance": "0.00"}]


def test_months_without_an_export_are_gaps_not_guesses(client, world):
    case = flagged_case(world.corp_a)
    tenancy = case.household.tenancies.get()
    ArrearsSnapshotFactory(tenancy=tenancy, as_of=dt.date(2025, 11, 30), balance=Decimal("400"))
    ArrearsSnapshotFactory(tenancy=tenancy, as_of=dt.date(2026, 2, 28), balance=Decimal("900"))
    client.force_login(world.alice)
    response = client.get(reverse("case-detail", args=[case.pk]))
    assert response.context["history_chart"] == [
        {"month": "2025-11", "balance": "400.00"},
        {"month": "2025-12", "balance": None},
        {"month": "2026-01", "balance": None},
        {"month": "2026-02", "balance": "900.00"},
    ]
    assert response.content.decode().count('<td class="num">€ ') >= 2  # the table lists only real months
