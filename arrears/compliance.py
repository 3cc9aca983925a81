"""The compliance file (bewijsdossier) for the court: what the Besluit gemeentelijke schuldhulpverlening
(art. 2) requires of a landlord before a rent signal, and what Tijdig recorded of each step, as a dated,
printable A4 PDF.

Pure: :func:`render_pdf` turns a snapshot of facts (plain JSON values, gathered and filtered for the
reader by ``arrears.selectors.compliance``) into bytes, and makes no queries. The facts' hash,
:func:`facts_hash`, is the SHA-256 of their canonical JSON (:func:`canonical_json`); the PDF prints it
in every page's footer with the document number, so a later copy can be checked against the audit row
written when the file was downloaded (``partners.audit``, action ``export``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from arrears.checklist import ITEMS

#: Facts are plain JSON: strings (dates in ISO 8601), numbers as strings, booleans, ``None``, lists, dicts.
Facts = dict[str, Any]


def canonical_json(facts: Facts) -> bytes:
    """The facts as canonical JSON: keys sorted, no spaces, UTF-8."""
    return json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def facts_hash(facts: Facts) -> str:
    """SHA-256 (hex) of :func:`canonical_json`: the content hash printed in the footer."""
    return hashlib.sha256(canonical_json(facts)).hexdigest()


def pdf_hash(pdf: bytes) -> str:
    """SHA-256 (hex) of the PDF file itself (kept in the audit row next to the facts' hash)."""
    return hashlib.sha256(pdf).hexdigest()


def document_number(case_id: int, day: dt.date, sequence: int) -> str:
    """``TIJDIG-<case id>-<yyyymmdd>-<n>``: ``n`` counts the files of this case made that day, from 1."""
    return f"TIJDIG-{case_id}-{day:%Y%m%d}-{sequence}"


def _day(value: str | None) -> str:
    if not value:
        return "—"
    return dt.date.fromisoformat(value[:10]).strftime("%d-%m-%Y")


def _moment(value: str | None) -> str:
    if not value:
        return "—"
    return dt.datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M")


def _who(row: dict[str, Any]) -> str:
    """The person and their organisation; another organisation's people are not named, only it."""
    by, partner = row.get("recorded_by"), row.get("partner")
    if by:
        return f"{by} ({partner})" if partner else by
    return partner or _("the system")


def _euros(amount: str) -> str:
    return "€ " + amount.replace(".", ",")


class _Builder:
    def __init__(self) -> None:
        styles = getSampleStyleSheet()
        self.title = styles["Title"]
        self.h2 = styles["Heading2"]
        self.body = styles["BodyText"]
        self.small = styles["BodyText"].clone("small", fontSize=8, leading=10)
        self.story: list[Any] = []

    def heading(self, text: str) -> None:
        self.story.append(Paragraph(escape(text), self.h2))

    def text(self, text: str) -> None:
        self.story.append(Paragraph(escape(text), self.body))

    def table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        if not rows:
            self.text(_("Nothing recorded."))
            return
        data = [[Paragraph(f"<b>{escape(h)}</b>", self.small) for h in header]]
        data += [[Paragraph(escape(str(cell)), self.small) for cell in row] for row in rows]
        table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.story.append(table)


def _story(facts: Facts, *, number: str, generated_at: dt.datetime) -> list[Any]:
    b = _Builder()
    case = facts["case"]
    b.story.append(Paragraph(escape(_("Compliance file: rent arrears case %(case)s") % {"case": case["id"]}), b.title))
    b.text(_("Document number: %(number)s") % {"number": number})
    b.text(_("Made on: %(moment)s") % {"moment": generated_at.strftime("%d-%m-%Y %H:%M")})
    b.text(_("Corporation: %(name)s") % {"name": case["corporation"]})
    b.text(
        _("Tenant: %(name)s, %(address)s, %(postcode)s %(city)s")
        % {"name": case["name"], "address": case["address"], "postcode": case["postcode"], "city": case["city"]}
    )
    if case.get("contracts"):
        b.text(_("Tenancy contract: %(numbers)s") % {"numbers": ", ".join(case["contracts"])})
    b.text(_("Case opened on: %(day)s") % {"day": _day(case["opened_at"])})
    b.story.append(Spacer(1, 4 * mm))

    b.heading(_("What the Besluit requires"))
    b.text(
        _(
            "Before passing a tenant's details on to the municipality, the landlord must (Besluit gemeentelijke "
            "schuldhulpverlening, art. 2): send at least one written reminder, try to reach the tenant "
            "personally, point the tenant to debt help, and offer to pass the details on to the municipality; "
            "the tenant must not have objected."
        )
    )
    b.heading(_("The steps as recorded"))
    steps = []
    for item, (_field, label) in ITEMS.items():
        step = facts["checklist"][item]
        steps.append(
            [str(label), _day(step["date"]), _who(step) if step["date"] else "—", _moment(step["recorded_at"])]
        )
    objection = facts["objection"]
    steps.append(
        [
            _("Tenant objected"),
            _day(objection["date"]) if objection["date"] else _("No objection recorded"),
            _who(objection) if objection["date"] else "—",
            _moment(objection["recorded_at"]),
        ]
    )
    b.table([_("Step"), _("Date"), _("Recorded by"), _("Recorded at")], steps, [55, 38, 52, 30])

    b.heading(_("Written reminders"))
    b.table(
        [_("Date"), _("Recorded by"), _("Recorded at")],
        [[_day(r["date"]), _who(r), _moment(r["recorded_at"])] for r in facts["reminders"]],
        [35, 95, 45],
    )

    b.heading(_("Contact attempts"))
    b.table(
        [_("Date"), _("How"), _("Personal"), _("Reached"), _("Recorded by")],
        [
            [
                _day(a["date"]) + (f" ({a['part_of_day']})" if a["part_of_day"] else ""),
                a["kind"],
                _("yes") if a["personal"] else _("no"),
                _("yes") if a["reached"] else _("no"),
                _who(a),
            ]
            for a in facts["contact_attempts"]
        ],
        [35, 35, 20, 20, 65],
    )

    b.heading(_("Signal to the municipality"))
    b.table(
        [_("Signalled at"), _("Recipient"), _("Recorded by")],
        [[_moment(s["at"]), s["recipient"] or "—", _who(s)] for s in facts["signals"]],
        [40, 70, 65],
    )

    b.heading(_("Report-back from the municipality"))
    outcome = {"taken_up": _("Taken up"), "handed_back": _("Handed back to the corporation")}
    b.table(
        [_("Date"), _("By"), _("Report-back")],
        [[_moment(r["at"]), r["partner"] or "—", outcome[r["outcome"]]] for r in facts["report_back"]],
        [40, 70, 65],
    )
    if not facts["report_back"]:
        b.text(_("No report-back recorded."))

    b.heading(_("Respite periods"))
    kinds = {
        "respite_granted": _("Respite granted"),
        "respite_extended": _("Respite extended"),
        "respite_ended": _("Respite ended"),
    }
    b.table(
        [_("Recorded on"), _("What"), _("Until"), _("By")],
        [
            [_day(r["recorded_at"]), kinds.get(r["kind"], r["kind"]), _day(r["until"]), _who(r)]
            for r in facts["respite"]
        ],
        [30, 45, 30, 70],
    )

    b.heading(_("Payment arrangements"))
    b.table(
        [_("Monthly amount"), _("From"), _("Until"), _("Recorded by")],
        [
            [_euros(a["monthly_amount"]), _day(a["start_date"]), _day(a["end_date"]), _who(a)]
            for a in facts["payment_arrangements"]
        ],
        [30, 30, 30, 85],
    )
    b.story.append(Spacer(1, 4 * mm))
    b.story.append(
        Paragraph(
            escape(
                _(
                    "This file shows only what the corporation may see of the case. The content hash is the "
                    "SHA-256 of the printed facts as canonical JSON; Tijdig's audit trail keeps it with the "
                    "document number, so a later copy can be checked against it."
                )
            ),
            b.small,
        )
    )
    return b.story


def render_pdf(facts: Facts, *, number: str, generated_at: dt.datetime) -> bytes:
    """The compliance file as A4 PDF bytes, in Dutch. The same facts, number and moment give the same bytes."""
    digest = facts_hash(facts)
    with translation.override("nl"):
        story = _story(facts, number=number, generated_at=generated_at)
        footer = _("Document number %(number)s · content hash (SHA-256) %(hash)s · page %(page)s")
        title = _("Compliance file %(number)s") % {"number": number}

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 6.5)
        canvas.drawString(15 * mm, 10 * mm, footer % {"number": number, "hash": digest, "page": doc.page})
        canvas.restoreState()

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Tijdig",
        subject=digest,
        invariant=1,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
