"""The audit trail: every read of a household's personal data and every change, as ``AuditEvent`` rows.

Selectors record reads (``case_get``, ``household_get``), services record changes. Rows hold
identifiers (user, partner, object, household id), never the personal data itself, and cannot be
edited through the app (the admin is read-only and scoped to the partner admin's own partner).

Within a request, reads (``VIEW``) go to the request's read scope (``partners.readscope``): one row per
object, action and channel, written when the response leaves — also when it is an error page.
Changes and exports are written at once, in the transaction of the change.
"""

from partners import readscope
from partners.models import AuditEvent, Membership

Action = AuditEvent.Action
SYSTEM = "system"


def _actor(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None, SYSTEM, None
    scope = readscope.current()
    if scope is not None and user.pk in scope.partners:  # once per request, not once per listed object
        return user, user.get_username(), scope.partners[user.pk]
    partner_id = Membership.objects.filter(user=user).order_by("id").values_list("partner_id", flat=True).first()
    if scope is not None:
        scope.partners[user.pk] = partner_id
    return user, user.get_username(), partner_id


def household_id_of(obj):
    """The household an object is about, from the object or a relation already loaded (no query)."""
    if obj is None:
        return None
    if obj._meta.label == "households.Household":
        return obj.pk
    if getattr(obj, "household_id", None) is not None:
        return obj.household_id
    for relation in ("case", "tenancy"):
        related = obj._state.fields_cache.get(relation)
        if related is not None:
            return getattr(related, "household_id", None)
    return None


def record(*, user, action, obj, household_id=None, channel="", detail=None, partner=None) -> AuditEvent:
    """Write one audit row: ``user`` (``None``: the system) did ``action`` to ``obj`` through ``channel``.

    ``partner``: the partner the user acted for (default: the user's first membership).
    """
    actor, username, partner_id = _actor(user)
    event = AuditEvent(
        user=actor,
        username=username,
        partner_id=partner.pk if partner is not None else partner_id,
        action=Action(action),
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        household_id=household_id if household_id is not None else household_id_of(obj),
        channel=channel[:100],
        detail=detail or {},
    )
    scope = readscope.current()
    if scope is not None and event.action == Action.VIEW:
        scope.add(event)
    else:
        event.save()
    return event


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
    scope = readscope.current()
    if scope is not None and Action(action) == Action.VIEW:
        for event in events:
            scope.add(event)
    else:
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def record_reads(*, user, objects, channel="", detail=None) -> int:
    """Audit that ``user`` saw these objects' personal data (a list, a page, an API answer; objects of one
    model or several): one ``view`` row each, per model in bulk."""
    by_type = {}
    for obj in objects:
        if obj is not None and obj.pk is not None:
            by_type.setdefault(obj._meta.label, []).append(obj)
    return sum(
        record_many(
            user=user,
            action=Action.VIEW,
            object_type=label,
            rows=[(obj.pk, household_id_of(obj)) for obj in objs],
            channel=channel,
            detail=detail,
        )
        for label, objs in by_type.items()
    )
