"""Every read a view, API or command makes: always given the user, returning permission-filtered
querysets. One module per area; this package re-exports the public functions."""

from .cases import case_list, partner_figures, queue_for
from .imports import import_list
from .listings import household_fields, household_list, narrow_to_partner, referral_list, signal_list, tenancy_list

__all__ = [
    "case_list",
    "household_fields",
    "household_list",
    "import_list",
    "narrow_to_partner",
    "partner_figures",
    "queue_for",
    "referral_list",
    "signal_list",
    "tenancy_list",
]
