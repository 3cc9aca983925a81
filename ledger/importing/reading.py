"""From file bytes to a table of raw cells: CSV (any of ``;`` ``,`` tab ``|``; UTF-8 with or without
BOM, UTF-16, Windows-1252/Latin-1) or XLSX (a named sheet or the first). The header row is found by
its column names (an export may start with a title line or two); line numbers stay those of the file."""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from ledger.importing import fields, sniffing
from ledger.importing.errors import ImportRejected

HEAD_LINES = 20
_LINE_END = re.compile(r"\r\n|\r|\n")
DELIMITERS = [";", ",", "\t", "|"]


@dataclass
class RawTable:
    frame: pd.DataFrame  # data rows only, columns 0..n-1, cells as read (text, or XLSX values)
    headers: list
    first_line: int  # line (CSV) or row (XLSX) number of the frame's first row, 1-based
    found: dict  # field → column index
    details: dict = field(default_factory=dict)  # encoding / delimiter / sheet, for the report

    def line(self, index):
        return self.first_line + index


def read_table(data: bytes, *, file_name: str, profile=None) -> RawTable:
    mapping = (profile.column_mapping if profile else None) or {}
    if data.startswith(sniffing.XLSX_MAGIC):
        return _read_xlsx(data, profile, mapping, file_name)
    if data.startswith(sniffing.OLE_MAGIC):
        raise sniffing.old_excel_refusal(file_name)
    text, encoding = _decode(data, profile.encoding if profile else "")
    if "\x00" in text[:65536]:
        raise ImportRejected(_("%(name)s is not a text (CSV) or XLSX file.") % {"name": file_name})
    same = encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8)  # the bytes are the text in UTF-8
    return _read_csv(text, encoding, profile, mapping, data=data if same else None)


def _decode(data: bytes, encoding: str) -> tuple[str, str]:
    if encoding:
        codec = sniffing.profile_codec(encoding)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportRejected(
                _("The file is not valid %(enc)s (line %(line)s, byte %(pos)s); check the profile's encoding.")
                % {"enc": encoding, "line": line, "pos": exc.start}
            ) from exc
        return text.removeprefix("\ufeff"), codec
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").removeprefix("\ufeff"), "utf-16"
        except UnicodeDecodeError as exc:  # an odd byte count (cut off) or a lone surrogate
            raise ImportRejected(
                _("The file starts as UTF-16 but is not valid UTF-16 from byte %(pos)s on (cut off or damaged?).")
                % {"pos": exc.start}
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _find_header(rows, mapping):
    """(row index, cells, recognised fields) of the first row naming a contract-number column and
    at least one more column."""
    for index, row in enumerate(rows[:HEAD_LINES]):
        cells = ["" if c is None or (isinstance(c, float) and c != c) else str(c) for c in row]
        found = fields.recognise(cells, mapping)
        if "contract_number" in found and (len(found) >= 2 or sum(1 for c in cells if c.strip()) >= 2):
            return index, cells, found
    return None


def _no_header(mapping):
    wanted = mapping.get("contract_number") or ", ".join(fields.HEADERS["contract_number"][:4])
    return ImportRejected(
        _(
            "No header row found in the first %(n)s lines: looked for a contract-number column (%(wanted)s) "
            "and at least one other known column."
        )
        % {"n": HEAD_LINES, "wanted": wanted}
    )


def _read_csv(text, encoding, profile, mapping, data=None) -> RawTable:
    """``data``: the file's bytes when they are exactly ``text`` in UTF-8 (saves encoding it again)."""
    # Lines end in \n, \r\n or a lone \r (as pandas reads them, so line numbers agree).
    head = _LINE_END.split(text[:131072], maxsplit=HEAD_LINES)[:HEAD_LINES]
    configured = (profile.delimiter if profile else "") or ""
    candidates = ["\t" if configured == "\\t" else configured] if configured else DELIMITERS
    hits = []
    for order, delimiter in enumerate(candidates):
        try:
            hit = _find_header(list(csv.reader(head, delimiter=delimiter)), mapping)
        except csv.Error:  # e.g. a field over the csv module's size limit: not a header row
            hit = None
        if hit:
            hits.append((-len(hit[2]), hit[0], order, delimiter, hit))
    if not hits:
        raise _no_header(mapping)
    *_rank, delimiter, (index, headers, found) = min(hits)
    try:
        # pandas' C reader parses UTF-8 bytes; handing it a StringIO would copy the text (at 4 bytes a
        # character) and encode it back chunk by chunk.
        frame = pd.read_csv(
            io.BytesIO(data if data is not None else text.encode("utf-8")),
            encoding="utf-8",
            sep=delimiter,
            header=None,
            skiprows=index + 1,
            names=range(len(headers)),
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quotechar='"',
            engine="c",
        )
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=range(len(headers)), dtype=object)
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            raise ImportRejected(
                _(
                    "Line %(line)s has %(saw)s fields where the header (line %(header)s) has %(n)s: "
                    "check the delimiter and quotes."
                )
                % {"line": match.group(2), "saw": match.group(3), "header": index + 1, "n": match.group(1)}
            ) from exc
        raise ImportRejected(_("The file cannot be read as CSV: %(error)s") % {"error": exc}) from exc
    names = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}
    details = {"format": "csv", "encoding": encoding, "delimiter": names.get(delimiter, delimiter)}
    return RawTable(frame, headers, index + 2, found, details)


def _read_xlsx(data, profile, mapping, file_name="") -> RawTable:
    # Again here, not only when the file was taken in: no workbook reaches openpyxl unchecked.
    sniffing.check_xlsx(io.BytesIO(data), file_name=file_name or "XLSX")
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except Exception as exc:  # zip or XML damage: openpyxl raises many kinds
        raise ImportRejected(_("The XLSX file cannot be opened: %(error)s") % {"error": exc}) from exc
    wanted = (profile.sheet_name if profile else "") or ""
    if wanted:
        sheet = next((s for s in book.sheet_names if s.strip().lower() == wanted.strip().lower()), None)
        if sheet is None:
            raise ImportRejected(
                _("The workbook has no sheet “%(wanted)s”; it has: %(sheets)s.")
                % {"wanted": wanted, "sheets": ", ".join(book.sheet_names)}
            )
    else:
        sheet = book.sheet_names[0]
    raw = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    hit = _find_header(raw.head(HEAD_LINES).values.tolist(), mapping)
    if hit is None:
        raise _no_header(mapping)
    index, headers, found = hit
    frame = raw.iloc[index + 1 :].reset_index(drop=True)
    frame.columns = range(frame.shape[1])
    return RawTable(frame, headers, index + 2, found, {"format": "xlsx", "sheet": sheet})
