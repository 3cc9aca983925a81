"""Small helpers the page views share: the signed-in user's membership, htmx targets, messages."""

from django.urls import reverse

from partners.models import Role
from partners.selectors import membership_for

#: The audit trail's name for reads through the queue page.
QUEUE_CHANNEL = "page:queue"


def membership_for_request(request):
    """The user's membership, read once per request."""
    if not hasattr(request, "_tijdig_membership"):
        request._tijdig_membership = membership_for(user=request.user)
    return request._tijdig_membership


def can_assign(membership) -> bool:
    """Team leads (managers) assign and bulk-assign cases."""
    return membership is not None and membership.role == Role.MANAGER


_PK = 987654321


def add_row_urls(cases):
    """Give each queue row its links without reversing URLs per row (a hundred rows, four links each)."""
    detail = reverse("case-detail", args=[_PK]).replace(str(_PK), "{}")
    claim = reverse("case-action", args=[_PK, "claim"]).replace(str(_PK), "{}")
    take_up = reverse("case-action", args=[_PK, "take_up"]).replace(str(_PK), "{}")
    for case in cases:
        case.detail_url = detail.format(case.pk)
        case.claim_url = claim.format(case.pk)
        case.take_up_url = take_up.format(case.pk)
    return cases
