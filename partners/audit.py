"""The audit trail: every read of a household's personal data and every change, as ``AuditEvent`` rows.

Selectors record reads (``case_get``, ``household_get``), services record changes. Rows hold
identifiers (user, partner, object, household id), never the personal data itself, and cannot be
edited through the app (the admin is read-only and scoped to the partner admin's own partner).
"""

from .models import AuditEvent, Membership

Action = AuditEvent.Action
SYSTEM = "system"


def _actor(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None, SYSTEM, None
    partner_id = Membership.objects.filter(user=user).order_by("id").values_list("partner_id", flat=True).first()
    return user, user.get_username(), partner_id


def _household_id_of(obj):
    if obj is None:
        return None
    if obj._meta.label == "households.Household":
        return obj.pk
    return getattr(obj, "household_id", None)


def record(*, user, action, obj, household_id=None, channel="", detail=None, partner=None) -> AuditEvent:
    """Write one audit row: ``user`` (``None``: the system) did ``action`` to ``obj`` through ``channel``.

    ``partner``: the partner the user acted for (default: the user's first membership).
    """
    actor, username, partner_id = _actor(user)
    return AuditEvent.objects.create(
        user=actor,
        username=username,
        partner_id=partner.pk if partner is not None else partner_id,
        action=Action(action),
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        household_id=household_id if household_id is not None else _household_id_of(obj),
        channel=channel[:100],
        detail=detail or {},
    )


def record_many(*, user, action, object_type: str, rows, channel="", detail=None) -> int:
    """One audit row per ``(object_id, household_id)`` in ``rows``, in bulk (lists, bulk routing)."""
    actor, username, partner_id = _actor(user)
    events = [
        AuditEvent(
            user=actor,
            username=username,
            partner_id=partner_id,
            action=Action(action),
            object_type=object_type,
            object_id=str(object_id),
            household_id=household_id,
            channel=channel[:100],
            detail=detail or {},
        )
        for object_id, household_id in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def record_reads(*, user, objects, channel="") -> int:
    """Audit that ``user`` saw these objects' personal data in a list (a queue, a search, an export page)."""
    objects = list(objects)
    if not objects:
        return 0
    return record_many(
        user=user,
        action=Action.VIEW,
        object_type=objects[0]._meta.label,
        rows=[(obj.pk, _household_id_of(obj)) for obj in objects],
        channel=channel,
    )
