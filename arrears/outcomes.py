"""How a case closes: which list of outcomes a closer chooses from, and what a corporation's outcome
means for the DDAS monitor. The one place for both (docs/adr/0093-arrears-ended-and-corporation-outcomes.md):
the close form, the API's close input, the close service, the case page, the timeline, the DDAS export
and the dashboard all ask here.

- A **social service** closes with the municipality's DDAS final result (:class:`FinalResult`), stored
  in ``Case.outcome``.
- A **corporation** closes with its own outcome (:class:`CorporationOutcome`), stored in
  ``Case.corporation_outcome``; ``Case.outcome`` stays empty. Where such an outcome has a DDAS meaning
  (:data:`DDAS_MEANING`), the DDAS export and the dashboard's DDAS rows count it as that final result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from arrears.vocabularies import CorporationOutcome, FinalResult

if TYPE_CHECKING:
    from django.db import models
    from django_stubs_ext import StrOrPromise

    from partners.models import Partner


@dataclass(frozen=True)
class ClosingOutcomes:
    """One list of outcomes: the case field (and API input field) it is stored in, its choices, the
    label of the field, and the outcome a case whose arrears ended is closed with in one click."""

    field: str
    choices: type[models.TextChoices]
    label: StrOrPromise
    arrears_paid: str

    @property
    def values(self) -> list[str]:
        return list(self.choices.values)


DDAS = ClosingOutcomes("outcome", FinalResult, _("Final result"), FinalResult.PAID.value)
CORPORATION = ClosingOutcomes(
    "corporation_outcome", CorporationOutcome, _("Outcome"), CorporationOutcome.ARREARS_PAID.value
)
FIELDS = (DDAS.field, CORPORATION.field)

#: The corporation's outcomes that have a DDAS final result of their own; the others (moved out, tenancy
#: ended, handed on, eviction executed) have none and are not exported as one.
DDAS_MEANING: dict[str, str] = {
    CorporationOutcome.ARREARS_PAID.value: FinalResult.PAID.value,
    CorporationOutcome.ARRANGEMENT_KEPT.value: FinalResult.PAID.value,
    CorporationOutcome.DECEASED.value: FinalResult.DECEASED.value,
}


def closing_outcomes(partner: Partner) -> ClosingOutcomes:
    """The list the partner closes a case with: the DDAS final results for a social service, the
    corporation's own outcomes otherwise."""
    return DDAS if partner.is_social_service else CORPORATION


def wrong_list(partner: Partner) -> str:
    """What a closer who sent the other list's field is told (it names both fields)."""
    if closing_outcomes(partner) is DDAS:
        return _(
            "%(partner)s is a social service: it closes a case with a DDAS final result (outcome), "
            "not with a corporation's outcome (corporation_outcome)."
        ) % {"partner": partner}
    return _(
        "%(partner)s is a corporation: it closes a case with its own outcome (corporation_outcome), "
        "not with a DDAS final result (outcome)."
    ) % {"partner": partner}


def problems(partner: Partner, *, outcome: str, corporation_outcome: str) -> dict[str, str]:
    """``{field: message}`` for what is wrong with a close by ``partner`` (empty: nothing). The close
    service refuses with these messages; the API answers them per field."""
    own = closing_outcomes(partner)
    other = CORPORATION if own is DDAS else DDAS
    given = {DDAS.field: outcome or "", CORPORATION.field: corporation_outcome or ""}
    found: dict[str, str] = {}
    if given[other.field]:
        found[other.field] = wrong_list(partner)
    value = given[own.field]
    if not value:
        found[own.field] = _("%(field)s is required.") % {"field": own.label}
    elif value not in own.values:
        if own is DDAS:
            message = _("Final result: “%(value)s” is not one of the DDAS final results.")
        else:
            message = _("Outcome: “%(value)s” is not one of the corporation's outcomes.")
        found[own.field] = message % {"value": value}
    return found


def ddas_result(*, outcome: str, corporation_outcome: str) -> str:
    """The case's DDAS final result: the one given, else the DDAS meaning of the corporation's outcome,
    else ``""`` (none)."""
    return outcome or DDAS_MEANING.get(corporation_outcome, "")


def label(*, outcome: str, corporation_outcome: str) -> StrOrPromise:
    """What a closed case's outcome is called (either list), or ``""``."""
    if corporation_outcome:
        return _label(CorporationOutcome, corporation_outcome)
    if outcome:
        return _label(FinalResult, outcome)
    return ""


def _label(choices: type[models.TextChoices], value: str) -> StrOrPromise:
    try:
        return choices(value).label
    except ValueError:  # a value from before the list changed: shown as stored
        return value
