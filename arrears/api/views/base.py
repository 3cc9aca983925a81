"""What every arrears API view shares: the acting partner, the token's scope, object lookup by id."""

from django.http import Http404

from partners import bounds
from partners.api.context import acting_membership, token_partner_scope

#: The audit trail's channel for reads and changes through the API.
CHANNEL = "api"


def parse_id(value) -> int:
    """A path id as an int; anything else is simply not found."""
    number = bounds.parse_id(value)
    if number is None:
        raise Http404
    return number


class ApiViewMixin:
    # ``self.scope``: the partner a token narrows to (or ``None``); ``self.acting``: the membership.
    # (A comment, not a docstring: drf-spectacular would show a docstring as every operation's description.)

    @property
    def acting(self):
        return acting_membership(self.request)

    @property
    def scope(self):
        if not hasattr(self, "_scope"):
            self._scope = token_partner_scope(self.request)
        return self._scope

    def own_partner_ids(self) -> set[int]:
        if self.scope is not None:
            return {self.scope.pk}
        return set(self.request.user.memberships.values_list("partner_id", flat=True))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return context
        context["own_partner_ids"] = self.own_partner_ids()
        return context
