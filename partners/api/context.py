"""Who is acting in an API request: the partner and role the request speaks for."""

from partners.models import ApiToken, Membership
from partners.selectors import membership_for


def acting_membership(request) -> Membership | None:
    """A token's membership in its partner; for a browser session, the user's (first) membership."""
    if not hasattr(request, "_tijdig_membership"):
        if isinstance(request.auth, ApiToken):
            request._tijdig_membership = request.auth.membership
        else:
            request._tijdig_membership = membership_for(user=request.user)
    return request._tijdig_membership


def token_partner_scope(request):
    """The partner a token narrows the user's view to, or ``None`` when there is nothing to narrow.

    Only a token of a user who works for more than one partner narrows anything: for everyone else
    the selectors' answer already is the partner's view (docs/adr/0051).
    """
    if not isinstance(request.auth, ApiToken):
        return None
    if Membership.objects.filter(user=request.user).exclude(partner=request.auth.partner).exists():
        return request.auth.partner
    return None
