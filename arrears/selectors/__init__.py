"""Every read a view, API or command makes: always given the user, returning permission-filtered
querysets. One module per area; this package re-exports the public functions."""

from .casepage import (
    arrears_history,
    case_referrals,
    case_signals,
    case_tenancies,
    partner_colleagues,
    referral_targets,
    sees_ledger,
)
from .cases import case_list, partner_figures, queue_for
from .imports import import_list
from .interim import case_get, case_timeline, visible_household_fields  # INTERIM: routing's land in main
from .queue import QueueFilters, queue_filter_options, queue_list, queue_page, queue_row

__all__ = [
    "QueueFilters",
    "arrears_history",
    "case_get",
    "case_list",
    "case_referrals",
    "case_signals",
    "case_tenancies",
    "case_timeline",
    "import_list",
    "partner_colleagues",
    "partner_figures",
    "queue_filter_options",
    "queue_for",
    "queue_list",
    "queue_page",
    "queue_row",
    "referral_targets",
    "sees_ledger",
    "visible_household_fields",
]
