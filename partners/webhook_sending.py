"""One webhook attempt: sign, POST with a short timeout, record the outcome (docs/adr/0083).

Kept apart from ``partners.webhooks`` (which queues ``partners.tasks.deliver_webhook``) so the task
module can use it without an import cycle.
"""

import hashlib
import hmac
import json
import time
from urllib import error, request
from urllib.parse import urlsplit

from django.utils import timezone

from partners.models import WebhookDelivery

#: Seconds a receiver has to answer one attempt.
TIMEOUT = 5


class DeliveryFailed(Exception):
    """One attempt did not reach the receiver or was not answered with 2xx (the task retries it)."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, ``f"{timestamp}.{body}"``): the ``X-Tijdig-Signature`` header."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def attempt(delivery: WebhookDelivery, *, final: bool = False) -> None:
    """POST the delivery once and record the outcome; raise :class:`DeliveryFailed` when it did not land
    (``final``: the last attempt, the delivery is then marked failed)."""
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    subscription = delivery.subscription
    if urlsplit(subscription.url).scheme not in ("http", "https"):  # never file: or the like
        delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, "not an http(s) URL"
        delivery.save(update_fields=["status", "last_error"])
        return
    req = request.Request(  # noqa: S310 (scheme checked above)
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Tijdig-Webhooks/1",
            "X-Tijdig-Event": delivery.event,
            "X-Tijdig-Delivery": str(delivery.id),
            "X-Tijdig-Timestamp": timestamp,
            "X-Tijdig-Signature": sign(subscription.secret, timestamp, body),
        },
    )
    delivery.attempts += 1
    code, problem = None, ""
    try:
        with request.urlopen(req, timeout=TIMEOUT) as response:  # noqa: S310 (an admin-registered https/http URL)
            code = response.status
    except error.HTTPError as exc:
        code, problem = exc.code, f"HTTP {exc.code}"
    except (error.URLError, OSError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}"[:500]
    delivery.response_code = code
    if not problem and code is not None and 200 <= code < 300:
        delivery.status, delivery.last_error, delivery.delivered_at = (
            WebhookDelivery.Status.DELIVERED,
            "",
            timezone.now(),
        )
        delivery.save(update_fields=["attempts", "response_code", "status", "last_error", "delivered_at"])
        return
    delivery.last_error = problem or f"HTTP {code}"
    delivery.status = WebhookDelivery.Status.FAILED if final else WebhookDelivery.Status.PENDING
    delivery.save(update_fields=["attempts", "response_code", "status", "last_error"])
    raise DeliveryFailed(delivery.last_error)
