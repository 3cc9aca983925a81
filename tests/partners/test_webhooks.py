"""Webhooks (docs/adr/0083): deliveries to a real HTTP receiver on localhost, started by the test."""

import datetime as dt
import json
import time

import pytest
from celery.exceptions import Retry
from django.db import transaction
from django.utils import timezone

from arrears.services import respite as respite_services
from arrears.workflow import CaseState
from partners import tasks, webhook_sending, webhooks
from partners.models import WebhookDelivery, WebhookSubscription
from partners.webhook_sending import DeliveryFailed
from tests.arrears.factories import flagged_case
from tests.partners.receiver import verify

pytestmark = [pytest.mark.django_db]
SECRET = "s3cret-for-tests"


@pytest.fixture
def taken_up(world):
    return flagged_case(
        world.corp_a, days=130, queue_partner=world.sd, state=CaseState.TAKEN_UP, assignee=world.charlie
    )


def subscribe(partner, url, events=("respite.granted",), **kwargs):
    return WebhookSubscription.objects.create(partner=partner, url=url, secret=SECRET, events=list(events), **kwargs)


def test_respite_granted_reaches_the_corporation_signed_and_without_personal_data(
    world, taken_up, receiver, django_capture_on_commit_callbacks
):
    server = receiver()
    subscribe(world.corp_a, server.url)
    with django_capture_on_commit_callbacks(execute=True):
        note = respite_services.respite_grant(case=taken_up, by=world.charlie)
    assert len(server.received) == 1
    headers, body, _at = server.received[0]
    delivery = WebhookDelivery.objects.get()
    assert verify(SECRET, headers, body)
    assert not verify("another secret", headers, body)
    assert abs(int(headers["X-Tijdig-Timestamp"]) - time.time()) < 60
    assert headers["X-Tijdig-Event"] == "respite.granted"
    assert headers["X-Tijdig-Delivery"] == str(delivery.id)
    payload = json.loads(body)
    assert payload["id"] == str(delivery.id) and payload["event"] == "respite.granted"
    assert payload["partner"] == "corp-a"
    assert payload["data"] == {"case_id": taken_up.pk, "note_id": note.pk}
    assert set(payload) == {"id", "event", "occurred_at", "partner", "data"}
    # ids and event names only: nothing of the household, the note's text or the dates travels
    household = taken_up.household
    text = body.decode()
    for value in [note.text, str(note.respite_until), household.pk and getattr(household, "postcode", "")]:
        if value:
            assert str(value) not in text
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.response_code == 200
    assert delivery.attempts == 1 and delivery.delivered_at is not None


def test_only_subscribed_events_and_active_subscriptions_of_partners_that_see_the_case(
    world, taken_up, receiver, django_capture_on_commit_callbacks
):
    server = receiver()
    subscribe(world.corp_a, server.url, events=["respite.ended"])  # not granted
    subscribe(world.corp_a, server.url, is_active=False)
    subscribe(world.corp_b, server.url)  # another corporation: does not see the case
    sd_sub = subscribe(world.sd, server.url)  # the queue partner does
    with django_capture_on_commit_callbacks(execute=True):
        respite_services.respite_grant(case=taken_up, by=world.charlie)
    assert [d.subscription for d in WebhookDelivery.objects.all()] == [sd_sub]
    assert [h["X-Tijdig-Event"] for h, _b, _t in server.received] == ["respite.granted"]


def test_nothing_is_sent_for_a_rolled_back_change(world, taken_up, receiver, django_capture_on_commit_callbacks):
    server = receiver()
    subscribe(world.corp_a, server.url)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        respite_services.respite_grant(case=taken_up, by=world.charlie)
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert server.received == [] and not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(world, receiver):
    server = receiver(script=[500, 503])
    subscription = subscribe(world.corp_a, server.url, events=["case.closed"])
    with transaction.atomic():
        (delivery,) = webhooks.emit([world.corp_a.pk], "case.closed", {"case_id": 1})
    for _attempt in range(2):
        with pytest.raises(DeliveryFailed):
            webhook_sending.attempt(WebhookDelivery.objects.select_related("subscription").get(pk=delivery.pk))
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.PENDING and delivery.response_code in (500, 503)
    webhook_sending.attempt(WebhookDelivery.objects.select_related("subscription").get(pk=delivery.pk))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts, delivery.last_error) == (
        "delivered",
        200,
        3,
        "",
    )
    # the same delivery id each time: the receiver can drop a repeat
    assert {h["X-Tijdig-Delivery"] for h, _b, _t in server.received} == {str(delivery.id)}
    # a delivered one is not sent again
    assert tasks.deliver_webhook.run(str(delivery.id)) == {"status": "skipped"}
    assert len(server.received) == 3 and subscription.deliveries.count() == 1


def test_the_task_retries_under_acks_late_with_backoff_spanning_a_day(world, receiver, monkeypatch):
    task = tasks.deliver_webhook
    assert task.acks_late and task.autoretry_for == (DeliveryFailed,)
    total = sum(min(task.retry_backoff * 2**n, task.retry_backoff_max) for n in range(task.max_retries))
    assert dt.timedelta(hours=20) < dt.timedelta(seconds=total) < dt.timedelta(hours=30)
    # eager: a failing receiver makes the task schedule a retry (celery.exceptions.Retry when not eager)
    server = receiver(script=[500])
    subscribe(world.corp_a, server.url, events=["case.closed"])
    with transaction.atomic():
        (delivery,) = webhooks.emit([world.corp_a.pk], "case.closed", {"case_id": 1})
    with pytest.raises(Retry) as retry:
        task.apply(args=[str(delivery.id)], throw=True)
    assert retry.value.when == task.retry_backoff  # the first retry in a minute, then doubling
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.response_code == 500
    assert task.apply(args=[str(delivery.id)]).get() == {"status": "delivered", "response_code": 200}
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and len(server.received) == 2


def test_a_receiver_that_times_out_is_a_failed_attempt_and_the_last_one_marks_it_failed(world, receiver):
    server = receiver(script=["hang"])
    subscribe(world.corp_a, server.url, events=["case.closed"])
    with transaction.atomic():
        (delivery,) = webhooks.emit([world.corp_a.pk], "case.closed", {"case_id": 1})
    started = time.monotonic()
    with pytest.raises(DeliveryFailed):
        webhook_sending.attempt(WebhookDelivery.objects.select_related("subscription").get(pk=delivery.pk), final=True)
    assert time.monotonic() - started < webhook_sending.TIMEOUT + 2
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.response_code is None
    assert "timed out" in delivery.last_error.lower() or "timeout" in delivery.last_error.lower()


def test_unreachable_and_non_http_urls(world):
    subscribe(world.corp_a, "http://127.0.0.1:9/none", events=["case.closed"])
    subscribe(world.corp_a, "file:///etc/passwd", events=["case.closed"])
    with transaction.atomic():
        emitted = {d.subscription.url: d for d in webhooks.emit([world.corp_a.pk], "case.closed", {"case_id": 1})}
    unreachable, local_file = emitted["http://127.0.0.1:9/none"], emitted["file:///etc/passwd"]
    with pytest.raises(DeliveryFailed):
        webhook_sending.attempt(WebhookDelivery.objects.select_related("subscription").get(pk=unreachable.pk))
    webhook_sending.attempt(WebhookDelivery.objects.select_related("subscription").get(pk=local_file.pk))
    assert WebhookDelivery.objects.get(pk=local_file.pk).status == WebhookDelivery.Status.FAILED


def test_admin_scopes_subscriptions_hides_the_secret_and_lists_deliveries(world, client):
    from tests.partners.factories import MembershipFactory, UserFactory

    admin_user = UserFactory(username="corp-admin", is_staff=True)
    MembershipFactory(user=admin_user, partner=world.corp_a, role="admin")
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_webhooksubscription",
                "change_webhooksubscription",
                "add_webhooksubscription",
                "view_webhookdelivery",
            ]
        )
    )
    mine = subscribe(world.corp_a, "http://127.0.0.1:1/a", events=["case.closed"])
    subscribe(world.corp_b, "http://127.0.0.1:1/b", events=["case.closed"])
    with transaction.atomic():
        webhooks.emit([world.corp_a.pk, world.corp_b.pk], "case.closed", {"case_id": 1})
    client.force_login(admin_user)
    listing = client.get("/admin/partners/webhooksubscription/").content.decode()
    assert "/a" in listing and "127.0.0.1:1/b" not in listing
    page = client.get(f"/admin/partners/webhooksubscription/{mine.pk}/change/").content.decode()
    assert SECRET not in page
    answer = client.post(
        f"/admin/partners/webhooksubscription/{mine.pk}/change/",
        {
            "partner": world.corp_a.pk,
            "url": mine.url,
            "secret": "",
            "events": ["case.closed", "import.finished"],
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    mine.refresh_from_db()
    assert mine.secret == SECRET and mine.events == ["case.closed", "import.finished"]
    deliveries = client.get("/admin/partners/webhookdelivery/").content.decode()
    assert "case.closed" in deliveries
    assert WebhookDelivery.objects.filter(subscription__partner=world.corp_b).exists()
    scoped = client.get("/admin/partners/webhookdelivery/")
    assert len(scoped.context["cl"].result_list) == 1


def test_import_finished_and_eviction_step_emit(world, taken_up):
    subscribe(world.corp_a, "http://127.0.0.1:1/x", events=["eviction.step_recorded"])
    from arrears.services import casework

    with transaction.atomic():
        step = casework.eviction_step_record(case=taken_up, by=world.alice, kind="summons", date=timezone.localdate())
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload["data"] == {"case_id": taken_up.pk, "eviction_step_id": step.pk}


def test_case_closed_referral_answered_and_import_finished_emit(world, taken_up):
    from arrears.services import cases as case_services
    from arrears.vocabularies import FinalResult
    from ledger import services as ledger_services
    from tests.ledger.factories import LedgerImportFactory

    subscribe(world.corp_a, "http://127.0.0.1:1/x", events=["case.closed", "import.finished"])
    subscribe(world.sd, "http://127.0.0.1:1/y", events=["case.closed"])
    with transaction.atomic():
        case_services.case_close(case=taken_up, by=world.charlie, outcome=FinalResult.PAID)
    assert sorted(d.payload["partner"] for d in WebhookDelivery.objects.filter(event="case.closed")) == ["corp-a", "sd"]
    ledger_import = LedgerImportFactory(partner=world.corp_a, status="running")
    ledger_services._finish(ledger_import.pk, "succeeded", "", [])
    ledger_services._finish(ledger_import.pk, "failed", "", [])  # already final: no second event
    (finished,) = WebhookDelivery.objects.filter(event="import.finished")
    assert finished.payload["data"] == {"import_id": ledger_import.pk, "status": "succeeded"}


def test_referral_answered_reaches_the_corporation_and_the_service(world):
    from arrears.services import referrals as referral_services

    subscribe(world.corp_a, "http://127.0.0.1:1/x", events=["referral.answered"])
    subscribe(world.sd, "http://127.0.0.1:1/y", events=["referral.answered"])
    case = flagged_case(world.corp_a, days=130)
    with transaction.atomic():
        referral = referral_services.referral_create(
            case=case, by=world.alice, to_partner=world.sd, consent_on=timezone.localdate(), reason="Wil hulp"
        )
        assert not WebhookDelivery.objects.exists()
        referral_services.referral_accept(referral=referral, by=world.charlie)
    deliveries = WebhookDelivery.objects.filter(event="referral.answered")
    assert sorted(d.payload["partner"] for d in deliveries) == ["corp-a", "sd"]
    assert deliveries[0].payload["data"] == {"case_id": case.pk, "referral_id": referral.pk, "status": "accepted"}


@pytest.mark.real_worker
@pytest.mark.postgres
def test_real_worker_delivers_the_respite_round_trip_signed(celery_worker_process, world, receiver):
    """Respite as a handshake through the API, with the real worker over Redis delivering both events to a
    real receiver after each commit (the browser's round trip: tests/e2e/test_respite_handshake.py; the
    latency: bench/bench_webhook_latency.py)."""
    from django.urls import reverse

    from tests.partners.factories import Api

    server = receiver()
    subscription = subscribe(world.corp_a, server.url, events=["respite.granted", "respite.acknowledged"])
    case = flagged_case(
        world.corp_a, days=130, queue_partner=world.sd, state=CaseState.TAKEN_UP, assignee=world.charlie
    )
    granted = Api(world.charlie).post(reverse("api:case-respite", args=[case.pk]), {"text": "Schuldhulp loopt"})
    assert granted.status_code == 200, granted.content
    ((headers, body, _at),) = server.wait_for(1)
    assert verify(SECRET, headers, body) and headers["X-Tijdig-Event"] == "respite.granted"
    note_id = json.loads(body)["data"]["note_id"]
    assert json.loads(body)["data"] == {"case_id": case.pk, "note_id": note_id}
    # the social service cannot confirm for the corporation; the corporation can, once
    url = reverse("api:case-respite-acknowledgement", args=[case.pk])
    assert Api(world.charlie).post(url, {}).status_code == 403
    assert Api(world.alice).post(url, {}).status_code == 200
    assert Api(world.alice).post(url, {}).status_code == 403
    (_first, (headers, body, _at)) = server.wait_for(2)
    assert verify(SECRET, headers, body) and not verify("another secret", headers, body)
    payload = json.loads(body)
    assert (payload["event"], payload["data"]) == ("respite.acknowledged", {"case_id": case.pk, "note_id": note_id})
    deadline = time.monotonic() + 10
    while subscription.deliveries.exclude(status=WebhookDelivery.Status.DELIVERED).exists():
        assert time.monotonic() < deadline, list(subscription.deliveries.values("event", "status", "last_error"))
        time.sleep(0.05)
    assert sorted(subscription.deliveries.values_list("event", "attempts", "response_code")) == [
        ("respite.acknowledged", 1, 200),
        ("respite.granted", 1, 200),
    ]
    assert {h["X-Tijdig-Delivery"] for h, _b, _t in server.received} == {
        str(pk) for pk in subscription.deliveries.values_list("id", flat=True)
    }
    assert len(server.received) == 2


def test_in_process_a_failing_receiver_never_fails_the_committed_change(
    world, taken_up, receiver, django_capture_on_commit_callbacks
):
    server = receiver(script=[500])
    subscribe(world.corp_a, server.url)
    with django_capture_on_commit_callbacks(execute=True):
        respite_services.respite_grant(case=taken_up, by=world.charlie)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("pending", 500, 1)
    assert len(server.received) == 1


def test_the_respite_webhook_is_queued_before_the_email_notice(
    world, taken_up, monkeypatch, django_capture_on_commit_callbacks
):
    """A free worker takes the partner's system's message first (bench/bench_webhook_latency.py)."""
    from celery import current_app

    from arrears import notifications

    queued = []
    monkeypatch.setattr(webhooks, "_queue", lambda ids: queued.append("webhook"))
    monkeypatch.setattr(current_app.tasks[notifications.NOTIFY_TASK], "delay", lambda *a: queued.append("e-mail"))
    subscribe(world.corp_a, "http://127.0.0.1:1/x", events=["respite.granted", "respite.extended"])
    with django_capture_on_commit_callbacks(execute=True):
        respite_services.respite_grant(case=taken_up, by=world.charlie)
    with django_capture_on_commit_callbacks(execute=True):
        respite_services.respite_extend(
            case=taken_up, by=world.charlie, until=timezone.localdate() + dt.timedelta(days=40), text="Langer"
        )
    assert queued == ["webhook", "e-mail", "webhook", "e-mail"]
