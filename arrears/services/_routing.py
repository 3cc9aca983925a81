"""Routing one case from a service: after a checklist step (``services.casework``) or on request
(``services.cases.case_signal``). Both modules use these; neither imports the other for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from arrears import routing
from arrears.models import Case, CaseEvent, Referral
from arrears.services import base
from arrears.workflow import CORPORATION_STATES

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arrears.routing import Decision
    from partners.models import Partner

#: The Case fields a routing decision may change (saved together).
ROUTING_FIELDS = (
    "routing_decision",
    "routing_rule",
    "routing_reason",
    "routed_at",
    "is_late",
    "queue_partner",
    "state",
    "signalled_at",
    "taken_up_at",
    "assignee",
    "escalated_at",
    "escalation_reason",
)


def routed(case: Case, by: User | None, partner: Partner, decision: Decision, previous: str) -> None:
    """Timeline, audit (a signal only) and access after a routing decision on one case."""
    base.record(
        case,
        CaseEvent(
            kind=CaseEvent.Kind.ROUTED,
            from_state=previous,
            to_state=case.state,
            reason=decision.reason,
            data=decision.event_data(),
        ),
        by=by,
        partner=partner,
        audited=decision.signals,
        audit_detail={"routed": "social_service"},
        sync_access=True,
    )


def route_if_due(case: Case, by: User | None, partner: Partner) -> bool:
    """After a checklist step: route the case by the rules when it may be routed automatically
    (corporation's queue, not re-routed by hand, no respite, no referral waiting). The routing reason
    the case page shows is always brought up to date (what is still missing, docs/adr/0090); the
    timeline gets a row only when the decision itself changed (the case moved, or another rule or
    kind of decision applies), never for a reason that merely lists one missing step fewer. Returns
    whether it saved the case."""
    if not (case.state in CORPORATION_STATES and case.routing_decision != Case.RoutingDecision.MANUAL):
        return False
    if case.in_respite() or case.referrals.filter(status=Referral.Status.PENDING).exists():
        return False
    previous = case.state
    before = (case.routing_decision, case.routing_rule_id, case.routing_reason)
    decision, moved = routing.route_case(case)
    if not moved and before == (decision.kind, decision.rule_id, decision.reason[:300]):
        return False
    base.save(case, *ROUTING_FIELDS)
    if moved or before[:2] != (decision.kind, decision.rule_id):
        routed(case, by, partner, decision, previous)
    return True
