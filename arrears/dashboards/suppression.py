"""Small cells identify people: the one place the suppression rule lives.

Every table the dashboards show or export goes through :func:`suppress`:

1. *Primary*: a count of 1 to 4 (households, cases, signals, referrals) is replaced by :data:`SUPPRESSED`
   (shown as "<5"). Zero is shown: an empty cell identifies nobody.
2. *Secondary*: where rows partition a figure that is shown elsewhere (the neighbourhoods of a district,
   the districts of a municipality, the municipalities of the total, the caseworkers of a queue), a lone
   suppressed cell could be recovered by subtraction; then the smallest other non-zero cell of that
   partition is suppressed too.
3. *Dependent* figures (a sum of arrears, a median, a share) are suppressed when the count they are
   computed from is suppressed or below 5.
"""

from dataclasses import dataclass

MIN_CELL = 5


class _Suppressed:
    """A suppressed cell: "<5" in tables and exports, a gap in charts."""

    def __str__(self):
        return f"<{MIN_CELL}"

    def __repr__(self):
        return "SUPPRESSED"

    def __bool__(self):
        return False


SUPPRESSED = _Suppressed()


def is_suppressed(value):
    return value is SUPPRESSED


def too_small(value):
    return isinstance(value, int) and 0 < value < MIN_CELL


@dataclass(frozen=True)
class Rule:
    counts: tuple[str, ...]  # columns of counts
    dependents: dict  # column -> the count column it is computed from
    partitions: tuple[tuple[int, ...], ...] = ()  # groups of row indexes that add up to a shown figure


def suppress(rows, rule: Rule):
    """Return new rows (dicts) with the rule applied; the input is left untouched."""
    rows = [dict(row) for row in rows]
    for row in rows:
        for column in rule.counts:
            if too_small(row.get(column)):
                row[column] = SUPPRESSED
    for column in rule.counts:
        for partition in rule.partitions:
            _complement(rows, partition, column)
    for row in rows:
        for column, base in rule.dependents.items():
            if row.get(column) is not None and _hides(row.get(base)):
                row[column] = SUPPRESSED
    return rows


def _hides(base):
    return is_suppressed(base) or too_small(base)


def _complement(rows, partition, column):
    hidden = [index for index in partition if is_suppressed(rows[index].get(column))]
    if len(hidden) != 1:
        return
    shown = [index for index in partition if isinstance(rows[index].get(column), int) and rows[index][column] > 0]
    if shown:
        smallest = min(shown, key=lambda index: rows[index][column])
        rows[smallest][column] = SUPPRESSED
