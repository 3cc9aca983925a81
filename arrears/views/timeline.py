"""The case timeline as lines a person reads: what each event's data means, in their language.

``case_timeline`` (routing's selector) already blanked what the user may not read (``redacted``); this
module only words what is left."""

from types import SimpleNamespace

from django.utils.translation import gettext as _

from arrears import checklist, outcomes
from arrears.models import CaseEvent, EvictionStep, Note, Referral
from arrears.vocabularies import ContactKind, PartOfDay
from partners.templatetags.tijdig import format_date, format_euro


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


def _contact(data, attempts):
    parts = [_label(ContactKind, data.get("kind", ""))]
    parts.append(_("reached") if data.get("reached") else _("not reached"))
    if data.get("date"):
        parts.append(format_date(data["date"]))
    if data.get("part_of_day"):
        parts.append(_label(PartOfDay, data["part_of_day"]).lower())
    attempt = attempts.get(data.get("contact_attempt_id"))
    return ", ".join(str(p) for p in parts), (attempt.outcome if attempt else "")


def _detail(event, attempts):
    """``(detail line, longer text)`` for one event."""
    data = event.data or {}
    kind = event.kind
    if kind == CaseEvent.Kind.CONTACT and data.get("kind"):
        return _contact(data, attempts)
    if kind == CaseEvent.Kind.CHECKLIST and data.get("item"):
        item = data["item"]
        label = (
            _("Objection") if item == "objection" else checklist.label_for(item) if item in checklist.ITEMS else item
        )
        return f"{label}: {format_date(data.get('date'))}", ""
    if kind == CaseEvent.Kind.RESPITE and data.get("kind"):
        line = str(_label(Note.Kind, data["kind"]))
        if data.get("until"):
            line += " " + _("until %(date)s") % {"date": format_date(data["until"])}
        return line, ""
    if kind == CaseEvent.Kind.REFERRAL and data.get("consent_withdrawn_on"):
        return _("Consent withdrawn: %(date)s") % {"date": format_date(data["consent_withdrawn_on"])}, ""
    if kind == CaseEvent.Kind.REFERRAL and data.get("status"):
        return str(_label(Referral.Status, data["status"])), ""
    if kind == CaseEvent.Kind.PAYMENT_ARRANGEMENT and data.get("monthly_amount"):
        line = _("%(amount)s a month from %(date)s") % {
            "amount": format_euro(data["monthly_amount"]),
            "date": format_date(data.get("start_date")),
        }
        if data.get("end_date"):
            line += " " + _("until %(date)s") % {"date": format_date(data["end_date"])}
        return line, ""
    if kind == CaseEvent.Kind.EVICTION and data.get("step"):
        return f"{_label(EvictionStep.Kind, data['step'])}: {format_date(data.get('date'))}", ""
    if kind == CaseEvent.Kind.ASSIGNED:
        if data.get("claimed"):
            return _("Claimed"), ""
        if data.get("released"):
            return _("Released"), ""
    if data.get("outcome") or data.get("corporation_outcome"):  # a close, by either list (arrears.outcomes)
        label = outcomes.label(outcome=data.get("outcome", ""), corporation_outcome=data.get("corporation_outcome", ""))
        if data.get("auto_closed"):
            return _("%(outcome)s (closed automatically)") % {"outcome": label}, ""
        return str(label), ""
    return "", ""


def _reason(reason, detail, text):
    """The event's reason unless the detail line or the text already says it (a checklist step's
    "Gewezen op schuldhulp" under "Gewezen op schuldhulp: 03-12-2026")."""
    if reason and any(str(shown).startswith(reason) for shown in (detail, text) if shown):
        return ""
    return reason


def timeline_rows(events, attempts=()):
    """Newest first: ``event`` plus ``detail`` (a line) and ``text`` (a note or a contact's outcome)."""
    by_id = {a.pk: a for a in attempts}
    rows = []
    for event in reversed(list(events)):
        detail, text = _detail(event, by_id)
        note = getattr(event, "note", None)
        if note is not None and note.text:
            text = note.text
        rows.append(
            SimpleNamespace(
                event=event,
                detail=detail,
                text=text,
                redacted=getattr(event, "redacted", False),
                reason=_reason(event.reason, detail, text),
            )
        )
    return rows
