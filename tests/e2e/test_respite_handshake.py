"""Respite as a handshake in a real browser (docs/adr/0082, 0083; issue 15): the social service grants
respite — warned that its note is shared, with a private note beside it — the corporation's caseworker
finds the unmissable notice in the queue and on the case and confirms the pause, the social service sees
the confirmation, and the corporation's system hears both events by a signed webhook at a real receiver.
Webhooks go out in-process here (tasks eager, as in the embedded demo), right after each commit; the
real worker's round trip is in tests/partners/test_webhooks.py."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from arrears.models import Note
from arrears.workflow import CaseState
from partners.models import WebhookDelivery, WebhookSubscription
from tests.arrears.factories import flagged_case
from tests.e2e.conftest import login
from tests.partners.receiver import verify

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SECRET = "erp-shared-secret"
SHARED = "Huurder betaalt de lopende huur; schuldhulp loopt."
PRIVATE = "Mevrouw is ziek; broer helpt met de post."


def _logout(page):
    with page.expect_navigation():
        page.click("header form[action='/logout/'] button")


def _submit(page, button, message):
    with page.expect_response(lambda r: "/cases/" in r.url and r.request.method == "POST"):
        page.click(button)
    expect(page.locator("#messages")).to_contain_text(message)


def test_respite_round_trip_grant_notice_acknowledgement_and_signed_webhooks(page, screenshot, world, receiver):
    server = receiver()
    WebhookSubscription.objects.create(
        partner=world.corp_a, url=server.url, secret=SECRET, events=["respite.granted", "respite.acknowledged"]
    )
    case = flagged_case(
        world.corp_a,
        days=130,
        queue_partner=world.sd,
        state=CaseState.TAKEN_UP,
        assignee=world.charlie,
        household={"name": "M. Jansen", "street": "Vrieseweg", "house_number": 14},
    )
    until = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d-%m-%Y")

    # The social service grants respite: the form says the note is shared and offers a private one.
    login(page, "charlie", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.click("details.action > summary:has-text('Respijt verlenen')")
    form = page.locator("#action-respite_grant form")
    expect(form).to_contain_text("Gedeeld met de corporatie: zij leest deze notitie")
    expect(form.get_by_label("Privénotitie (alleen uw eigen organisatie)")).to_be_visible()
    page.fill("#id_text_grant", SHARED)
    form.get_by_label("Privénotitie (alleen uw eigen organisatie)").fill(PRIVATE)
    _submit(page, "#action-respite_grant button[type=submit]", "Respijt verleend")
    expect(page.locator("#respite-unacknowledged")).to_contain_text("Nog niet bevestigd door Corporatie A")
    assert PRIVATE in page.locator("#h-timeline + ol").inner_text()  # the service's own note, on its timeline
    ((granted_headers, granted_body, _at),) = server.wait_for(1)
    _logout(page)

    # The corporation: the queue flags the case, the case page holds the notice and the confirm button.
    login(page, "alice", PASSWORD)
    page.goto("/queue/")
    row = page.locator(f"#case-row-{case.pk}")
    expect(row).to_contain_text("Respijt: bevestig de pauze")
    expect(row).to_contain_text(f"Respijt tot {until}")
    screenshot(page, "queue-respite-to-confirm")
    with page.expect_navigation():
        row.locator("a").first.click()
    notice = page.locator("#respite-acknowledge")
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text(f"Respijt tot {until} — incasso pauzeren en bevestigen")
    assert SHARED in page.locator("#h-timeline + ol").inner_text()
    assert PRIVATE not in page.content()
    screenshot(page, "case-respite-to-confirm")
    _submit(
        page,
        "#respite-acknowledge button[type=submit]:has-text('Incasso gepauzeerd: bevestigen')",
        f"U heeft bevestigd dat de incasso gepauzeerd is tot {until}",
    )
    expect(page.locator("#respite-acknowledge")).to_have_count(0)
    expect(page.locator("#respite-acknowledged")).to_contain_text("Bevestigd door Corporatie A op")
    ((_h, _b, _t), (acknowledged_headers, acknowledged_body, _at)) = server.wait_for(2)
    _logout(page)

    # The social service sees the confirmation on the case and its timeline.
    login(page, "charlie", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    today = timezone.localdate().strftime("%d-%m-%Y")
    expect(page.locator("#respite-acknowledged")).to_contain_text(f"Bevestigd door Corporatie A op {today}")
    assert f"Incasso gepauzeerd tot {until}." in page.locator("#h-timeline + ol").inner_text()
    screenshot(page, "case-respite-confirmed")

    # The corporation's system heard both, signed with its secret, by ids only.
    note = Note.objects.get(case=case, kind=Note.Kind.RESPITE_GRANTED)
    assert note.acknowledged_by == world.alice
    deliveries = {d.event: d for d in WebhookDelivery.objects.filter(subscription__partner=world.corp_a)}
    for event, headers, body in [
        ("respite.granted", granted_headers, granted_body),
        ("respite.acknowledged", acknowledged_headers, acknowledged_body),
    ]:
        assert verify(SECRET, headers, body), event
        assert not verify("not-the-secret", headers, body)
        assert headers["X-Tijdig-Event"] == event
        assert headers["X-Tijdig-Delivery"] == str(deliveries[event].id)
        payload = json.loads(body)
        assert (payload["event"], payload["partner"]) == (event, "corp-a")
        assert payload["data"] == {"case_id": case.pk, "note_id": note.pk}
        assert deliveries[event].status == WebhookDelivery.Status.DELIVERED
        assert SHARED not in body.decode() and "Jansen" not in body.decode()
