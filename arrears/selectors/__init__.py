"""Every read a view, API or command makes: always given the user, returning permission-filtered
querysets. One module per area; this package re-exports the public functions."""

from .casepage import arrears_history, case_signals, case_tenancies, referral_targets, sees_ledger
from .cases import (
    assignable_users,
    case_contact_attempts,
    case_get,
    case_list,
    case_notes,
    case_referrals,
    case_timeline,
    household_get,
    household_list,
    partner_figures,
    queue_for,
    referral_list,
    visible_household_fields,
)
from .dashboards import dashboard, dashboard_partner, dashboard_partners, ddas_export, ddas_municipalities
from .imports import import_get, import_list
from .listings import household_list_for, narrow_to_partner, signal_list, tenancy_list
from .ownfile import own_file
from .privacy import is_partner_admin, privacy_household_find, privacy_household_get
from .queue import QueueFilters, queue_filter_options, queue_list, queue_page, queue_row

__all__ = [
    "QueueFilters",
    "arrears_history",
    "assignable_users",
    "case_contact_attempts",
    "case_get",
    "case_list",
    "case_notes",
    "case_referrals",
    "case_signals",
    "case_tenancies",
    "case_timeline",
    "dashboard",
    "dashboard_partner",
    "dashboard_partners",
    "ddas_export",
    "ddas_municipalities",
    "household_get",
    "household_list",
    "household_list_for",
    "import_get",
    "import_list",
    "is_partner_admin",
    "narrow_to_partner",
    "own_file",
    "partner_figures",
    "privacy_household_find",
    "privacy_household_get",
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
