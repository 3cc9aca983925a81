"""Every read a view, API or command makes: always given the user, returning permission-filtered
querysets. One module per area; this package re-exports the public functions."""

from arrears.selectors.casepage import (
    arrears_history,
    case_is_repeat,
    case_signals,
    case_tenancies,
    referral_targets,
    sees_ledger,
)
from arrears.selectors.cases import (
    assignable_users,
    case_contact_attempts,
    case_get,
    case_list,
    case_notes,
    case_referrals,
    case_timeline,
    household_get,
    household_list,
    queue_for,
    referral_list,
    visible_household_fields,
)
from arrears.selectors.compliance import compliance_file, may_download_compliance_file
from arrears.selectors.listings import household_list_for, narrow_to_partner, signal_list, tenancy_list
from arrears.selectors.ownfile import own_file
from arrears.selectors.queue import QueueFilters, queue_filter_options, queue_list, queue_page, queue_row

__all__ = [
    "QueueFilters",
    "arrears_history",
    "assignable_users",
    "case_contact_attempts",
    "case_get",
    "case_is_repeat",
    "case_list",
    "case_notes",
    "case_referrals",
    "case_signals",
    "case_tenancies",
    "case_timeline",
    "compliance_file",
    "household_get",
    "household_list",
    "household_list_for",
    "may_download_compliance_file",
    "narrow_to_partner",
    "own_file",
    "queue_filter_options",
    "queue_for",
    "queue_list",
    "queue_page",
    "queue_row",
    "referral_list",
    "referral_targets",
    "sees_ledger",
    "signal_list",
    "tenancy_list",
    "visible_household_fields",
]
