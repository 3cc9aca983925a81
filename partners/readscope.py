"""The read scope of a request (docs/adr/0026): the reads of personal data noted while it runs, written
in bulk when its response leaves.

``partners.audit`` puts every ``view`` row here while a scope is open (outside a request it writes at
once); ``partners.readaudit`` holds the serializer and admin mixins that note reads. This module sits
below both, so the audit trail can ask for the scope without importing the mixins that call it.
"""

import contextvars
import logging

from django.db import DatabaseError

from partners.models import AuditEvent

logger = logging.getLogger(__name__)

_scope: contextvars.ContextVar = contextvars.ContextVar("tijdig_audit_reads", default=None)


class ReadScope:
    """The reads of one request, deduplicated: ``{(action, type, id, channel): AuditEvent}``."""

    def __init__(self, request=None):
        self.request = request  # its user, once authentication has run, is the reader of what is noted
        self.events = {}
        self.partners = {}  # user id → the partner its rows name (partners.audit._actor)

    def add(self, event) -> None:
        self.events.setdefault((event.action, event.object_type, event.object_id, event.channel), event)

    def flush(self, *, status=None) -> int:
        events = list(self.events.values())
        self.events = {}
        if status is not None and status >= 500:
            for event in events:
                event.detail = {**(event.detail or {}), "status": status}
        try:
            AuditEvent.objects.bulk_create(events, batch_size=1000)
        except DatabaseError:
            # An outage: the request is answered with the 503 page; say that reads went unrecorded.
            logger.warning("audit rows of reads not written", extra={"rows": len(events)})
            return 0
        return len(events)


def current() -> ReadScope | None:
    return _scope.get()


class AuditReadsMiddleware:
    """Opens the read scope of a request and writes its reads when the response leaves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = ReadScope(request)
        token = _scope.set(scope)
        status = None
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            _scope.reset(token)
            scope.flush(status=500 if status is None else status)
