"""Notes on a case. A note is the writing partner's own unless marked shareable; respite notes (in
``services.respite``) are always shared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from arrears.models import CaseEvent, Note
from arrears.services import base
from partners import audit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arrears.models import Case
    from partners.models import Partner


def note_check(*, case: Case, by: User) -> Partner:
    """Who may add a note: a partner working the case, while it is open (the API took notes on a
    closed case, which the case page never offered)."""
    partner = base.acting_partner(case, by)
    base.require_open(case)
    return partner


@transaction.atomic
def note_record(
    *, case: Case | int, by: User, text: str, shareable: bool = False, expected_version: int | None = None
) -> Note:
    case = base.lock_case(case, expected_version)
    partner = note_check(case=case, by=by)
    text = base.required_text(text, _("Note"), 5000)
    note = Note.objects.create(
        case=case, partner=partner, author=by, kind=Note.Kind.NOTE, text=text, shareable=bool(shareable)
    )
    base.save(case)
    base.record(
        case,
        CaseEvent(kind=CaseEvent.Kind.NOTE, note=note, shared=bool(shareable), data={"note_id": note.pk}),
        by=by,
        partner=partner,
        audit_obj=note,
        audit_action=audit.Action.CREATE,
    )
    return note
