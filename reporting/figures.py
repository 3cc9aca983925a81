"""One partner's figures for one ISO week, computed in the database.

*Flows* (new signals, closures, referrals, first contacts, evictions prevented and executed) count what
happened during the week.
*Stock* figures (open cases, respite, arrears, overdue) are taken at one moment: the end of a past
week, or now for the live week. Every count is grouped by the household's municipality and CBS
neighbourhood in SQL; the handful of rows that come back are rolled up into districts, municipalities
and the total (``areas.py``). Only the speed-of-help percentiles and final results are for the total only.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case as Choose
from django.db.models import Count, DateField, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.utils import timezone

from arrears.models import ContactAttempt, EvictionStep, Note
from arrears.selectors.queue import contact_cutoff
from ledger.models import ArrearsSnapshot
from reporting import deadlines
from reporting.areas import AreaRow, roll_up
from reporting.scope import Scope
from reporting.sql import DaysBetween, LocalDate, percentiles, without_jit
from reporting.weeks import Week

COUNTS = (
    "new_signals",
    "cases_closed",
    "referrals_sent",
    "referrals_accepted",
    "referrals_declined",
    "open_cases",
    "in_respite",
    "arrears_signals",
    "arrears_lt1",
    "arrears_1_2",
    "arrears_2_3",
    "arrears_ge3",
    "overdue",
    "due",
    "contacted_in_time",
    "evictions_prevented",
    "evictions_executed",
)
MONEY = ("arrears_total",)
ADDITIVE = COUNTS + MONEY
SPEED = (
    "first_attempts",
    "days_to_attempt_p50",
    "days_to_attempt_p90",
    "first_reached",
    "days_to_reached_p50",
    "days_to_reached_p90",
)
RESPITE_NOTES = (Note.Kind.RESPITE_GRANTED, Note.Kind.RESPITE_EXTENDED, Note.Kind.RESPITE_ENDED)
ZERO = Decimal("0")


@dataclass(frozen=True)
class Moment:
    """Where a week's figures stop: the end of a past week, or now in the live week."""

    week: Week
    at: dt.datetime  # datetimes before this count
    day: dt.date  # the last calendar day that counts
    live: bool

    @classmethod
    def of(cls, week: Week, now: dt.datetime | None = None) -> "Moment":
        now = now or timezone.now()
        if now >= week.end_at:
            return cls(week, week.end_at, week.last_day, live=False)
        return cls(week, now, timezone.localtime(now).date(), live=True)

    @property
    def deadlines_before(self) -> dt.date:
        """A deadline before this date has passed (today's deadline has not, in the live week)."""
        return self.day if self.live else self.day + dt.timedelta(days=1)


@dataclass
class WeekFigures:
    partner_id: int
    week: Week
    live: bool
    total: dict
    areas: dict[str, list[AreaRow]] = field(default_factory=dict)


def compute_week(partner, week: Week, *, now=None) -> WeekFigures:
    scope = Scope(partner)
    moment = Moment.of(week, now)
    cells: dict[tuple, dict] = {}
    with without_jit():
        for grouped in (
            _case_flows(scope, moment),
            _case_stock(scope, moment),
            _arrears(scope, moment),
            _referrals(scope, moment),
            _due_and_overdue(scope, moment),
            _evictions(scope, moment),
        ):
            for key, values in grouped.items():
                cells.setdefault(key, {}).update(values)
        areas, total = roll_up(cells, ADDITIVE)
        total.update(_speed(scope, moment))
        total["outcomes"] = _outcomes(scope, moment)
    return WeekFigures(partner_id=partner.pk, week=week, live=moment.live, total=total, areas=areas)


# --- building blocks ---------------------------------------------------------------------------


def _grouped(queryset, household="household__", **aggregates):
    """Aggregates per (municipality, neighbourhood) of the household, in one GROUP BY."""
    rows = (
        queryset.order_by()
        .values(mun=F(f"{household}municipality_id"), nbh=F(f"{household}neighbourhood_id"))
        .annotate(**aggregates)
    )
    return {(row.pop("mun"), row.pop("nbh")): row for row in rows}


def _in_week(name, moment):
    return Q(**{f"{name}__gte": moment.week.start_at, f"{name}__lt": moment.at})


def open_at(moment):
    return Q(start__lt=moment.at) & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment.at))


def _cases(scope):
    return scope.cases().annotate(start=scope.start())


def _attempts(scope, moment, **conditions):
    """The partner's own contact attempts up to the moment's day."""
    return ContactAttempt.objects.filter(partner=scope.partner, date__lte=moment.day, **conditions)


def _first_contact(scope, moment, **conditions):
    """The date of the partner's first contact attempt on the case, up to the moment."""
    attempts = _attempts(scope, moment, **conditions).filter(case=OuterRef("pk"))
    return Subquery(attempts.order_by("date").values("date")[:1], output_field=DateField())


def cases_with_start_date(scope):
    return _cases(scope).annotate(start_date=LocalDate("start"))


def overdue(scope, moment):
    """Open at the moment, past the contact deadline and not attempted by the partner since the case
    reached it — the queue's own rule ("Te laat", ``arrears.selectors.queue``): the same cut-off
    (``contact_cutoff``, N working days after arrival), attempts counted from the day of arrival. The
    caller keeps the cases in the partner's own queue."""
    last_start = contact_cutoff(moment.deadlines_before)
    attempted = Exists(_attempts(scope, moment).filter(case=OuterRef("pk"), date__gte=OuterRef("start_date")))
    return open_at(moment) & Q(start_date__lte=last_start) & ~attempted


# --- cases ----------------------------------------------------------------------------------


def _case_flows(scope, moment):
    new, closed = _in_week("start", moment), _in_week("closed_at", moment)
    queryset = _cases(scope).filter(new | closed)
    return _grouped(queryset, new_signals=Count("pk", filter=new), cases_closed=Count("pk", filter=closed))


def _respite_until(moment):
    """The end of the case's respite as it stood at the moment: the latest respite note before it
    (an *ended* note: none), or the case's own field when it has no respite notes."""
    notes = Note.objects.filter(case=OuterRef("pk"), kind__in=RESPITE_NOTES)
    latest = (
        notes.filter(created_at__lt=moment.at)
        .annotate(
            until=Choose(
                When(kind=Note.Kind.RESPITE_ENDED, then=Value(None)),
                default=F("respite_until"),
                output_field=DateField(),
            )
        )
        .order_by("-created_at", "-id")
        .values("until")[:1]
    )
    return Choose(When(Exists(notes), then=Subquery(latest)), default=F("respite_until"), output_field=DateField())


def _case_stock(scope, moment):
    """Open cases and respite: the cases the partner holds at the moment (``Scope.held``)."""
    queryset = (
        _cases(scope).filter(open_at(moment), scope.held(moment.at)).annotate(respite_until_then=_respite_until(moment))
    )
    return _grouped(
        queryset, open_cases=Count("pk"), in_respite=Count("pk", filter=Q(respite_until_then__gte=moment.day))
    )


def _outcomes(scope, moment):
    """Cases closed in the week by how they closed: a DDAS final result or a corporation's own outcome
    (``arrears.outcomes``), each under its own value (the two lists share no value), so a corporation's
    manager sees its own outcomes and old snapshots (DDAS values only) read the same."""
    rows = (
        _cases(scope)
        .filter(_in_week("closed_at", moment))
        .exclude(outcome="", corporation_outcome="")
        .order_by()
        .values("outcome", "corporation_outcome")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, int] = {}
    for row in rows:
        key = row["outcome"] or row["corporation_outcome"]
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


# --- arrears --------------------------------------------------------------------------------


def _arrears(scope, moment):
    """Signals open at the end of the moment's day, with the amount they had then: the signal's own
    amount if it has not changed since, else the tenancy's balance history (``ArrearsSnapshot``)."""
    day = moment.day
    signals = scope.signals().filter(Q(opened_on__lte=day), Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    if not scope.is_corporation:
        signals = signals.filter(case__in=_cases(scope).filter(start__lt=moment.at).values("pk"))
    money = DecimalField(max_digits=14, decimal_places=2)
    balance_then = ArrearsSnapshot.objects.filter(tenancy=OuterRef("tenancy_id"), as_of__lte=day).order_by("-as_of")
    amount = Choose(
        When(updated_on__lte=day, then=F("amount")),
        default=Greatest(Coalesce(Subquery(balance_then.values("balance")[:1]), F("amount")), Value(ZERO)),
        output_field=money,
    )
    months = Choose(
        When(updated_on__lte=day, then=F("months_of_rent")),
        default=Coalesce(F("amount_then") / NullIf(F("tenancy__monthly_rent"), Value(ZERO)), F("months_of_rent")),
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )
    signals = signals.annotate(amount_then=amount).annotate(months_then=months)
    return _grouped(
        signals,
        arrears_signals=Count("pk"),
        arrears_total=Coalesce(Sum("amount_then"), Value(ZERO), output_field=money),
        arrears_lt1=Count("pk", filter=Q(months_then__lt=1)),
        arrears_1_2=Count("pk", filter=Q(months_then__gte=1, months_then__lt=2)),
        arrears_2_3=Count("pk", filter=Q(months_then__gte=2, months_then__lt=3)),
        arrears_ge3=Count("pk", filter=Q(months_then__gte=3)),
    )


# --- referrals ------------------------------------------------------------------------------


def _referrals(scope, moment):
    sent = _in_week("created_at", moment)
    decided = _in_week("decided_at", moment)
    accepted = decided & Q(status="accepted")
    declined = decided & Q(status="declined")
    queryset = scope.referrals().filter(sent | decided)
    return _grouped(
        queryset,
        household="case__household__",
        referrals_sent=Count("pk", filter=sent),
        referrals_accepted=Count("pk", filter=accepted),
        referrals_declined=Count("pk", filter=declined),
    )


# --- evictions ------------------------------------------------------------------------------


def _evictions(scope, moment):
    """The outcomes of the eviction track (issue 15) in the week, by the step's date: *prevented*, the
    cases whose eviction was cancelled; *executed*, the cases whose eviction was carried out."""
    prevented = Q(kind=EvictionStep.Kind.CANCELLED)
    executed = Q(kind=EvictionStep.Kind.EXECUTED)
    steps = EvictionStep.objects.filter(
        prevented | executed,
        case__in=scope.cases().values("pk"),
        date__gte=moment.week.start,
        date__lte=moment.day,
    )
    return _grouped(
        steps,
        household="case__household__",
        evictions_prevented=Count("case", distinct=True, filter=prevented),
        evictions_executed=Count("case", distinct=True, filter=executed),
    )


# --- speed of help --------------------------------------------------------------------------


def _speed(scope, moment):
    """Days from the start to the first contact attempt and to the first successful contact, for the
    cases whose first one fell in the week: count, median and 90th percentile. Only cases with an attempt
    in the week can qualify, so those are picked first (one hashed semi-join) before anything per case."""
    result = {}
    for kind, conditions in (("attempt", {}), ("reached", {"reached": True})):
        in_week = _attempts(scope, moment, date__gte=moment.week.start, **conditions).values("case_id")
        cases = (
            cases_with_start_date(scope)
            .filter(pk__in=in_week)
            .annotate(first=_first_contact(scope, moment, **conditions))
            .filter(first__gte=moment.week.start)
            .annotate(days=DaysBetween(F("first"), F("start_date")))
        )
        count, (p50, p90) = percentiles(cases, "days", (0.5, 0.9))
        result["first_attempts" if kind == "attempt" else "first_reached"] = count
        result[f"days_to_{kind}_p50"], result[f"days_to_{kind}_p90"] = p50, p90
    return result


def _due_and_overdue(scope, moment):
    """*Due*: cases whose contact deadline passed during the week, less those closed (or, for a
    corporation, signalled on) before it without a contact attempt; *contacted in time*: of those, the
    ones with an attempt by the deadline. *Overdue*: open cases in the partner's queue at the moment,
    past their deadline and not yet attempted."""
    cases = cases_with_start_date(scope)
    grouped = {}
    starts = deadlines.starts_with_deadline_in(moment.week.start, moment.deadlines_before)
    if starts:
        left_at = F("closed_at") if not scope.is_corporation else Coalesce("signalled_at", "closed_at")
        due = cases.filter(start_date__in=list(starts)).annotate(
            deadline=Choose(*(When(start_date=s, then=Value(d)) for s, d in starts.items()), output_field=DateField()),
            left_on=LocalDate(left_at),
        )
        due = due.annotate(
            in_time=Exists(_attempts(scope, moment).filter(case=OuterRef("pk"), date__lte=OuterRef("deadline")))
        )
        due = due.filter(Q(left_on__isnull=True) | Q(left_on__gt=F("deadline")) | Q(in_time=True))
        grouped = _grouped(due, due=Count("pk"), contacted_in_time=Count("pk", filter=Q(in_time=True)))
    late = cases.filter(queue_partner=scope.partner).filter(overdue(scope, moment))
    for key, values in _grouped(late, overdue=Count("pk")).items():
        grouped.setdefault(key, {}).update(values)
    return grouped
