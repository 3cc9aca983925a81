"""``/health/``: is the portal able to work? Database, broker and each partner's last good import.

Answers 200 when the database and the broker answer, 503 when either does not (for the load balancer
and monitoring). Public, so it shows no personal data: partner slugs and times only.
"""

import redis
from django.conf import settings
from django.db import Error, connection
from django.db.models import Max, Q
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ledger.models import LedgerImport
from partners.models import Partner
from security.outage import detach_session

BROKER_TIMEOUT_SECONDS = 1.0


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Error:  # OperationalError, or InterfaceError on a connection that broke earlier
        return False
    return True


def _broker():
    """Ping Redis with a short timeout; in-process tasks (the embedded default) need no broker."""
    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or not url.startswith(("redis://", "rediss://")):
        return "in-process"
    client = redis.Redis.from_url(
        url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()
    return True


def _last_imports():
    rows = (
        Partner.objects.filter(kind=Partner.Kind.CORPORATION, is_active=True)
        .annotate(
            last=Max("ledger_imports__finished_at", filter=Q(ledger_imports__status=LedgerImport.Status.SUCCEEDED))
        )
        .order_by("slug")
        .values_list("slug", "last")
    )
    return {slug: (last.isoformat() if last else None) for slug, last in rows}


@never_cache
@require_GET
def health(request):
    database = _database()
    if not database:
        detach_session(request)  # the answer stays this JSON, even for a browser with a session cookie
    broker = _broker()
    body = {
        "status": "ok" if database and broker else "unavailable",
        "database": "ok" if database else "unavailable",
        "broker": broker if isinstance(broker, str) else ("ok" if broker else "unavailable"),
        "last_successful_import": _last_imports() if database else None,
    }
    return JsonResponse(body, status=200 if database and broker else 503)
