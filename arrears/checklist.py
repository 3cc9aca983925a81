"""The legal checklist before a rent signal (Besluit gemeentelijke schuldhulpverlening, art. 2).

A landlord passes a tenant's details to the municipality only after it has (a) tried to reach the
tenant personally, (b) pointed the tenant to debt help, (c) sent at least one written reminder and
(d) offered in it to pass the details on — and the tenant did not object. This module is the one
place that knows the items, which contact attempts count as personal, and when the list is complete.
It makes no queries, so the Case model can ask it (filling the reminder step from the ledger is a step
of routing: ``arrears.routing.reminders_from_ledger``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from django.utils.translation import gettext_lazy as _

from arrears.vocabularies import ContactKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from arrears.models import Case

#: A case, or a row of its field values (``QuerySet.values()``): bulk routing reads rows.
CaseOrRow: TypeAlias = "Case | dict[str, Any]"

#: item → (the Case field holding its date, label)
ITEMS = {
    "reminder_sent": ("reminder_sent_on", _("Written reminder sent")),
    "contact_attempted": ("contact_attempted_on", _("Personal contact attempted")),
    "pointed_to_help": ("pointed_to_help_on", _("Pointed to debt help")),
    "offered_to_share": ("offered_to_share_on", _("Offered to pass the details on")),
}

#: Contact attempts that count as *trying to reach the tenant personally* (a letter is the reminder).
PERSONAL_CONTACT_KINDS = frozenset(
    {ContactKind.PHONE, ContactKind.HOME_VISIT, ContactKind.SMS, ContactKind.MAIL, ContactKind.CARD}
)


def field_for(item: str) -> str:
    return ITEMS[item][0]


def label_for(item: str) -> StrOrPromise:
    return ITEMS[item][1]


def _get(case_or_row: CaseOrRow, field: str) -> object:
    return case_or_row[field] if isinstance(case_or_row, dict) else getattr(case_or_row, field)


def is_complete(case_or_row: CaseOrRow) -> bool:
    """All four steps recorded and no objection (a case, or a row of its field values)."""
    return all(_get(case_or_row, field) for field, _label in ITEMS.values()) and not _get(case_or_row, "objection_on")


def missing(case_or_row: CaseOrRow) -> list[StrOrPromise]:
    """Labels of the steps still to do (the objection is shown separately)."""
    return [label for field, label in ITEMS.values() if not _get(case_or_row, field)]


def items(case: Case) -> list[dict[str, object]]:
    """The checklist as rows for a page: ``{item, label, date}``."""
    return [{"item": item, "label": label, "date": getattr(case, field)} for item, (field, label) in ITEMS.items()]


def counts_as_personal_contact(kind: str) -> bool:
    return kind in PERSONAL_CONTACT_KINDS
