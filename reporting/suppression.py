"""Small numbers identify people: the one place the rule lives (ADR 0044, which replaces the "<5" of 0042).

Every count the dashboards publish — page, printable report, CSV, XLSX, API — is a multiple of
:data:`BASE`, made here:

1. A figure that stands alone (a partner's weekly total) is rounded to the nearest multiple
   (:func:`round_count`: 0–2 → 0, 3–7 → 5, 8–12 → 10, …).
2. Figures that add up to one shown elsewhere (the neighbourhoods of a district, the districts of a
   municipality, the municipalities of the total, the states of a queue, the queues of the total, the
   caseworkers of the own queue, the arrears buckets of the open signals, the final results of the
   closures) are *controlled-rounded* (:func:`split`): each to one of the two multiples around it (a
   multiple stays), chosen so that they add up to the rounded figure they are part of.
3. Figures computed from a group — a sum of arrears, a share, a median — are shown only where the
   *published* count of the group is at least :data:`MIN_GROUP`; a share is computed from the published
   counts. Within a partition, euro amounts are shown for all parts or for none. A hidden figure reads
   :data:`HIDDEN_TEXT` ("te weinig gegevens") with :data:`HIDDEN_REASON`, never "<5" (ADR 0092).

Why this defeats subtraction: every published figure is a multiple of 5, so adding and subtracting them
only ever gives multiples of 5, and the parts add up to their (rounded) whole, so the published table
itself satisfies every "parts make the whole" identity. A count of 1 to 4 is never a multiple of 5, so it
is never the published value: whoever solves the identities finds at least two possible values for it.
``tests/reporting/test_dashboard_attacker.py`` plays that attacker over a year of published tables.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

BASE = 5
MIN_GROUP = 10  # a published count from which a sum, share or median of the group is shown

#: How a hidden figure reads on the page, in the printable report and in the CSV/XLSX (ADR 0092) …
HIDDEN_TEXT = _("too little data")
#: … and why (on hover and focus on the page, as a cell comment in the XLSX).
HIDDEN_REASON = _(
    "Not shown: computed from too few households (fewer than 10 after rounding to a multiple of 5), it could "
    "identify them."
)
#: The API's sign for a hidden figure (as CBS writes it): stable for the machines that read it.
API_HIDDEN = "x"


class _Hidden:
    """A figure that is not shown: "too little data" (translated) on the page and in the exports, "x" in
    the API, a gap in charts."""

    def __str__(self):
        return str(HIDDEN_TEXT)

    def __repr__(self):
        return "HIDDEN"

    def __bool__(self):
        return False


HIDDEN = _Hidden()


def is_suppressed(value):
    return value is HIDDEN


def round_count(value):
    """The nearest multiple of :data:`BASE` (a half rounds up); ``None`` stays ``None``."""
    if value is None:
        return None
    return BASE * ((int(value) + BASE // 2) // BASE)


def split(values, whole):
    """Controlled rounding of the parts ``values`` to multiples of :data:`BASE` that add up to ``whole``
    (itself a multiple of :data:`BASE`, e.g. ``round_count(sum(values))``).

    Each part goes to the multiple below or above it (a multiple stays put): start from all below, then
    round up those with the largest remainders until the parts reach ``whole``; ties go to the earlier
    part. ``whole`` is always reachable when it is one of the two multiples around the true whole.
    """
    values = [int(value or 0) for value in values]
    result = [BASE * (value // BASE) for value in values]
    remainders = sorted(
        (index for index, value in enumerate(values) if value % BASE),
        key=lambda index: (-(values[index] % BASE), index),
    )
    ups = max(0, min(len(remainders), (whole - sum(result)) // BASE))
    for index in remainders[:ups]:
        result[index] += BASE
    return result


def dependent(value, published_base):
    """A sum, share or median of a group: shown when the group's published count is large enough.

    Decided on the *published* count only, so hiding tells nothing the count does not already say;
    for a published count of 0 there is nothing to show (``None``)."""
    if value is None or published_base is None:
        return value
    if published_base >= MIN_GROUP:
        return value
    return None if published_base == 0 else HIDDEN


def share(part, whole):
    """A percentage of two *published* counts (one decimal); hidden for a small published whole."""
    if not whole:
        return None
    if whole < MIN_GROUP:
        return HIDDEN
    return Decimal(part * 100 / whole).quantize(Decimal("0.1"))
