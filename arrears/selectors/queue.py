"""The caseworker's queue (werkvoorraad): open cases with everything triage needs, computed in SQL.

Two queries a page whatever its size (docs/adr/0030): every column (arrears in euros and months,
trend, last contact, respite, "overdue") is an annotation, never a per-row lookup.
The rule "not contacted within N working days of arriving in the queue" lives here
(:func:`contact_cutoff`), counted with :mod:`arrears.workdays`.
"""

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from arrears import disclosure, eviction
from arrears.models import Case, ContactAttempt, Note, Referral, Signal
from arrears.selectors import triage
from arrears.selectors._partners import partner_ids_of
from arrears.selectors.cases import case_list
from arrears.workdays import add_working_days
from arrears.workflow import OPEN_STATES, CaseState
from households.models import Tenancy, normalise_postcode
from partners import bounds
from partners.models import Municipality, Neighbourhood, Partner

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONEY = DecimalField(max_digits=12, decimal_places=2)

#: The trays of the queue, most urgent first (docs/adr/0091): every open case in a queue is in exactly
#: one, the first that applies — a crisis (eviction track); a referral waiting for the reader's answer;
#: first contact overdue; new (a corporation's unclaimed arrears, a social service's signal not yet taken
#: up); in progress (everything else). The default sort is by tray, then longest waiting first, so a
#: consented referral is never on page 2 behind later signals. ``?tray=<key>`` filters to exactly one.
TRAY_CRISIS, TRAY_REFERRAL, TRAY_OVERDUE, TRAY_NEW, TRAY_IN_PROGRESS = (
    "crisis",
    "referral",
    "overdue",
    "new",
    "in_progress",
)
TRAYS = {TRAY_CRISIS: 1, TRAY_REFERRAL: 2, TRAY_OVERDUE: 3, TRAY_NEW: 4, TRAY_IN_PROGRESS: 5}

#: Sort keys the queue accepts (``-`` prefix: the reverse): the fields, ascending unless marked ``-``.
#: Empty values count as the smallest. The default (``urgency``) goes by tray, then longest waiting
#: first. Crisis cases come before all others whatever the sort (``CRISIS_FIRST``).
SORTS = {
    "urgency": ["tray", "arrived_at"],
    "amount": ["arrears_amount"],
    "months": ["arrears_months"],
    "signal": ["arrived_at"],
    "contact": ["last_contact"],
    "trend": ["trend"],
    "status": ["state"],
    "assignee": ["assignee_name"],
    "neighbourhood": ["household__neighbourhood__name"],
    "household": ["household__street", "household__house_number"],
}
DEFAULT_SORT = "urgency"

QUEUE_MINE, QUEUE_REFERRED, QUEUE_ELSEWHERE, QUEUE_ALL = "", "referred", "elsewhere", "all"
QUEUE_OWN = "own"  # the partner's own queue only: what the dashboards' "overdue" and workload count
STATE_OPEN, STATE_ANY = "", "all"
#: ``?arrears=``: open cases with an arrears episode still open, or whose arrears are cleared.
ARREARS_OPEN, ARREARS_CLEARED = "open", "cleared"
ASSIGNEE_ME, ASSIGNEE_NONE = "me", "none"

_POSTCODE_AND_NUMBER = re.compile(r"^\s*([1-9][0-9]{3}\s*[A-Za-z]{2})\s+([0-9]{1,5})\s*[-\s]?\s*([A-Za-z0-9]*)\s*$")


@dataclass(frozen=True)
class QueueFilters:
    """What the caseworker asked for. Empty values mean "no filter"."""

    state: str = STATE_OPEN
    queue: str = QUEUE_MINE
    municipality: str = ""
    neighbourhood: str = ""
    assignee: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    months_min: Decimal | None = None
    months_max: Decimal | None = None
    respite: str = ""  # "yes" / "no"
    overdue: bool = False
    tray: str = ""  # a key of TRAYS
    arrears: str = ""  # ARREARS_OPEN / ARREARS_CLEARED
    repeat: str = ""  # "yes": repeat arrears only (arrears.selectors.triage)
    age: str = ""  # a key of triage.AGES
    search: str = ""
    sort: str = DEFAULT_SORT


def contact_deadline_days() -> int:
    return settings.TIJDIG["CONTACT_DEADLINE_WORKING_DAYS"]


def contact_cutoff(today: dt.date, days: int | None = None) -> dt.date:
    """The last arrival date whose contact deadline has passed by ``today``.

    A case that arrived in the queue on day D must be contacted within ``days`` working days after D
    (:func:`arrears.workdays.add_working_days`); on the day after that deadline it is overdue.
    """
    days = contact_deadline_days() if days is None else days
    day = today - dt.timedelta(days=1)
    while add_working_days(day, days) >= today:
        day -= dt.timedelta(days=1)
    return day


def _annotated(*, user, partner_ids, today, ids=None):
    """The user's visible cases with the triage annotations; ``ids``: only these, already known to be
    visible (the page's rows, picked from the visible set by :func:`queue_page`)."""
    open_signals = Signal.objects.filter(case=OuterRef("pk"), status=Signal.Status.OPEN).values("case")
    queue_since = models.Case(
        When(queue_partner_id=F("corporation_id"), then=F("opened_at")),
        default=Coalesce(F("signalled_at"), F("opened_at")),
    )
    cutoff = contact_cutoff(today)
    readers = disclosure.reader_partner_ids(user)  # case roles only, as on the case page
    full = disclosure.full_q(readers)
    # The queue's own handling (assignee, state, overdue, escalation): not for a reader a referral
    # waits on, for whom it is the corporation's internal workflow (arrears.disclosure, docs/adr/0091).
    workflow = disclosure.workflow_q(readers)
    pending_to_me = Referral.objects.filter(
        case=OuterRef("pk"), to_partner_id__in=partner_ids, status=Referral.Status.PENDING
    )
    qs = (
        # The visibility filter straight on the listed rows (not ``pk IN (…)``): PostgreSQL then checks it
        # only for cases that pass the queue's own conditions.
        (case_list(user=user) if ids is None else Case.objects.filter(pk__in=ids))
        .select_related(
            "household", "household__neighbourhood", "household__municipality", "queue_partner", "corporation"
        )
        .select_related("assignee")
        .annotate(
            arrears_amount=Subquery(open_signals.annotate(total=Sum("amount")).values("total"), output_field=MONEY),
            # The corporation's figures only where the reader sees them (arrears.disclosure): null
            # otherwise, so neither the column nor a sort or filter on it gives them away.
            arrears_months=models.Case(
                When(
                    full,
                    then=Subquery(
                        open_signals.annotate(total=Sum("months_of_rent")).values("total"), output_field=MONEY
                    ),
                ),
                default=None,
                output_field=MONEY,
            ),
            trend=models.Case(
                When(
                    full,
                    then=Subquery(
                        open_signals.annotate(
                            total=Sum(F("tenancy__arrears__balance") - F("tenancy__arrears__previous_balance"))
                        ).values("total"),
                        output_field=MONEY,
                    ),
                ),
                default=None,
                output_field=MONEY,
            ),
            # The queue holder's last contact: part of its workflow, not for a reader a referral waits on.
            last_contact=models.Case(
                When(
                    workflow,
                    then=Subquery(
                        ContactAttempt.objects.filter(case=OuterRef("pk"), partner_id=OuterRef("queue_partner_id"))
                        .order_by("-date")
                        .values("date")[:1]
                    ),
                ),
                default=None,
            ),
            queue_since=queue_since,
            # When the case's arrears began (a late signal says how long they ran before it).
            arrears_origin=Subquery(
                Signal.objects.filter(case=OuterRef("pk")).order_by("origin_date").values("origin_date")[:1]
            ),
            queue_since_date=TruncDate(queue_since, tzinfo=AMSTERDAM),
            awaiting_answer=Exists(pending_to_me),
            workflow=models.Case(When(workflow, then=Value(True)), default=Value(False), output_field=BooleanField()),
            assignee_name=models.Case(When(workflow, then=F("assignee__username")), default=None),
        )
        .annotate(
            # How long the case has been with the viewer (docs/adr/0091): a referral since it was sent
            # to it (the oldest one waiting), a corporation's case since its arrears were flagged, a
            # social service's since the signal reached it — never the episode's start for a referral.
            arrived_at=models.Case(
                When(
                    awaiting_answer=True,
                    then=Subquery(pending_to_me.order_by("created_at").values("created_at")[:1]),
                ),
                When(corporation_id__in=partner_ids, then=F("opened_at")),
                default=Coalesce(F("signalled_at"), F("opened_at")),
            ),
            in_respite=models.Case(
                When(respite_until__gte=today, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            # The respite handshake (docs/adr/0082): the corporation has not confirmed the running respite.
            respite_unacknowledged=models.Case(
                When(
                    Q(respite_until__gte=today, corporation_id__in=partner_ids)
                    & Exists(
                        Note.objects.filter(
                            case=OuterRef("pk"),
                            kind__in=(Note.Kind.RESPITE_GRANTED, Note.Kind.RESPITE_EXTENDED),
                            acknowledged_at__isnull=True,
                        )
                    ),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            # The eviction track (arrears.eviction): a crisis case leads every queue that holds it.
            crisis=models.Case(
                When(eviction.crisis_q(), then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .annotate(
            is_overdue=models.Case(
                When(
                    workflow
                    & Q(state__in=OPEN_STATES, queue_since_date__lte=cutoff)
                    # Arrears paid off (arrears.flagging): nothing left to contact the household about.
                    & Q(arrears_ended_on__isnull=True)
                    & ~Exists(
                        ContactAttempt.objects.filter(
                            case=OuterRef("pk"),
                            partner_id=OuterRef("queue_partner_id"),
                            date__gte=OuterRef("queue_since_date"),
                        )
                    ),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if ids is None:
        # The tray sorts, filters and counts; a page's rows (``ids``) are already picked and show no tray,
        # so their query does not compute it (nor compile its copies of the conditions above).
        qs = qs.annotate(tray=_tray(partner_ids))
    return triage.with_repeat(qs, partner_ids=readers)


def _tray(partner_ids):
    """The row's tray (``TRAYS``), the first that applies; the overdue and new trays hold only cases in
    the viewer's own queue (another partner's overdue case is not the viewer's to contact)."""
    mine = Q(queue_partner_id__in=partner_ids)
    return models.Case(
        When(crisis=True, then=Value(TRAYS[TRAY_CRISIS])),
        When(awaiting_answer=True, then=Value(TRAYS[TRAY_REFERRAL])),
        When(mine & Q(is_overdue=True), then=Value(TRAYS[TRAY_OVERDUE])),
        When(mine & Q(state__in=(CaseState.NEW, CaseState.SIGNALLED)), then=Value(TRAYS[TRAY_NEW])),
        default=Value(TRAYS[TRAY_IN_PROGRESS]),
        output_field=models.IntegerField(),
    )


def search_q(term: str, *, corporation_ids) -> Q:
    """Match a household by name, address, postcode or (for its own corporation) contract number.

    ``3311AA`` or ``3311 aa`` matches the postcode, ``3311 AA 12`` postcode and house number; any
    other words must each match the name, street, place, house number or contract number.
    """
    term = " ".join(term.split())
    if not term:
        return Q()
    postcode = normalise_postcode(term)
    if postcode:
        return Q(household__postcode=postcode)
    match = _POSTCODE_AND_NUMBER.match(term)
    if match and normalise_postcode(match.group(1)):
        q = Q(household__postcode=normalise_postcode(match.group(1)), household__house_number=int(match.group(2)))
        if match.group(3):
            q &= Q(household__house_number_suffix__iexact=match.group(3))
        return q
    query = Q()
    for word in term.split(" "):
        word_q = (
            Q(household__name__icontains=word)
            | Q(household__surname__icontains=word)
            | Q(household__street__icontains=word)
            | Q(household__city__icontains=word)
        )
        if word.isascii() and word.isdigit() and len(word) < 9:  # "²" is a digit to isdigit(), not to int()
            word_q |= Q(household__house_number=int(word))
        if corporation_ids:
            word_q |= Q(corporation_id__in=corporation_ids) & Exists(
                Tenancy.objects.filter(household=OuterRef("household"), contract_number__iexact=word)
            )
        query &= word_q
    return query


def queue_list(*, user, filters: QueueFilters | None = None, today: dt.date | None = None):
    """The user's queue, filtered, searched and sorted; every row carries the triage annotations
    (``arrears_amount``, ``arrears_months``, ``trend``, ``last_contact``, ``queue_since``, ``arrived_at``,
    ``in_respite``, ``respite_unacknowledged``, ``is_overdue``, ``awaiting_answer``, ``workflow``,
    ``tray``, ``repeat``)."""
    filters = filters or QueueFilters()
    if not user.is_authenticated:
        return Case.objects.none()
    today = today or timezone.localdate(timezone=AMSTERDAM)
    partner_ids = partner_ids_of(user)
    qs = _annotated(user=user, partner_ids=partner_ids, today=today)

    # A search looks for a household in every case the user may see, unless a queue was chosen.
    queue = QUEUE_ALL if filters.search and filters.queue == QUEUE_MINE else filters.queue
    if queue == QUEUE_REFERRED:
        qs = qs.filter(awaiting_answer=True)
    elif queue == QUEUE_ELSEWHERE:
        qs = qs.exclude(queue_partner_id__in=partner_ids)
    elif queue == QUEUE_OWN:
        qs = qs.filter(queue_partner_id__in=partner_ids)
    elif queue != QUEUE_ALL:
        # "Mine" also holds what waits on the user's answer elsewhere: a referral, a respite to confirm.
        qs = qs.filter(Q(queue_partner_id__in=partner_ids) | Q(awaiting_answer=True) | Q(respite_unacknowledged=True))

    qs = qs.filter(filters_q(filters, user=user, partner_ids=partner_ids, today=today))
    if filters.search:
        corporation_ids = list(
            Partner.objects.filter(pk__in=partner_ids, kind=Partner.Kind.CORPORATION).values_list("pk", flat=True)
        )
        qs = qs.filter(search_q(filters.search, corporation_ids=corporation_ids))

    return qs.order_by(*CRISIS_FIRST, *sort_ordering(filters.sort))


def filters_q(filters: QueueFilters, *, user, partner_ids, today: dt.date) -> Q:
    """The queue's filters but its scope (``queue``) and the search, as one condition on
    :func:`_annotated`'s rows: :func:`queue_list` filters by it, :func:`home_figures` counts by it, so a
    figure and the list it links to apply the very same conditions."""
    q = Q()
    if filters.state == STATE_OPEN:
        q &= Q(state__in=OPEN_STATES)
    elif filters.state != STATE_ANY:
        # One state is the queue's handling: not for a row whose workflow the reader does not see.
        q &= Q(state=CaseState(filters.state), workflow=True)
    if filters.municipality:
        q &= Q(household__municipality_id=filters.municipality)
    if filters.neighbourhood:
        q &= Q(household__neighbourhood_id=filters.neighbourhood)
    # The assignee as the viewer may know it: a referral waiting on it has nobody of its own yet.
    if filters.assignee == ASSIGNEE_ME:
        q &= Q(assignee=user, workflow=True)
    elif filters.assignee == ASSIGNEE_NONE:
        q &= Q(assignee__isnull=True) | Q(workflow=False)
    elif filters.assignee:
        q &= Q(assignee_id=int(filters.assignee), workflow=True)
    if filters.amount_min is not None:
        q &= Q(arrears_amount__gte=filters.amount_min)
    if filters.amount_max is not None:
        q &= Q(arrears_amount__lte=filters.amount_max)
    if filters.months_min is not None:
        q &= Q(arrears_months__gte=filters.months_min)
    if filters.months_max is not None:
        q &= Q(arrears_months__lte=filters.months_max)
    if filters.respite == "yes":
        q &= Q(respite_until__gte=today)
    elif filters.respite == "no":
        q &= Q(respite_until__isnull=True) | Q(respite_until__lt=today)
    if filters.overdue:
        q &= Q(is_overdue=True)
    if filters.tray in TRAYS:
        q &= Q(tray=TRAYS[filters.tray])
    if filters.arrears == ARREARS_OPEN:
        q &= Q(arrears_amount__isnull=False)
    elif filters.arrears == ARREARS_CLEARED:
        q &= Q(arrears_amount__isnull=True)
    if filters.repeat == "yes":
        q &= Q(repeat=True)
    if filters.age:
        q &= triage.age_q(filters.age, today=today, partner_ids=disclosure.reader_partner_ids(user))
    return q


#: Whatever the sort: crisis cases first, the nearest eviction date first among them (then the sort).
CRISIS_FIRST = (F("crisis").desc(), F("eviction_date").asc(nulls_last=True))


def sort_ordering(key: str):
    """The ``order_by`` arguments for a sort key; unknown keys give the default."""
    reverse = key.startswith("-")
    fields = SORTS.get(key.lstrip("-"))
    if fields is None:
        fields, reverse = SORTS[DEFAULT_SORT], False
    ordering = []
    for field in [*fields, "pk"]:
        descending = field.startswith("-") != reverse
        expression = F(field.lstrip("-"))
        ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_first=True))
    return ordering


def _page_number(number) -> int:
    return bounds.parse_page(number)


def queue_page(*, user, filters: QueueFilters | None = None, number=1, per_page=25, today=None):
    """One page of the queue in two queries whatever its size: the page's ids, filtered and sorted in
    SQL (computing only what the filter and sort need), with the total as a window count in the same
    pass; then those rows with every column (the per-row subqueries run for the page only).

    Returns a :class:`django.core.paginator.Page`; a page number past the end gives the last page."""
    today = today or timezone.localdate(timezone=AMSTERDAM)
    candidates = queue_list(user=user, filters=filters, today=today)
    number = _page_number(number)
    ids, total = _page_ids(candidates, number, per_page)
    if not ids and number > 1:
        total = candidates.count()
        number = max(1, -(-total // per_page))
        ids, total = _page_ids(candidates, number, per_page)
    paginator = Paginator([], per_page)
    paginator.__dict__["count"] = total  # known from the window count: no second pass
    rows = []
    if ids:
        found = _annotated(user=user, partner_ids=partner_ids_of(user), today=today, ids=ids).in_bulk()
        rows = [found[pk] for pk in ids if pk in found]
    return Page(rows, number, paginator)


def _page_ids(candidates, number, per_page):
    start = (number - 1) * per_page
    window = candidates.annotate(total=Window(Count("pk"))).values_list("pk", "total")[start : start + per_page]
    rows = list(window)
    return [pk for pk, _total in rows], (rows[0][1] if rows else 0)


def queue_row(*, user, pk, today=None):
    """One row of the queue, annotated as in the list (after an action on it); ``None`` if not visible."""
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate(timezone=AMSTERDAM)
    return _annotated(user=user, partner_ids=partner_ids_of(user), today=today).filter(pk=pk).first()


def queue_counts(*, user, today=None) -> tuple[dict[str, int], int]:
    """``({tray key: open cases}, referrals waiting for the user's answer)`` of the user's own queue (the
    queue's defaults), in one query: the very rows ``?tray=<key>`` and ``?queue=referred`` list, so a
    count on the home page and the page it links to cannot disagree."""
    rows = (
        queue_list(user=user, today=today)
        .order_by()
        .values("tray")
        .annotate(n=Count("pk"), referred=Count("pk", filter=Q(awaiting_answer=True)))
    )
    found = {row["tray"]: row["n"] for row in rows}
    return {key: found.get(number, 0) for key, number in TRAYS.items()}, sum(row["referred"] for row in rows)


def tray_counts(*, user, today=None) -> dict[str, int]:
    """``{tray key: open cases}`` of the user's own queue (:func:`queue_counts`)."""
    return queue_counts(user=user, today=today)[0]


def querystring(filters: QueueFilters) -> str:
    """The queue's query string for ``filters`` (the names of the filter form's fields; defaults and the
    search term left out): the queue page reads it back to the very same filters
    (``tests/arrears/test_home_figures.py`` checks the round trip)."""
    pairs = []
    for field in dataclasses.fields(QueueFilters):
        value = getattr(filters, field.name)
        if field.name == "search" or value == field.default:
            continue
        pairs.append((field.name, "1" if value is True else str(value)))
    return urlencode(pairs)


#: The home page's headline figures (docs/adr/0094): the queue's filters that list exactly the cases each
#: counts, on top of the scope — a corporation's open cases wherever they are ("Everything I may see",
#: with the social service too), a social service's "My queue" (its queue and the referrals waiting for
#: its answer), as on the dashboard (docs/adr/0092).
HOME_FIGURES = {
    "open_cases": {},
    "with_arrears": {"arrears": ARREARS_OPEN},
    "in_respite": {"respite": "yes"},
}


def home_scope(*, social_service: bool) -> QueueFilters:
    return QueueFilters(queue=QUEUE_MINE if social_service else QUEUE_ALL)


def home_figures(*, user, social_service: bool, today=None) -> dict[str, dict]:
    """``{key: {"filters": QueueFilters, "count": int}}`` for ``HOME_FIGURES``, and ``arrears_total`` (the
    open arrears of the cases ``with_arrears`` lists, added up, with those filters): each counted from
    :func:`queue_list` with the filters its link encodes (:func:`querystring`), so a figure and the list
    behind it cannot disagree."""
    scope = home_scope(social_service=social_service)
    today = today or timezone.localdate(timezone=AMSTERDAM)
    if not user.is_authenticated:
        return {}
    narrowed = {key: dataclasses.replace(scope, **extra) for key, extra in HOME_FIGURES.items()}
    partner_ids = partner_ids_of(user)
    # One pass over the scope's rows: each figure counts the rows its own filters keep (``filters_q``,
    # as ``queue_list`` applies them), so the figure still equals what its link lists.
    aggregates = {}
    for key, filters in narrowed.items():
        condition = filters_q(filters, user=user, partner_ids=partner_ids, today=today)
        aggregates[f"{key}_count"] = Count("pk", filter=condition)
        aggregates[f"{key}_total"] = Sum("arrears_amount", filter=condition)
    found = queue_list(user=user, filters=scope, today=today).order_by().aggregate(**aggregates)
    figures = {
        key: {"filters": filters, "count": found[f"{key}_count"], "total": found[f"{key}_total"] or Decimal(0)}
        for key, filters in narrowed.items()
    }
    figures["arrears_total"] = {**figures["with_arrears"], "count": None}
    return figures


def queue_filter_options(*, user):
    """Choices for the queue's filter form: the places the user's partners work in (a social service's
    municipalities, a corporation's agreements and households) and the people in them; which kinds of
    partner the user works for (a filter that can never match for them is not offered: a corporation
    receives no referrals); and whether the user may filter on repeat arrears and on age at all
    (:mod:`arrears.disclosure`, by way of :mod:`arrears.selectors.triage`)."""
    partner_ids = partner_ids_of(user)
    kinds = set(Partner.objects.filter(pk__in=partner_ids).values_list("kind", flat=True))
    places = (
        Q(social_services__in=partner_ids)
        | Q(agreements__corporation__in=partner_ids)
        | Q(agreements__social_service__in=partner_ids)
    )
    municipalities = list(Municipality.objects.filter(places).distinct().order_by("name"))
    return {
        "municipalities": municipalities,
        "neighbourhoods": list(
            Neighbourhood.objects.filter(municipality__in=[m.code for m in municipalities])
            .select_related("municipality")
            .order_by("municipality__name", "name")
        ),
        "assignees": list(
            get_user_model()
            .objects.filter(memberships__partner_id__in=partner_ids, is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "username")
        ),
        "social_service": Partner.Kind.SOCIAL_SERVICE in kinds,
        "repeat": triage.may_filter_repeat(user),
        "age": triage.may_filter_age(user),
    }
