"""Eviction steps from a ledger file (issue 15, docs/adr/0081-eviction-track.md, *Import*): the case app's
half of ``ledger.hooks.EpisodeHooks.record_eviction_steps``, registered in ``arrears.apps``.

The import calls it inside its one transaction, after flagging (so a case opened by tonight's file gets
tonight's steps). Each step goes to the open case of its tenancy's household (there is at most one) and
through :func:`arrears.services.casework.eviction_step_import`, the page's and the API's path. A step of a
tenancy without an open case is counted, not recorded: flagging alone opens cases, and a closed case's
history is not rewritten. A step the case app refuses (a summons dated in the future, a date outside the
business range) is a row warning with its line, column and value; any other failure rolls the file back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.utils import timezone

from arrears.models import Case, EvictionStep
from arrears.services import casework
from arrears.workflow import OPEN_STATES
from households.models import Tenancy
from partners.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from ledger.hooks import ImportedEvictionStep
    from ledger.models import LedgerImport


def record_eviction_steps(
    *, ledger_import: LedgerImport, steps: Sequence[ImportedEvictionStep], report: Callable[..., object]
) -> dict[str, int]:
    """Record ``steps`` (in their order) on the open cases; returns the counts for the import's summary:
    ``eviction_steps`` recorded (``eviction_steps_in_respite`` of them during respite), and not recorded:
    ``eviction_steps_known`` (on the case already), ``eviction_steps_no_open_case``,
    ``eviction_steps_refused`` (each reported as a row warning)."""
    counts = dict.fromkeys(
        ("eviction_steps", "eviction_steps_in_respite", "eviction_steps_known", "eviction_steps_no_open_case",
         "eviction_steps_refused"), 0,
    )  # fmt: skip
    if not steps:
        return counts
    household_of = dict(Tenancy.objects.filter(pk__in={s.tenancy_id for s in steps}).values_list("pk", "household_id"))
    cases = {
        case.household_id: case
        for case in Case.objects.filter(
            household_id__in=set(household_of.values()),
            corporation_id=ledger_import.partner_id,
            state__in=OPEN_STATES,
        ).only("pk", "household_id", "respite_until")
    }
    # What the cases hold already: most nights' exports repeat yesterday's steps (the service checks again).
    known = set(
        EvictionStep.objects.filter(case_id__in=[c.pk for c in cases.values()]).values_list("case_id", "kind", "date")
    )
    today = timezone.localdate()
    for step in steps:
        case = cases.get(household_of.get(step.tenancy_id, 0))
        if case is None:
            counts["eviction_steps_no_open_case"] += 1
            continue
        key = (case.pk, step.kind, step.date)
        if key in known:
            counts["eviction_steps_known"] += 1
            continue
        try:  # the service's own savepoint: a refused step leaves no trace, the others stand
            recorded = casework.eviction_step_import(
                case=case.pk,
                ledger_import_id=ledger_import.pk,
                kind=step.kind,
                date=step.date,
                announced_on=step.announced_on,
            )
        except (InvalidInput, NotAllowed) as error:
            reason = str(error)
            report(line=step.line, column=step.column, value=step.value, code="eviction_step_refused", reason=reason)
            counts["eviction_steps_refused"] += 1
            continue
        known.add(key)
        if recorded is None:
            counts["eviction_steps_known"] += 1
            continue
        counts["eviction_steps"] += 1
        if case.in_respite(today):
            counts["eviction_steps_in_respite"] += 1
    return counts
