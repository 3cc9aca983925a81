"""What of a household and its case each reader may see: the one disclosure function (docs/adr/0025).

Every surface that shows a household, a case, its signals or its timeline asks :func:`visible_fields`
(one case) or :func:`visible_fields_many` (a page of cases) and shows exactly the names it returns: the
case page, the queue, the timeline, the API serializers and the exports. The level comes from
``arrears.case_access.case_levels`` — the same policy that grants the permission rows — so what a reader
may open and what it may read of it cannot drift apart.

- ``FULL`` (the corporation, always; a social service once it has taken the signal up or accepted a
  referral, for as long as the case stays with it — and, for an accepted referral, the household's
  consent stands, docs/adr/0084): everything below.
- ``SIGNAL``/``WORK`` (a social service before take-up, or while a referral waits on it): only what a
  signal carries (docs/adr/0025 lists it): the client's name, date of birth, address,
  place and contact details; the amount, the day the arrears began, the signal date and status, the
  crisis and warm-handover flags. No rent, no months of rent, no amount when flagged or highest amount,
  no trend, no ledger, no payment arrangement and none of the corporation's own notes, contact
  attempts or timeline events (docs/adr/0091: not even that they happened).
- ``WORK`` adds the handling of the reader's own queue (``workflow``: assignee, state, escalation, the
  contact deadline, the routing reason that brought the case); ``SIGNAL`` does not — the case is in the
  corporation's queue, and its assignee, checklist routing ("waiting for the checklist") and deadlines
  are the corporation's internal workflow (docs/adr/0091).
- ``NONE``: nothing (and the selectors answer 404 before anything is shown).
"""

from django.db.models import Q

from arrears import case_access
from arrears.case_access import Level
from arrears.models import Case, Referral
from partners import access

#: The client part of a DDAS signal: name (initials, prefix, surname; ``name`` is the ledger's rendering
#: of the same), date of birth, address and place (municipality and neighbourhood follow from it), contact details.
#: Today that is every field of ``households.models.PERSONAL_FIELDS`` plus the two area codes, but it is
#: named here field by field, not derived: what a social service sees before take-up follows the DDAS signal
#: (docs/adr/0025), so a personal field added to the model is shown to no case reader until it is decided
#: here (in this list, or in CORPORATION_FIELDS for full readers only);
#: ``tests/arrears/test_disclosure_surfaces.py`` fails until then.
SIGNAL_HOUSEHOLD_FIELDS = (
    "name",
    "initials",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "city",
    "municipality",
    "neighbourhood",
    "phone",
    "email",
)

#: The signal itself: the amount (DDAS ``bedrag``, in whole euros), when the arrears began and how long
#: ago that is, the signal date, its status and the flags. ``partner_type`` is always ``Huur``.
SIGNAL_FIELDS = (
    "amount",
    "whole_euros",
    "origin_date",
    "days_overdue",
    "opened_on",
    "closed_on",
    "status",
    "partner_type",
    "crisis",
    "warm_handover",
)

#: The corporation's own records, for full readers only.
CORPORATION_FIELDS = (
    "tenancies",  # contract number, monthly rent, start and end
    "arrears",  # the ledger: balance history, last payment, the household's other episodes
    "amount_at_open",
    "peak_amount",
    "months_of_rent",  # gives the rent away (amount / months)
    "updated_on",
    "trend",
    "payment_arrangements",
    "corporation_records",  # the corporation's notes, contact attempts and timeline details
)

#: The handling of the queue the case is in, for whoever holds that queue (``WORK`` and ``FULL``): who
#: works it, its state, its escalation, whether first contact is overdue, why routing put it there. A
#: reader a referral waits on (``SIGNAL``) holds no queue of the case: all of that is the corporation's
#: internal workflow (docs/adr/0091).
WORKFLOW_FIELDS = ("workflow",)

FIELDS = {
    Level.NONE: frozenset(),
    Level.SIGNAL: frozenset(SIGNAL_HOUSEHOLD_FIELDS + SIGNAL_FIELDS),
    Level.WORK: frozenset(SIGNAL_HOUSEHOLD_FIELDS + SIGNAL_FIELDS + WORKFLOW_FIELDS),
    Level.FULL: frozenset(SIGNAL_HOUSEHOLD_FIELDS + SIGNAL_FIELDS + WORKFLOW_FIELDS + CORPORATION_FIELDS),
}
#: States in which the case is in a social service's queue: the routing and state events that put it
#: there are what made it a signal (or an accepted handover).
_SIGNAL_STATES = ("signalled", "taken_up")


def signal_event(event) -> bool:
    """Is another partner's timeline event part of what a reader before take-up sees? The referrals
    (made to it, answered, consent withdrawn) and the routing or state change that moved the case into a
    social service's queue. Everything else another partner did — the corporation's claims, checklist
    steps, contact attempts, notes, routing decisions that kept the case with it — is its internal
    workflow: such a reader does not see that it happened at all (docs/adr/0091)."""
    if event.kind == "referral":
        return True
    return event.kind in ("routed", "state") and event.to_state in _SIGNAL_STATES


def fields_for(level) -> frozenset[str]:
    return FIELDS[Level(level)]


def reader_partner_ids(user) -> frozenset[int]:
    """The partners whose case permissions the user holds (caseworkers and managers; a partner admin
    sees no households)."""
    return access.case_partner_ids_for(user)


def levels_for(*, user, cases) -> dict[int, Level]:
    """``{case_id: Level}`` of the user on each case, by :func:`arrears.case_access.case_levels` on the cases
    as they are in the database now (not as a caller's copy remembers them)."""
    ids = [case.pk for case in cases]
    partner_ids = reader_partner_ids(user)
    if not ids or not partner_ids:
        return dict.fromkeys(ids, Level.NONE)
    rows = case_access.case_rows(
        Case.objects.filter(pk__in=ids), "pk", "corporation_id", "queue_partner_id", "taken_up_at"
    )
    referrals = Referral.objects.filter(
        case_id__in=ids, status=Referral.Status.PENDING, to_partner_id__in=partner_ids
    ).values_list("case_id", "to_partner_id", "status")
    levels = case_access.case_levels(rows, referrals)
    return {pk: max((levels[pk].get(pid, Level.NONE) for pid in partner_ids), default=Level.NONE) for pk in ids}


def level_for(*, user, case) -> Level:
    return levels_for(user=user, cases=[case])[case.pk]


def visible_fields(*, user, case) -> frozenset[str]:
    """The field names ``user`` may see on ``case`` (its household, signals, timeline)."""
    return fields_for(level_for(user=user, case=case))


def visible_fields_many(*, user, cases) -> dict[int, frozenset[str]]:
    """:func:`visible_fields` for a page of cases, in two queries."""
    return {pk: fields_for(level) for pk, level in levels_for(user=user, cases=cases).items()}


def workflow_q(partner_ids):
    """The SQL form of ``workflow`` for a queryset of cases: the partner is the corporation or holds the
    case's queue (a pending referral alone gives ``SIGNAL``, which has no workflow)."""
    partner_ids = list(partner_ids)
    return Q(corporation_id__in=partner_ids) | Q(queue_partner_id__in=partner_ids)


def full_q(partner_ids):
    """The SQL form of ``FULL`` for a queryset of cases (sorting and filtering on the corporation's
    figures must not leak them): the partner is the corporation, or the case is in its queue and taken
    up, not only through a withdrawn consent (``case_access.CONSENT_LOST``). A pending referral never
    gives FULL, so no referral appears here."""
    partner_ids = list(partner_ids)
    taken_up = Q(queue_partner_id__in=partner_ids, taken_up_at__isnull=False) & ~case_access.CONSENT_LOST
    return Q(corporation_id__in=partner_ids) | taken_up


def field_q(field: str, partner_ids) -> Q:
    """The SQL form of "``field`` is in the reader's :func:`visible_fields`" for a queryset of cases the
    reader may open (every such case gives at least ``SIGNAL``): a filter or an annotation on a field
    applies only to the rows where this says the reader sees it, so it cannot tell what the reader may
    not see. Derived from ``FIELDS``, so a field moved between levels moves its filters with it."""
    if field in FIELDS[Level.SIGNAL]:
        return Q()
    if field in FIELDS[Level.WORK]:
        return workflow_q(partner_ids)
    if field in FIELDS[Level.FULL]:
        return full_q(partner_ids)
    return Q(pk__in=[])


def may_see_field(user, field: str) -> bool:
    """May the user see ``field`` on any case at all (a case reader, and some level gives it)? Whether a
    filter on the field is offered: it matches only where :func:`field_q` holds."""
    return bool(reader_partner_ids(user)) and any(field in FIELDS[level] for level in FIELDS if level != Level.NONE)
