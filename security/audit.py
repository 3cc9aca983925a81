"""Audit records of sign-ins and security changes (``partners.AuditEvent``: ids, never personal data)."""

from partners.models import AuditEvent


def _record(*, user, action, channel, detail=None):
    AuditEvent.objects.create(
        user=user if user is not None and user.pk else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type="user",
        object_id=str(user.pk) if user is not None and user.pk else "",
        channel=channel,
        detail=detail or {},
    )


def login(*, user, channel):
    _record(user=user, action=AuditEvent.Action.LOGIN, channel=channel)


def login_failed(*, user, channel):
    _record(user=user, action=AuditEvent.Action.LOGIN, channel=channel, detail={"failed": True})


def security_change(*, user, what):
    _record(user=user, action=AuditEvent.Action.CHANGE, channel="security", detail={"change": what})
