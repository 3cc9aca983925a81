"""Template helpers for the dashboards: who gets the link, and how a cell reads."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from partners.templatetags.tijdig import format_euro
from reporting.suppression import is_suppressed

register = template.Library()
DASHBOARD_ROLES = {"manager", "admin"}


@register.filter
def manages_any(memberships):
    """True when one of the (already loaded) memberships may open a dashboard."""
    return any(membership.role in DASHBOARD_ROLES for membership in memberships or ())


def _dutch_number(value, places):
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def cell(value, kind="count"):
    """A table cell in Dutch notation; a hidden figure as "x" with an explanation."""
    if is_suppressed(value):
        title = _("Not shown: computed from too few households, it would identify them.")
        return format_html('<abbr class="suppressed" title="{}">{}</abbr>', title, str(value))
    if value is None:
        return "–"
    if kind == "money":
        return format_euro(value)
    if kind == "percent":
        return f"{_dutch_number(Decimal(value), 1)} %"
    if kind == "decimal":
        return _dutch_number(Decimal(value), 1)
    if kind == "count":
        return _dutch_number(int(value), 0)
    return str(value)
