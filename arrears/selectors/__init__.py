"""Every read a view, API or command makes: always given the user, returning permission-filtered
querysets. One module per area; this package re-exports the public functions."""

from .cases import case_list, partner_figures, queue_for
from .imports import import_get, import_list

__all__ = ["case_list", "import_get", "import_list", "partner_figures", "queue_for"]
