"""Role checks for API endpoints. Object access is never decided here: the selectors filter it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from partners.api.context import acting_membership


class PartnerRole(permissions.BasePermission):
    """The acting membership has one of ``view.api_roles`` (and, if set, the partner kind
    ``view.api_partner_kind``). Views without ``api_roles`` only need a membership."""

    message = _("Your role does not allow this.")

    def has_permission(self, request, view):
        membership = acting_membership(request)
        if membership is None:
            self.message = _("Your account does not belong to a partner.")
            return False
        roles = getattr(view, "api_roles", None)
        kind = getattr(view, "api_partner_kind", None)
        if kind is not None and membership.partner.kind != kind:
            self.message = _("This is not available to your organisation.")
            return False
        if roles is not None and membership.role not in roles:
            self.message = _("Your role does not allow this.")
            return False
        return True
