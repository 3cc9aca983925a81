"""The compliance file (bewijsdossier) of a case: the facts a corporation may show a court, gathered
through the permission-checked, audited reads of ``arrears.selectors.cases`` and rendered by
``arrears.compliance``. Only the corporation's caseworkers and managers of the case's own corporation
get one (404 for anyone else); every download leaves an ``export`` row with its document number and hash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone

from arrears import checklist, compliance, disclosure
from arrears.models import Case, CaseEvent, Note
from arrears.selectors.cases import case_contact_attempts, case_get, case_notes, case_timeline
from arrears.workflow import CaseState
from partners import access, audit
from partners.models import AuditEvent, Partner, Role

#: Who may download the file: the corporation's own case workers (partner admins see no households).
ROLES = (Role.CASEWORKER, Role.MANAGER)
#: A move from the social service's queue back to the corporation's: the signal was not taken up (or no longer).
HANDED_FROM = (CaseState.SIGNALLED, CaseState.TAKEN_UP)
HANDED_TO = (CaseState.NEW, CaseState.IN_PROGRESS)
RESPITE_KINDS = (Note.Kind.RESPITE_GRANTED, Note.Kind.RESPITE_EXTENDED, Note.Kind.RESPITE_ENDED)


@dataclass(frozen=True)
class ComplianceFile:
    number: str
    sha256: str
    pdf: bytes

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf"

    def as_response(self) -> HttpResponse:
        """The download (page and API alike): an attachment, never cached."""
        response = HttpResponse(self.pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        response["Cache-Control"] = "no-store"
        return response


def may_download_compliance_file(*, user, case: Case) -> bool:
    """A caseworker or manager of the case's corporation (the page shows the link to exactly them)."""
    return access.role_in(user, case.corporation_id) in ROLES


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _moment(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _recorded(event: CaseEvent | None) -> dict[str, Any]:
    if event is None:
        return {"recorded_by": None, "partner": None, "recorded_at": None}
    return {
        "recorded_by": _name(event.actor),
        "partner": event.partner.name if event.partner else None,
        "recorded_at": _moment(event.at),
    }


def compliance_facts(*, user, case: Case) -> dict[str, Any]:
    """What the file prints, as plain JSON values — only what the corporation may see of the case
    (:mod:`arrears.disclosure`; the social service's own notes and contact attempts never, and of its
    report-back only whether the signal was taken up, never why)."""
    visible = disclosure.visible_fields(user=user, case=case)
    if "corporation_records" not in visible:
        raise Http404
    events = case_timeline(user=user, case=case, visible=visible)
    own_events = [e for e in events if not e.redacted]
    checks = [e for e in own_events if e.kind == CaseEvent.Kind.CHECKLIST]

    def last_check(item):
        return next((e for e in reversed(checks) if e.data.get("item") == item), None)

    steps = {}
    for item, (field, _label) in checklist.ITEMS.items():
        steps[item] = {
            "date": _day(getattr(case, field)),
            **_recorded(last_check(item) if getattr(case, field) else None),
        }
    objection = {"date": _day(case.objection_on), **_recorded(last_check("objection") if case.objection_on else None)}
    reminders = [{"date": e.data.get("date"), **_recorded(e)} for e in checks if e.data.get("item") == "reminder_sent"]

    attempts = [
        {
            "date": _day(a.date),
            "part_of_day": a.part_of_day,
            "kind": a.kind,
            "personal": checklist.counts_as_personal_contact(a.kind),
            "reached": a.reached,
            "recorded_by": _name(a.by),
            "partner": a.partner.name,
        }
        for a in case_contact_attempts(user=user, case=case, visible=visible)
        .filter(partner_id=case.corporation_id)
        .order_by("date", "pk")
    ]

    partner_ids = {e.data.get("social_service_id") or e.data.get("to_partner_id") for e in events} - {None}
    names = dict(Partner.objects.filter(pk__in=partner_ids).values_list("pk", "name"))
    current = case.queue_partner.name if case.queue_partner_id else None
    signals, report_back = [], []
    for event in events:
        partner = event.partner.name if event.partner else None
        if event.to_state == CaseState.SIGNALLED and event.from_state != CaseState.SIGNALLED:
            to_partner = event.data.get("social_service_id") or event.data.get("to_partner_id")
            signals.append({"at": _moment(event.at), "recipient": names.get(to_partner, current), **_recorded(event)})
        elif event.to_state == CaseState.TAKEN_UP and event.from_state != CaseState.TAKEN_UP:
            report_back.append({"at": _moment(event.at), "partner": partner, "outcome": "taken_up"})
        elif event.from_state in HANDED_FROM and event.to_state in HANDED_TO:
            report_back.append({"at": _moment(event.at), "partner": partner, "outcome": "handed_back"})

    respite = [
        {
            "kind": n.kind,
            "until": _day(n.respite_until),
            "recorded_at": _moment(n.created_at),
            "recorded_by": _name(n.author) if n.partner_id == case.corporation_id else None,
            "partner": n.partner.name,
        }
        for n in case_notes(user=user, case=case, visible=visible).filter(kind__in=RESPITE_KINDS).order_by("created_at")
    ]
    arrangements = [
        {
            "monthly_amount": str(a.monthly_amount),
            "start_date": _day(a.start_date),
            "end_date": _day(a.end_date),
            "recorded_by": _name(a.created_by),
            "partner": a.partner.name,
            "recorded_at": _moment(a.created_at),
        }
        for a in case.payment_arrangements.select_related("created_by", "partner").order_by("start_date", "pk")
    ]
    household = case.household
    return {
        "case": {
            "id": case.pk,
            "corporation": case.corporation.name,
            "name": household.name,
            "address": household.address_line,
            "postcode": household.postcode,
            "city": household.city,
            "contracts": sorted(household.tenancies.values_list("contract_number", flat=True)),
            "opened_at": _moment(case.opened_at),
        },
        "checklist": steps,
        "objection": objection,
        "reminders": reminders,
        "contact_attempts": attempts,
        "signals": signals,
        "report_back": report_back,
        "respite_until": _day(case.respite_until),
        "respite": respite,
        "payment_arrangements": arrangements,
    }


def compliance_file(*, user, pk, channel="") -> ComplianceFile:
    """The case's compliance file for ``user``, or :class:`~django.http.Http404` for anyone but a
    caseworker or manager of its corporation. The read (``view``) and the download (``export``, with the
    document number and both hashes) are audited."""
    case = case_get(user=user, pk=pk, channel=channel)
    if not may_download_compliance_file(user=user, case=case):
        raise Http404
    facts = compliance_facts(user=user, case=case)
    now = timezone.localtime()
    earlier = AuditEvent.objects.filter(
        action=audit.Action.EXPORT,
        object_type=Case._meta.label,
        object_id=str(case.pk),
        at__date=now.date(),
        detail__has_key="document_number",
    ).count()
    number = compliance.document_number(case.pk, now.date(), earlier + 1)
    pdf = compliance.render_pdf(facts, number=number, generated_at=now)
    result = ComplianceFile(number=number, sha256=compliance.facts_hash(facts), pdf=pdf)
    audit.record(
        user=user,
        action=audit.Action.EXPORT,
        obj=case,
        household_id=case.household_id,
        channel=channel,
        detail={
            "document_number": number,
            "facts_sha256": result.sha256,
            "pdf_sha256": compliance.pdf_hash(pdf),
        },
    )
    return result
