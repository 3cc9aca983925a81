"""Presentation helpers: Dutch money and dates, whatever the active language."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def format_euro(value):
    """``Decimal('1234.5')`` → ``€ 1.234,50``; negative amounts as ``€ -12,50``."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"€ {sign}{'.'.join(groups)},{cents}"


register.filter("euro", format_euro)
