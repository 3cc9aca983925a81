"""Every read a view, API or command makes: always given the user, returning permission-filtered
querysets. One module per area; this package re-exports the public functions."""

from .cases import case_list, partner_figures, queue_for
from .imports import import_list
from .privacy import is_partner_admin, privacy_household_find, privacy_household_get

__all__ = [
    "case_list",
    "import_list",
    "is_partner_admin",
    "partner_figures",
    "privacy_household_find",
    "privacy_household_get",
    "queue_for",
]
