"""Webhooks: partners' systems hear of an event at once (docs/adr/0083).

``emit`` is called by the services that change a case or finish an import. It writes one
:class:`~partners.models.WebhookDelivery` per active subscription to the event and queues
``partners.tasks.deliver_webhook`` after the transaction commits, so a rolled-back change sends nothing.
A delivery carries the event's name and ids only; the receiver fetches the details through the API
with its own token, so no personal data travels by webhook.
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from partners.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from partners.tasks import deliver_webhook
from partners.webhook_sending import DeliveryFailed, attempt, sign

logger = logging.getLogger(__name__)


def emit(partner_ids: Iterable[int | None], event: str, ids: dict[str, object]) -> list[WebhookDelivery]:
    """Record a delivery of ``event`` (with ``ids``, e.g. ``{"case_id": 7}``) for each active subscription
    of the partners to it, and queue them once the surrounding transaction commits."""
    return emit_many(event, [(partner_ids, ids)])


def emit_many(event: str, items: Iterable[tuple[Iterable[int | None], dict[str, object]]]) -> list[WebhookDelivery]:
    """:func:`emit` for many occurrences of one event (a routing batch): one query for the subscriptions."""
    event = WebhookEvent(event).value
    items = [({pk for pk in partner_ids if pk is not None}, dict(ids)) for partner_ids, ids in items]
    wanted = set().union(*(partners for partners, _ids in items)) if items else set()
    if not wanted:
        return []
    by_partner: dict[int, list[WebhookSubscription]] = {}
    for subscription in WebhookSubscription.objects.filter(partner_id__in=wanted, is_active=True).select_related(
        "partner"
    ):
        if event in (subscription.events or []):
            by_partner.setdefault(subscription.partner_id, []).append(subscription)
    if not by_partner:
        return []
    occurred_at = timezone.now().isoformat()
    deliveries = []
    for partners, ids in items:
        for partner_id in sorted(partners):
            for subscription in by_partner.get(partner_id, ()):
                delivery = WebhookDelivery(subscription=subscription, event=event)
                delivery.payload = {
                    "id": str(delivery.id),
                    "event": event,
                    "occurred_at": occurred_at,
                    "partner": subscription.partner.slug,
                    "data": ids,
                }
                deliveries.append(delivery)
    WebhookDelivery.objects.bulk_create(deliveries)
    transaction.on_commit(partial(_queue, [str(d.id) for d in deliveries]))
    return deliveries


def _queue(delivery_ids: list[str]) -> None:
    if deliver_webhook.app.conf.task_always_eager:
        # In-process (the embedded demo, no broker): one attempt now; eager retries would run back to
        # back inside the request. A failure is logged, stays pending, and never fails the committed change.
        for delivery in WebhookDelivery.objects.select_related("subscription").filter(pk__in=delivery_ids):
            try:
                attempt(delivery)
            except DeliveryFailed:
                logger.warning("webhook delivery %s not delivered in-process", delivery.pk)
        return
    for delivery_id in delivery_ids:
        deliver_webhook.delay(delivery_id)


def partners_of(*cases: object) -> set[int]:
    """The partners that may see these cases and so hear of them: the corporation and the queue partner."""
    ids: set[int] = set()
    for case in cases:
        ids.update(pk for pk in (getattr(case, "corporation_id", None), getattr(case, "queue_partner_id", None)) if pk)
    return ids


__all__ = ["DeliveryFailed", "attempt", "emit", "emit_many", "partners_of", "sign"]
