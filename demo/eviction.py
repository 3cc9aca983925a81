"""Demo crisis cases (issue 15): for a few open cases of each corporation, the steps of a rent
eviction, recorded through ``eviction_step_record`` as the corporation would have recorded them, so the
queues show crisis cases at every step and the dashboards show evictions prevented and executed.

Deterministic: the cases are each corporation's oldest open cases (by opening, then id) and every
story has fixed dates relative to today. Idempotent: a corporation that already has eviction steps is
left as it is.
"""

import datetime as dt

from arrears.models import Case, EvictionStep
from arrears.services.casework import eviction_step_record
from arrears.workdays import add_working_days
from arrears.workflow import OPEN_STATES
from demo.casework import at, demo_clock
from partners.models import Membership, Partner, Role

Kind = EvictionStep.Kind

#: Each story, most telling first (a small demo has few open cases): its steps as (kind, days before
#: today of the step's date, days before today it was recorded). ``None`` as the date's offset: the
#: announced eviction date, 6 working days from today.
STORIES: tuple[tuple[tuple[str, int | None, int], ...], ...] = (
    # announced, within 10 working days: the crisis the alerts are for
    ((Kind.SUMMONS, 70, 70), (Kind.HEARING, 50, 50), (Kind.JUDGMENT_GRANTED, 21, 21), (Kind.ANNOUNCED, None, 14)),
    # cancelled after help: an eviction prevented
    (
        (Kind.SUMMONS, 100, 100),
        (Kind.HEARING, 80, 80),
        (Kind.JUDGMENT_GRANTED, 56, 56),
        (Kind.ANNOUNCED, 3, 40),
        (Kind.CANCELLED, 5, 5),
    ),
    # executed
    (
        (Kind.SUMMONS, 120, 120),
        (Kind.HEARING, 95, 95),
        (Kind.JUDGMENT_GRANTED, 70, 70),
        (Kind.ANNOUNCED, 10, 50),
        (Kind.EXECUTED, 10, 10),
    ),
    # refused by the court
    ((Kind.SUMMONS, 90, 90), (Kind.HEARING, 70, 70), (Kind.JUDGMENT_REFUSED, 40, 40)),
    # granted, not yet announced
    ((Kind.SUMMONS, 60, 60), (Kind.HEARING, 35, 35), (Kind.JUDGMENT_GRANTED, 7, 7)),
    # a hearing to come
    ((Kind.SUMMONS, 30, 30), (Kind.HEARING, -14, 28)),
    # a summons only
    ((Kind.SUMMONS, 10, 10),),
)

NOTES = {
    Kind.SUMMONS: "Dagvaarding betekend wegens huurachterstand.",
    Kind.ANNOUNCED: "Deurwaarder heeft de ontruiming aangezegd.",
    Kind.EXECUTED: "Ontruiming uitgevoerd.",
    Kind.CANCELLED: "Ontruiming afgeblazen: achterstand afgelost met hulp van de schuldhulpverlening.",
}

#: Why a step is recorded while the social service's respite runs (the court sets the dates).
RESPITE_REASON = "Datum bepaald door de rechter; niet uit te stellen."


def build_evictions(*, corporations, now: dt.datetime, households=None) -> int:
    """Record the demo eviction stories; returns the number of steps recorded. ``households``: only the
    cases of these households (those whose case work was simulated); ``None``: all."""
    recorded = 0
    today = now.date()
    corporations = list(corporations)
    # Each corporation starts at another story, so a small world with few open cases per corporation
    # still shows every step kind across the corporations.
    turn = -(-len(STORIES) // max(len(corporations), 1))
    for shift, corporation in enumerate(corporations):
        stories = STORIES[shift * turn :] + STORIES[: shift * turn]
        if EvictionStep.objects.filter(case__corporation=corporation).exists():
            continue
        worker = _manager(corporation)
        cases = Case.objects.filter(corporation=corporation, state__in=OPEN_STATES).order_by("opened_at", "pk")
        if households is not None:
            cases = cases.filter(household__in=households)
        for case_id, story in zip(cases.values_list("pk", flat=True), stories, strict=False):
            for kind, days_before, recorded_before in story:
                offset = shift * 7  # each corporation's stories (and outcomes) a week apart
                if days_before is None:
                    date = add_working_days(today, 6)
                else:
                    date = today - dt.timedelta(days=days_before + offset)
                moment = at(today - dt.timedelta(days=recorded_before + offset), 11)
                with demo_clock(min(moment, now)):
                    eviction_step_record(
                        case=case_id,
                        by=worker,
                        kind=kind,
                        date=date,
                        note=NOTES.get(kind, ""),
                        respite_reason=RESPITE_REASON,  # asked only while the case is in respite
                    )
                recorded += 1
    return recorded


def _manager(corporation: Partner):
    membership = (
        Membership.objects.filter(partner=corporation, role__in=(Role.CASEWORKER, Role.MANAGER))
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    assert membership is not None, corporation
    return membership.user
