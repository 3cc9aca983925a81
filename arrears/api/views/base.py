"""What every arrears API view shares: the acting partner and the token's scope."""

from partners.api.context import acting_membership, token_partner_scope

#: The audit trail's channel for reads and changes through the API.
CHANNEL = "api"


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
