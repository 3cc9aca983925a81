"""Right of access (AVG art. 15): one household's data as JSON, as the corporation holds it.

Erasure (art. 17) is ``privacy.services.retention.household_erase``. Both are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from arrears import holding
from arrears.models import Case, Signal
from households.models import PERSONAL_FIELDS, Household, Tenancy
from ledger.models import ArrearsSnapshot, ArrearsState
from partners import audit
from partners.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db import models

    from partners.models import Partner

HOUSEHOLD_FIELDS = ["id", *PERSONAL_FIELDS, "municipality_id", "neighbourhood_id", "created_at"]
CASE_FIELDS = [
    "id",
    "state",
    "opened_at",
    "signalled_at",
    "taken_up_at",
    "closed_at",
    "outcome",
    "is_late",
    "eviction_date",
    "reminder_sent_on",
    "contact_attempted_on",
    "pointed_to_help_on",
    "offered_to_share_on",
    "objection_on",
    "respite_until",
]


def _plain(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _plain(getattr(obj, field)) for field in fields}


def what_is_held(household: Household) -> dict[str, object]:
    """The plain statement of the export: are personal details held about this household, and why
    (or why not) — the same rule the import and the purge apply (``privacy.retention.person_held_q``)."""
    held = Household.objects.filter(pk=household.pk).filter(holding.person_held_q()).exists()
    months = settings.TIJDIG["LEDGER_WINDOW_MONTHS"]
    if held:
        statement = _(
            "Name, date of birth, contact details and address are held because this household has an open "
            "or recent rent-arrears episode. They are removed when the retention period after its last "
            "episode and case has passed."
        )
    elif household.anonymised_at is not None:
        statement = _(
            "No personal details are held any more: they were removed when their retention period had "
            "passed or on request. Anonymous counts remain."
        )
    else:
        statement = _(
            "No name, date of birth, contact details or address are held: this household has no open or "
            "recent rent-arrears episode. Held to detect arrears: the tenancy (contract number, rent), the "
            "ledger lines of the last %(months)s months, the current arrears and their history, and the "
            "municipality and neighbourhood codes."
        ) % {"months": months}
    return {"held": held, "statement": statement}


def household_export(*, household: Household, by: User, partner: Partner, reference: str = "") -> dict[str, Any]:
    """Everything ``partner`` (the corporation) holds about the household. Notes and contact attempts
    of another partner are left out unless shared: that partner answers for its own records.
    ``reference``: the privacy request's reference, kept in the audit row."""
    own = Q(partner=partner)
    data: dict[str, Any] = {
        "exported_at": _plain(dt.datetime.now(dt.UTC)),
        "controller": partner.name,
        "personal_data": what_is_held(household),
        "household": _row(household, HOUSEHOLD_FIELDS),
        "tenancies": [
            _row(t, ["contract_number", "monthly_rent", "start_date", "end_date"])
            for t in Tenancy.objects.filter(household=household).order_by("id")
        ],
        "arrears": [
            _row(a, ["as_of", "balance", "months_of_rent", "days_overdue", "last_payment_date", "reminder_date"])
            for a in ArrearsState.objects.filter(tenancy__household=household)
        ],
        "arrears_history": [
            _row(s, ["as_of", "balance", "days_overdue"])
            for s in ArrearsSnapshot.objects.filter(tenancy__household=household).order_by("as_of")
        ],
        "signals": [
            _row(s, ["id", "status", "origin_date", "opened_on", "closed_on", "amount", "peak_amount", "days_overdue"])
            for s in Signal.objects.filter(household=household).order_by("id")
        ],
        "cases": [],
    }
    for case in Case.objects.filter(household=household).order_by("id"):
        entry = _row(case, CASE_FIELDS)
        entry["contact_attempts"] = [
            _row(c, ["kind", "reached", "date", "part_of_day", "outcome"]) for c in case.contact_attempts.filter(own)
        ]
        entry["notes"] = [
            _row(n, ["kind", "text", "respite_until", "created_at"]) for n in case.notes.filter(own | Q(shareable=True))
        ]
        entry["referrals"] = [
            _row(r, ["status", "consent_on", "created_at", "decided_at"]) | {"to": r.to_partner.name}
            for r in case.referrals.select_related("to_partner")
        ]
        entry["events"] = [_row(e, ["kind", "at", "from_state", "to_state"]) for e in case.events.order_by("at", "id")]
        data["cases"].append(entry)
    _audit(
        user=by,
        partner=partner,
        action=AuditEvent.Action.EXPORT,
        household=household,
        channel="privacy_export",
        reference=reference,
    )
    return data


def household_viewed(*, household: Household, by: User, channel: str, reference: str = "") -> None:
    """Log that ``by`` looked at the household's personal data (for the privacy request ``reference``)."""
    _audit(
        user=by,
        partner=household.corporation,
        action=AuditEvent.Action.VIEW,
        household=household,
        channel=channel,
        reference=reference,
    )


def privacy_lookup_logged(*, by: User, reference: str, household: Household | None = None) -> None:
    """Log one lookup for a privacy request, found or not: who, for which request (``reference``), and
    the household when there was one. The contract number and postcode typed are not kept."""
    audit.record(
        user=by,
        action=AuditEvent.Action.VIEW,
        obj=household,
        household_id=household.pk if household is not None else None,
        channel="privacy_lookup",
        detail={"reference": reference, "found": household is not None},
        partner=household.corporation if household is not None else None,
    )


def _audit(
    *,
    user: User,
    partner: Partner,
    action: str,
    household: Household,
    channel: str,
    reference: str = "",
) -> None:
    audit.record(
        user=user,
        action=action,
        obj=household,
        household_id=household.pk,
        channel=channel,
        partner=partner,
        detail={"reference": reference} if reference else None,
    )
