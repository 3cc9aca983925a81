"""Reads of cases and households, always for a user and filtered in the query by the object
permissions ``partners.access`` granted (docs/adr/0021). Anything the user may not see answers 404,
exactly like something that does not exist (docs/adr/0020); every read of a household's personal data
is written to the audit trail."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from arrears import case_access, disclosure
from arrears.models import Case, ContactAttempt, Note, Referral
from arrears.workflow import OPEN_STATES
from households.models import Household
from partners import access, audit, bounds
from partners.models import Membership, Role


def case_list(*, user):
    """Cases the user may see: a corporation its own tenants' cases, a social service the cases routed
    or referred to it. Managers see their partner's; partner admins see none (need to know)."""
    return access.objects_for_user(user, case_access.VIEW_CASE, Case.objects.all()).select_related(
        "household", "household__neighbourhood", "corporation", "queue_partner", "assignee"
    )


def case_get(*, user, pk, channel=""):
    """One case, or :class:`~django.http.Http404` if the user may not see it; the read is audited."""
    case = case_list(user=user).filter(pk=bounds.id_or_404(pk)).first()
    if case is None:
        raise Http404
    audit.record(user=user, action=audit.Action.VIEW, obj=case, household_id=case.household_id, channel=channel)
    return case


def household_list(*, user):
    """Households the user may see in full (own tenants with a case; taken-up or accepted at a social service)."""
    return access.objects_for_user(user, case_access.VIEW_HOUSEHOLD, Household.objects.all()).select_related(
        "municipality", "neighbourhood"
    )


def household_get(*, user, pk, channel=""):
    """One household in full, or 404 — also for a social service that has not taken the signal up yet:
    it sees the signal fields through the case (:func:`visible_household_fields`). The read is audited."""
    household = household_list(user=user).filter(pk=bounds.id_or_404(pk)).first()
    if household is None:
        raise Http404
    audit.record(user=user, action=audit.Action.VIEW, obj=household, channel=channel)
    return household


def visible_household_fields(*, user, case) -> frozenset[str]:
    """The field names this user may see on this case: :func:`arrears.disclosure.visible_fields`."""
    return disclosure.visible_fields(user=user, case=case)


def _own_partner_ids(user, case):
    if not access.user_has_perm(user, case_access.VIEW_CASE, case):
        raise Http404
    return access.partner_ids_for(user)


def _records_visible(user, case, visible) -> bool:
    """Does the reader see the corporation's records? ``visible``: the disclosure function's answer for
    this user and case, when the caller (the case page) has it already."""
    visible = disclosure.visible_fields(user=user, case=case) if visible is None else visible
    return "corporation_records" in visible


def case_timeline(*, user, case, visible=None) -> list:
    """The case's events the way this user may see them. Another partner's events that are not shared
    keep their kind, time, partner and state change, but lose their reason, data and note text
    (a corporation never reads the social service's private notes or contact results). A reader who
    sees only what the signal carries (:mod:`arrears.disclosure`) reads the referrals and the routing
    that made the case a signal in full, and nothing else another partner did — not even that it
    happened (``disclosure.signal_event``, docs/adr/0091). Returns unsaved copies: never save them."""
    own = _own_partner_ids(user, case)
    records = _records_visible(user, case, visible)
    events = []
    for event in case.events.select_related("actor", "partner", "note"):
        foreign = bool(event.partner_id and event.partner_id not in own)
        if foreign and not records and not disclosure.signal_event(event):
            continue
        event.redacted = foreign and not event.shared
        if event.redacted:
            event.reason, event.data, event.note = "", {}, None
        events.append(event)
    return events


def case_notes(*, user, case, visible=None):
    """Notes of the user's own partner, and the other partner's shareable ones (respite notes always)
    — the corporation's only for readers who see its records."""
    own = _own_partner_ids(user, case)
    shared = Q(shareable=True)
    if not _records_visible(user, case, visible):
        shared &= ~Q(partner_id=case.corporation_id)
    return Note.objects.filter(case=case).filter(Q(partner_id__in=own) | shared).select_related("author", "partner")


def case_contact_attempts(*, user, case, visible=None):
    """The user's own partner's contact attempts and the corporation's (part of the case's history, for
    readers who see the corporation's records); a corporation does not see the social service's."""
    own = _own_partner_ids(user, case)
    theirs = Q(partner_id=case.corporation_id)
    if not _records_visible(user, case, visible):
        theirs = Q(pk__in=[])
    return (
        ContactAttempt.objects.filter(case=case).filter(Q(partner_id__in=own) | theirs).select_related("by", "partner")
    )


def case_referrals(*, user, case):
    """Referrals on the case that the user's partner made or received."""
    own = _own_partner_ids(user, case)
    return case.referrals.filter(Q(from_partner_id__in=own) | Q(to_partner_id__in=own)).select_related(
        "from_partner", "to_partner"
    )


def referral_list(*, user):
    """Referrals the user's partners made or received, on cases the user may see (e.g. "waiting for an answer")."""
    own = access.partner_ids_for(user)
    return Referral.objects.filter(
        Q(from_partner_id__in=own) | Q(to_partner_id__in=own), case__in=case_list(user=user).values("pk")
    ).select_related("case", "from_partner", "to_partner")


def assignable_users(*, user, partner):
    """People a manager of ``partner`` can give cases to (nobody, for anyone else)."""
    if access.role_in(user, partner.pk) != Role.MANAGER:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        pk__in=Membership.objects.filter(partner=partner, role__in=[Role.CASEWORKER, Role.MANAGER]).values("user_id")
    )


def queue_for(*, user, partner):
    """Open cases in the partner's own queue."""
    return case_list(user=user).filter(queue_partner=partner, state__in=OPEN_STATES)
