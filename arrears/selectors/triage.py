"""Two triage rules on a case, each defined once here and computed in SQL (docs/adr/0094): *repeat
arrears* and the household's *age group*. The queue (row badge, ``?repeat=``, ``?age=``), the case page
(badge) and the API's case list (``repeat``, ``age``) all use these functions; each applies only where
:mod:`arrears.disclosure` lets the reader see what it is made of (:func:`arrears.disclosure.field_q`).

**Repeat arrears.** A case is a repeat when its current arrears episode began within 12 months of the
end of an earlier episode *of the same household*: there is a closed :class:`~arrears.models.Signal` of
the household that opened before the case's current episode and closed on a day from the same calendar
day a year before that episode's start up to that start (both ends included). The current episode's
start is the earliest ``opened_on`` (the day the flagging rule first held) of the case's open episodes;
a case without an open episode (arrears cleared, or closed) is not a repeat — there is no current
episode. The household, not the tenancy: a household that moves to another home of the same
corporation, or has a second contract (a parking space), and falls behind again is the same payment
pattern — that is what a caseworker triages by — while a new tenant of the same home is not. The earlier
episode may belong to this case (arrears cleared and back while the case stayed open) or to an earlier
one. "12 months" is calendar months, compared as the day number ``YYYYMMDD`` (a year is 10000), so it is
exact across leap years and the same on PostgreSQL and SQLite; from a 29 February start the window
begins on 1 March of the year before.

What it is made of — the household's other episodes — is the corporation's ledger
(``disclosure.CORPORATION_FIELDS``, ``"arrears"``; docs/adr/0025): a social service sees it once it
has the case in full, not before take-up, and a DDAS signal carries no such flag.

**Age group.** ``under27`` (born after the day 27 years before today: the 27th birthday today is not
under 27) and ``65plus`` (born on or before the day 65 years before today: the 65th birthday today is
65 plus), today in Europe/Amsterdam, as plain date comparisons on the stored
``Household.date_of_birth``; a 29 February birthday counts from 1 March in other years. Only where the
reader sees ``date_of_birth``; a household without a date of birth is in neither group.
"""

import datetime as dt

from django.db.models import BooleanField, DateField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from arrears import disclosure
from arrears.models import Signal

#: The disclosure field a repeat is made of: the household's other episodes, the corporation's ledger.
REPEAT_FIELD = "arrears"
#: One year in day numbers (``YYYYMMDD``): the repeat window of 12 calendar months.
_YEAR = 10000

AGE_FIELD = "date_of_birth"
AGE_UNDER_27, AGE_65_PLUS = "under27", "65plus"
AGES = (AGE_UNDER_27, AGE_65_PLUS)


def _day_number(expression):
    """A date as the whole number ``YYYYMMDD``: ordered like the date, and "a year before" is minus 10000."""
    return ExtractYear(expression) * _YEAR + ExtractMonth(expression) * 100 + ExtractDay(expression)


def episode_start():
    """Expression on a case queryset: the day its current arrears episode began (the earliest ``opened_on``
    of its open episodes), null without an open episode."""
    return Subquery(
        Signal.objects.filter(case=OuterRef("pk"), status=Signal.Status.OPEN)
        .order_by("opened_on")
        .values("opened_on")[:1],
        output_field=DateField(),
    )


def with_repeat(cases, *, partner_ids):
    """``cases`` annotated with ``repeat``: a repeat (module docstring) that the readers ``partner_ids`` may
    see; ``False`` where they may not (so neither the badge nor a filter on it gives it away). All in SQL:
    one subquery per row, no per-row query."""
    cases = cases.annotate(episode_start=episode_start()).annotate(episode_start_day=_day_number(F("episode_start")))
    cases = cases.annotate(repeat_from_day=F("episode_start_day") - _YEAR)
    earlier = (
        Signal.objects.filter(
            household_id=OuterRef("household_id"),
            status=Signal.Status.CLOSED,
            opened_on__lt=OuterRef("episode_start"),
            closed_on__lte=OuterRef("episode_start"),
        )
        .annotate(closed_day=_day_number(F("closed_on")))
        .filter(closed_day__gte=OuterRef("repeat_from_day"))
    )
    return cases.annotate(
        repeat=CaseWhen(
            When(disclosure.field_q(REPEAT_FIELD, partner_ids) & Exists(earlier), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def may_filter_repeat(user) -> bool:
    return disclosure.may_see_field(user, REPEAT_FIELD)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` years earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_q(age: str, *, today: dt.date, partner_ids) -> Q:
    """The cases whose household is in the age group ``age`` (``AGES``) on ``today``, among those whose
    date of birth the readers ``partner_ids`` see; an unknown group matches nothing."""
    if age == AGE_UNDER_27:
        group = Q(household__date_of_birth__gt=years_before(today, 27))
    elif age == AGE_65_PLUS:
        group = Q(household__date_of_birth__lte=years_before(today, 65))
    else:
        return Q(pk__in=[])
    return disclosure.field_q(AGE_FIELD, partner_ids) & group


def may_filter_age(user) -> bool:
    return disclosure.may_see_field(user, AGE_FIELD)
