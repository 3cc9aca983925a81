"""Every read a view, API or command makes: always given the user, returning permission-filtered
querysets. One module per area; this package re-exports the public functions."""

from .cases import case_list, partner_figures, queue_for
from .dashboards import dashboard, dashboard_partner, dashboard_partners, ddas_export, ddas_municipalities
from .imports import import_list

__all__ = [
    "case_list",
    "dashboard",
    "dashboard_partner",
    "dashboard_partners",
    "ddas_export",
    "ddas_municipalities",
    "import_list",
    "partner_figures",
    "queue_for",
]
