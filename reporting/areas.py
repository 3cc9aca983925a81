"""Where: roll the per-neighbourhood figures up into CBS districts (wijk), municipalities and the total.

A household is in one neighbourhood of one municipality, so the additive figures of the children sum
to their parent exactly. CBS codes: neighbourhood ``BU`` + municipality (4) + district (2) + buurt (2),
district ``WK`` + municipality (4) + district (2). Households without a known place count as
"unknown" (empty code) at each level.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from partners.models import Municipality, Neighbourhood

MUNICIPALITY, DISTRICT, NEIGHBOURHOOD = "municipality", "district", "neighbourhood"
AREAS = (MUNICIPALITY, DISTRICT, NEIGHBOURHOOD)


@dataclass
class AreaRow:
    area: str
    code: str
    name: str
    parent: str  # the code of the enclosing area ("" = the partner's total)
    figures: dict = field(default_factory=dict)


def district_code(neighbourhood_code):
    return "WK" + neighbourhood_code[2:8] if neighbourhood_code else ""


def parent_code(area, code):
    if area == NEIGHBOURHOOD:
        return district_code(code)
    if area == DISTRICT:
        return code[2:6]
    return ""


def roll_up(cells, fields):
    """``{(municipality, neighbourhood): figures}`` → ``({area: [AreaRow]}, total figures)``."""
    rows = {area: {} for area in AREAS}
    total = _zero(fields)
    for (municipality, neighbourhood), figures in cells.items():
        keys = {
            MUNICIPALITY: municipality or "",
            DISTRICT: district_code(neighbourhood),
            NEIGHBOURHOOD: neighbourhood or "",
        }
        for area, code in keys.items():
            row = rows[area].setdefault(code, AreaRow(area, code, "", parent_code(area, code), _zero(fields)))
            _add(row.figures, figures, fields)
        _add(total, figures, fields)
    for figures in [total, *(row.figures for found in rows.values() for row in found.values())]:
        if "arrears_total" in figures:
            figures["arrears_total"] = Decimal(figures["arrears_total"]).quantize(Decimal("0.01"))
    _name(rows)
    return {area: sorted(found.values(), key=_order) for area, found in rows.items()}, total


def _zero(fields):
    return {name: Decimal("0") if name == "arrears_total" else 0 for name in fields}


def _add(into, figures, fields):
    for name in fields:
        into[name] += figures.get(name) or 0


def _order(row):
    return (row.code == "", row.name, row.code)


def _name(rows):
    """Names as they are now (kept in the snapshot): a district carries its municipality's name."""
    municipalities = dict(Municipality.objects.filter(code__in=rows[MUNICIPALITY]).values_list("code", "name"))
    neighbourhoods = dict(Neighbourhood.objects.filter(code__in=rows[NEIGHBOURHOOD]).values_list("code", "name"))
    for row in rows[MUNICIPALITY].values():
        row.name = municipalities.get(row.code, "")
    for row in rows[DISTRICT].values():
        row.name = municipalities.get(row.code[2:6], "")
    for row in rows[NEIGHBOURHOOD].values():
        row.name = neighbourhoods.get(row.code, "")


def area_label(area, code, name):
    """What a person reads: "Binnenstad (BU05050101)", "Wijk 01, Dordrecht (WK050501)", "Unknown"."""
    if not code:
        return _("Unknown")
    if area == DISTRICT:
        name = _("District %(number)s, %(municipality)s") % {"number": code[6:8], "municipality": name or code[2:6]}
    return f"{name} ({code})" if name else code
