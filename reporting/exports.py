"""CSV and XLSX of the dashboard's tables, exactly as the page shows them (ADR 0044: counts rounded to
multiples of 5; ADR 0092: a hidden figure in the page's words, "te weinig gegevens" — "too little data" in
English).

CSV: UTF-8 with a byte-order mark (so Excel reads the accents), comma-separated, a point as the decimal
separator, dates as ISO (2026-03-31), a header row of column names. XLSX: one sheet per table, numbers as
numbers, dates as dates; a column's definition is a comment on its header, and a hidden figure's cell
carries the reason as a comment.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from reporting.definitions import DEFINITIONS
from reporting.suppression import HIDDEN_REASON, is_suppressed

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"money": "#,##0.00", "decimal": "0.00", "percent": "0.0", "date": "dd-mm-yyyy"}
AUTHOR = "Tijdig"


def _definitions(table, partner):
    if partner is None:
        return []
    return [
        (column.key, DEFINITIONS[column.key].text(partner)) for column in table.columns if column.key in DEFINITIONS
    ]


def cell_text(value):
    """A cell in the CSV: a hidden figure in the page's words ("te weinig gegevens"), a date as ISO."""
    if value is None:
        return ""
    if is_suppressed(value):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def table_csv(table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([cell_text(row.get(column.key)) for column in table.columns])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title, taken):
    clean = "".join(" " if char in "[]:*?/\\" else char for char in str(title))[:31].strip() or "Sheet"
    candidate, number = clean, 2
    while candidate in taken:
        candidate = f"{clean[:28]} {number}"
        number += 1
    return candidate


def tables_xlsx(tables, partner=None) -> bytes:
    """One sheet per table; a header carries its column's definition as a comment (with ``partner``), a
    hidden figure the reason it is hidden."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        definitions = dict(_definitions(table, partner))
        taken.add(sheet.title)
        sheet.append([str(column.label) for column in table.columns])
        for cell, column in zip(sheet[1], table.columns, strict=True):
            cell.font = Font(bold=True)
            if column.key in definitions:
                cell.comment = Comment(definitions[column.key], AUTHOR)
        for row in table.rows:
            values = []
            for column in table.columns:
                value = row.get(column.key)
                if is_suppressed(value) or (column.kind == "text" and value is not None):
                    value = str(value)
                values.append(value)
            sheet.append(values)
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if is_suppressed(row.get(column.key)):
                    cell.comment = Comment(str(HIDDEN_REASON), AUTHOR)
        for index, column in enumerate(table.columns, start=1):
            if column.kind in NUMBER_FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if isinstance(cell.value, int | float | Decimal | dt.date):
                        cell.number_format = NUMBER_FORMATS[column.kind]
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
                12, min(50, len(str(column.label)) + 2)
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
