"""Template helpers for the dashboards: who gets the link, and how a cell reads."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from partners.templatetags.tijdig import format_euro
from reporting.suppression import HIDDEN_REASON, HIDDEN_TEXT, is_suppressed

register = template.Library()
DASHBOARD_ROLES = {"manager", "admin"}


@register.filter
def manages_any(memberships):
    """True when one of the (already loaded) memberships may open a dashboard."""
    return any(membership.role in DASHBOARD_ROLES for membership in memberships or ())


def _dutch_number(value, places):
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


#: The id of the page's one explanation of hidden figures (``dashboards/_suppressed.html``).
SUPPRESSED_REASON_ID = "why-suppressed"


@register.filter
def cell(value, kind="count"):
    """A table cell in Dutch notation. A hidden figure reads "te weinig gegevens"; its reason shows on hover
    and on keyboard focus (the cell can take focus; CSS shows ``data-reason``, no script needed under the
    strict CSP) and is its accessible description (``aria-describedby`` the page's explanation)."""
    if is_suppressed(value):
        return format_html(
            '<span class="suppressed" tabindex="0" data-reason="{}" aria-describedby="{}">{}</span>',
            str(HIDDEN_REASON),
            SUPPRESSED_REASON_ID,
            str(HIDDEN_TEXT),
        )
    if value is None:
        return "–"
    if kind == "date":
        return value.strftime("%d-%m-%Y")
    if kind == "money":
        return format_euro(value)
    if kind == "percent":
        return f"{_dutch_number(Decimal(value), 1)} %"
    if kind == "decimal":
        return _dutch_number(Decimal(value), 1)
    if kind == "count":
        return _dutch_number(int(value), 0)
    return str(value)


@register.filter
def definitions_for(table, partner):
    """The definitions of a table's columns, for the panel's "what these figures mean"."""
    return table.definitions(partner)


@register.simple_tag
def suppressed_reason():
    """The page's one explanation of hidden figures, which every hidden cell names as its description."""
    return format_html('<p id="{}" hidden>{}</p>', SUPPRESSED_REASON_ID, str(HIDDEN_REASON))
