"""What a social service keeps of a case that has left it (docs/adr/0025): its own file.

Once a social service hands a case back or re-routes it (also after an accepted referral), it holds no
permission on the case, the household, the tenancy or the ledger any more. Its own records stay: the
contact attempts it logged (DDAS kind, reached, date, part of the day, its own outcome text) and when
the case came to it and left it. Nothing of the corporation's: no name, address, amounts or notes —
the case number is the only link back. This list needs no object permission; it is scoped by the
partner that *wrote* the rows.
"""

from dataclasses import dataclass, field

from django.db.models import Max, Min

from arrears.models import Case, CaseEvent, ContactAttempt
from arrears.selectors.cases import case_list
from partners import access, audit
from partners.models import Membership

CHANNEL = "page:own-file"


@dataclass
class OwnFileRow:
    case_id: int
    partner_id: int
    first_at: object = None  # the service's first record on the case (signal taken up, referral accepted, …)
    last_at: object = None  # its last record (typically handing the case back or re-routing it)
    attempts: list = field(default_factory=list)


def _social_service_ids(user):
    return set(
        Membership.objects.filter(user=user, role__in=access.CASE_ROLES, partner__kind="social_service").values_list(
            "partner_id", flat=True
        )
    )


def own_file(*, user, channel=CHANNEL) -> list[OwnFileRow]:
    """The cases that have left the user's social service and on which it recorded something, with only
    what it recorded itself; most recent first. The read is audited (the outcome texts are the
    service's own notes on a person)."""
    partner_ids = _social_service_ids(user)
    if not partner_ids:
        return []
    visible = case_list(user=user).values("pk")
    rows: dict[tuple[int, int], OwnFileRow] = {}
    spans = (
        CaseEvent.objects.filter(partner_id__in=partner_ids)
        .exclude(case_id__in=visible)
        .values("case_id", "partner_id")
        .annotate(first_at=Min("at"), last_at=Max("at"))
        .order_by()
    )
    for span in spans:
        rows[span["case_id"], span["partner_id"]] = OwnFileRow(**span)
    attempts = ContactAttempt.objects.filter(partner_id__in=partner_ids).exclude(case_id__in=visible)
    for attempt in attempts.order_by("date", "pk"):
        row = rows.get((attempt.case_id, attempt.partner_id))
        if row is not None:
            row.attempts.append(attempt)
    result = sorted(rows.values(), key=lambda row: (row.last_at, row.case_id), reverse=True)
    audit.record_many(
        user=user,
        action=audit.Action.VIEW,
        object_type="arrears.Case",
        rows=Case.objects.filter(pk__in=[row.case_id for row in result]).values_list("pk", "household_id"),
        channel=channel,
        detail={"own_file": True},
    )
    return result
