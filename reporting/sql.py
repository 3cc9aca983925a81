"""Portable SQL building blocks: local dates, day differences and percentiles.

PostgreSQL is production; the embedded default (SQLite) must give the same answers. Where the two differ
the PostgreSQL form comes first and the other backends get an exact equivalent.
"""

import math
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Aggregate, Count, FloatField, Func, IntegerField
from django.db.models.functions import TruncDate

from reporting.weeks import local_tz

TWO_PLACES = Decimal("0.01")


@contextmanager
def without_jit():
    """Run the block in a transaction with PostgreSQL's JIT compiler off.

    The dashboard queries carry many correlated sub-plans, so their *estimated* cost passes
    ``jit_above_cost`` while they run in milliseconds; compiling them took about a second each. Local to
    the transaction: nothing else is affected.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def LocalDate(expression):
    """The calendar date of an aware datetime in Europe/Amsterdam (not in UTC)."""
    return TruncDate(expression, tzinfo=local_tz())


class DaysBetween(Func):
    """Whole days from ``earlier`` to ``later`` (two dates)."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps dates as text: compare their Julian day numbers.
        later, earlier = (compiler.compile(expression) for expression in self.get_source_expressions())
        sql = f"CAST(ROUND(julianday({later[0]}) - julianday({earlier[0]})) AS INTEGER)"
        return sql, (*later[1], *earlier[1])


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY x)``."""

    function = "PERCENTILE_CONT"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        expression, params = compiler.compile(self.get_source_expressions()[0])
        return f"PERCENTILE_CONT({self.fraction!r}) WITHIN GROUP (ORDER BY {expression})", params


def _decimal(value):
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def percentiles(queryset, field, fractions):
    """``(count, [percentiles])``: continuous percentiles (linear interpolation, as ``percentile_cont``) of
    the annotated ``field`` over the queryset, as Decimals with two places; ``None`` for an empty set.

    PostgreSQL computes them in one aggregate. Elsewhere the database sorts and each percentile reads at
    most the two rows around its position (``ORDER BY … LIMIT 2 OFFSET k``), never the whole set.
    """
    if connection.vendor == "postgresql":
        result = queryset.aggregate(
            count=Count("pk"),
            **{f"p{index}": PercentileCont(field, fraction) for index, fraction in enumerate(fractions)},
        )
        return result["count"], [_decimal(result[f"p{index}"]) for index in range(len(fractions))]
    return sorted_percentiles(queryset, field, fractions)


def sorted_percentiles(queryset, field, fractions):
    """The portable form of :func:`percentiles`."""
    count = queryset.count()
    if not count:
        return 0, [None] * len(fractions)
    ordered = queryset.order_by(field).values_list(field, flat=True)
    values = []
    for fraction in fractions:
        position = fraction * (count - 1)
        low = math.floor(position)
        around = list(ordered[low : low + 2])
        value = Decimal(around[0])
        if position > low:
            value += (Decimal(around[1]) - value) * Decimal(str(position - low))
        values.append(_decimal(value))
    return count, values
