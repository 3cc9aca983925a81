"""A letter as an A4 PDF (ReportLab, the compliance file's library: ``arrears/compliance.py``).

Pure: the rendered text in, the PDF's bytes out, no queries. The text is plain text: every line is
escaped before ReportLab's paragraph markup sees it, so a template cannot inject markup.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer


def render_pdf(*, sender: str, recipient: list[str], date: dt.date, subject: str, text: str) -> bytes:
    """One letter: the sender, the recipient's address block, the date, the subject in bold and the
    text, a paragraph per blank-line-separated block (single line breaks kept)."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    story = [Paragraph(f"<b>{escape(sender)}</b>", body), Spacer(1, 12 * mm)]
    story += [Paragraph(escape(line), body) for line in recipient if line]
    story += [Spacer(1, 10 * mm), Paragraph(date.strftime("%d-%m-%Y"), body), Spacer(1, 6 * mm)]
    if subject:
        story += [Paragraph(f"<b>{escape(subject)}</b>", body), Spacer(1, 4 * mm)]
    for block in text.replace("\r\n", "\n").split("\n\n"):
        story.append(Paragraph("<br/>".join(escape(line) for line in block.split("\n")), body))
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=subject or sender,
        author=sender,
    )
    doc.build(story)
    return buffer.getvalue()
