"""The Besluit art. 2 gate: the one rule for a case entering a social service's queue (docs/adr/0023).

The Besluit gemeentelijke schuldhulpverlening, art. 2, lets a landlord pass a tenant's details to the
municipality only once it has tried to reach the tenant personally, pointed them to debt help, sent a
written reminder offering to pass the details on, and the tenant did not object. That is a condition
of the law, not a setting: no routing rule, agreement default, admin form, manual re-route, API call,
bulk job or seed can waive it. A case therefore enters a social service's queue only

(a) as a **signal**, with all four checklist steps recorded and no objection (``arrears.checklist``), or
(b) as a **warm handover**: a referral to that social service, pending or accepted, with the tenant's
    recorded consent, not withdrawn since (docs/adr/0084-consent-over-time.md), and no objection
    recorded after it.

:func:`signal_allowed` is the pure test routing uses while deciding (a rule to the social service
matches only when it holds). :func:`require_entry` is the one check every write that puts a case in a
social service's queue calls just before it does so; it raises :class:`GateClosed` with a message that
names what is missing. "Late" (more than 100 days overdue) marks a signal; it never opens the gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from arrears import checklist
from arrears.models import Referral
from partners.errors import NotAllowed

if TYPE_CHECKING:
    from collections.abc import Iterable

    from arrears.checklist import CaseOrRow
    from arrears.models import Case, Referral
    from arrears.routing import Facts


class GateClosed(NotAllowed):
    """The case may not enter the social service's queue (Besluit art. 2); the message says why."""


def signal_allowed(subject: CaseOrRow | Facts) -> bool:
    """(a): the four steps recorded and no objection. ``subject``: a Case or routing ``Facts`` (both
    carry ``checklist_complete``, computed by ``arrears.checklist``), or a row of a case's values."""
    if isinstance(subject, dict):
        return checklist.is_complete(subject)
    return bool(subject.checklist_complete) and not subject.objection_on


def consented_referral(case: Case, *, to_partner_id: int | None, referral: Referral | None = None) -> Referral | None:
    """(b): the referral of ``case`` to ``to_partner_id``, pending or accepted, with the tenant's consent
    (not withdrawn) and no objection recorded after it; ``None`` if there is none. ``referral``: the one being accepted
    right now (the only one that counts then)."""
    open_statuses = (Referral.Status.PENDING, Referral.Status.ACCEPTED)
    candidates: Iterable[Referral]
    if referral is not None:
        candidates = [referral]
    else:
        candidates = Referral.objects.filter(
            case_id=case.pk, to_partner_id=to_partner_id, status__in=open_statuses
        ).order_by("-consent_on")
    for candidate in candidates:
        lawful = candidate.to_partner_id == to_partner_id and candidate.status in open_statuses
        lawful = lawful and candidate.consent_withdrawn_on is None
        if lawful and candidate.consent_on and not (case.objection_on and case.objection_on >= candidate.consent_on):
            return candidate
    return None


def require_entry(case: CaseOrRow, *, to_partner_id: int | None, referral: Referral | None = None) -> str:
    """Refuse (:class:`GateClosed`) unless ``case`` may enter the queue of the social service
    ``to_partner_id`` now. ``case``: a Case, or a row of its values for signals (bulk routing);
    ``referral``: when the move is that referral being accepted. Returns how it passed: ``"signal"``
    or ``"referral"``."""
    if referral is not None:
        # A row of values (bulk routing) carries no referral: only a Case is accepted this way.
        if isinstance(case, dict) or consented_referral(case, to_partner_id=to_partner_id, referral=referral) is None:
            raise GateClosed(
                _("A warm handover needs the tenant's recorded consent, and no objection after it (Besluit art. 2).")
            )
        return "referral"
    if signal_allowed(case):
        return "signal"
    if not isinstance(case, dict) and consented_referral(case, to_partner_id=to_partner_id) is not None:
        return "referral"
    raise GateClosed(reason(case))


def reason(case: CaseOrRow) -> str:
    """Why the gate is closed for ``case`` (a Case or a row), in words for the person who tried."""
    objection_on = case["objection_on"] if isinstance(case, dict) else case.objection_on
    if objection_on:
        return _("The tenant objected: this case cannot be signalled to a social service (Besluit art. 2).")
    return _(
        "Not all Besluit art. 2 steps are recorded (%(missing)s): a signal to a social service needs all "
        "four, or a warm handover with the tenant's consent."
    ) % {"missing": ", ".join(str(label) for label in checklist.missing(case))}
