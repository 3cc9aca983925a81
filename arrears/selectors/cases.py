"""Reads of signals and cases, always for a user and filtered to what that user may see."""

from django.db.models import Q, Sum

from partners.models import Partner

from ..models import Case, Signal
from ..workflow import OPEN_STATES


def case_list(*, user):
    """Cases the user's partners may see: a corporation its own tenants' cases, a social service the
    cases in its queue or referred to it."""
    if not user.is_authenticated:
        return Case.objects.none()
    partner_ids = list(user.memberships.values_list("partner_id", flat=True))
    return (
        Case.objects.filter(
            Q(corporation_id__in=partner_ids)
            | Q(queue_partner_id__in=partner_ids)
            | Q(referrals__to_partner_id__in=partner_ids)
        )
        .distinct()
        .select_related("household", "household__neighbourhood", "queue_partner", "assignee")
    )


def queue_for(*, user, partner):
    """Open cases in the partner's own queue."""
    return case_list(user=user).filter(queue_partner=partner, state__in=OPEN_STATES)


def partner_figures(*, partner: Partner):
    """A handful of headline figures for the landing page."""
    if partner.is_corporation:
        open_cases = Case.objects.filter(corporation=partner, state__in=OPEN_STATES)
        signals = Signal.objects.filter(corporation=partner, status=Signal.Status.OPEN)
    else:
        open_cases = Case.objects.filter(queue_partner=partner, state__in=OPEN_STATES)
        signals = Signal.objects.filter(case__queue_partner=partner, status=Signal.Status.OPEN)
    return {
        "open_cases": open_cases.count(),
        "open_signals": signals.count(),
        "arrears_total": signals.aggregate(total=Sum("amount"))["total"] or 0,
        "in_respite": open_cases.filter(respite_until__isnull=False).count(),
    }
