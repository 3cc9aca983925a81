"""What a ledger file must be before it is kept (docs/adr/0068): at most ``TIJDIG_UPLOAD_MAX_BYTES``,
and either text in an encoding the reader knows (CSV, TXT) or an Excel workbook (XLSX: a zip holding a
workbook) whose worksheets hold at most ``TIJDIG_XLSX_MAX_CELLS`` cells, whose parts unpack to no more
than ``TIJDIG_UPLOAD_MAX_BYTES`` together and none of which expands more than ``TIJDIG_XLSX_MAX_RATIO``
times (a zip bomb: 87 KB that unpacks to a million cells).

Every surface (the imports page, the API, the drop folder, the command) passes the file through
:func:`check_upload` before anything is stored, and the reader passes a workbook through
:func:`check_xlsx` again before openpyxl opens it. Neither reads a file whole: a text file's head, a
workbook's zip directory and its worksheets as a stream, counted as they go and stopped at the limit.
"""

import codecs
import io
import re
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ledger.importing.errors import ImportRejected

HEAD_BYTES = 65536
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Parts smaller than this are not held to the compression ratio: a small, very regular part (a
#: theme, the styles) may compress well beyond it and costs nothing to read.
RATIO_FLOOR_BYTES = 1 << 20
#: A cell in a worksheet's XML: ``<c>``, ``<c r="A1" …>``, ``<c/>``, with or without a namespace prefix.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
#: Characters no text export contains (C0 controls but tab, line feed, form feed and carriage return;
#: Ctrl-Z may end an old DOS file).
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def max_bytes() -> int:
    return settings.TIJDIG_UPLOAD_MAX_BYTES


def check_upload(file, *, file_name, encoding="") -> str:
    """Refuse (:class:`ImportRejected`, naming the file and why) anything the import could not read
    or that would cost more to read than any real export; returns ``"csv"`` or ``"xlsx"``.
    ``file``: bytes or a binary file object that can seek; ``encoding``: the profile's, if it names one."""
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    size = _size(file)
    if size == 0:
        raise ImportRejected(_("“%(name)s” is empty.") % {"name": file_name})
    if size > max_bytes():
        raise ImportRejected(
            _("“%(name)s” is %(size)s; a ledger file may be at most %(max)s.")
            % {"name": file_name, "size": filesizeformat(size), "max": filesizeformat(max_bytes())}
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if head.startswith(XLSX_MAGIC):
        check_xlsx(file, file_name=file_name)
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise old_excel_refusal(file_name)
    _check_text(head, file_name=file_name, encoding=encoding, whole=size <= HEAD_BYTES)
    return "csv"


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    return size


def profile_codec(encoding: str) -> str:
    """The codec an import profile names, or :class:`ImportRejected` (the intake check and the reader)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise ImportRejected(_("The profile names an unknown encoding “%(enc)s”.") % {"enc": encoding}) from exc


def old_excel_refusal(file_name) -> ImportRejected:
    return ImportRejected(_("%(name)s is an old Excel file (.xls): save it as .xlsx or CSV.") % {"name": file_name})


def _check_text(head: bytes, *, file_name, encoding, whole):
    """The head, decoded as the reader decodes it, holds no binary control characters. Whether every
    byte is valid in that encoding is the reader's to say: it names the line and byte."""
    if encoding:
        codec = profile_codec(encoding)
    elif head.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        try:  # as the reader: UTF-8 when it is valid UTF-8, else Windows-1252
            codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
            codec = "utf-8"
        except UnicodeDecodeError:
            codec = "cp1252"
    text = codecs.getincrementaldecoder(codec)(errors="replace").decode(head, final=whole)
    found = _BINARY.search(text.removesuffix("\x1a"))
    if found:
        raise ImportRejected(
            _(
                "“%(name)s” is not a CSV or Excel (.xlsx) file: it holds binary data (character %(pos)s). "
                "Upload the export as CSV (text) or XLSX."
            )
            % {"name": file_name, "pos": found.start() + 1}
        )


def check_xlsx(file, *, file_name):
    """A workbook the reader can open, and no bomb: the zip's directory (what each part declares it
    unpacks to) is checked before any part is opened; then the worksheets are streamed and their
    cells counted, up to the limit, so a directory that lies is caught too."""
    try:
        book = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRejected(
            _("“%(name)s” starts like an Excel (.xlsx) file but cannot be opened: %(error)s")
            % {"name": file_name, "error": exc}
        ) from exc
    with book:
        parts = book.infolist()
        names = {part.filename for part in parts}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise ImportRejected(
                _("“%(name)s” is a ZIP archive but not an Excel workbook (.xlsx): upload the export as CSV or XLSX.")
                % {"name": file_name}
            )
        sheets = [p for p in parts if p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml")]
        if not sheets:
            raise ImportRejected(_("“%(name)s” is an Excel workbook without worksheets.") % {"name": file_name})
        if any(part.flag_bits & 0x1 for part in parts):
            raise ImportRejected(
                _("“%(name)s” is protected with a password: save it without one.") % {"name": file_name}
            )
        _check_expansion(parts, file_name)
        _count_cells(book, sheets, file_name)
    file.seek(0)


def _check_expansion(parts, file_name):
    total = sum(part.file_size for part in parts)
    if total > max_bytes():
        raise ImportRejected(
            _("“%(name)s” unpacks to %(size)s; a workbook may unpack to at most %(max)s. Export it as CSV.")
            % {"name": file_name, "size": filesizeformat(total), "max": filesizeformat(max_bytes())}
        )
    limit = settings.TIJDIG_XLSX_MAX_RATIO
    for part in parts:
        if part.file_size > RATIO_FLOOR_BYTES and part.file_size > limit * max(part.compress_size, 1):
            raise ImportRejected(
                _(
                    "“%(name)s” is not a usable workbook: its part %(part)s unpacks %(ratio)s times larger "
                    "than it is stored (at most %(max)s times), as no real export does."
                )
                % {
                    "name": file_name,
                    "part": part.filename,
                    "ratio": part.file_size // max(part.compress_size, 1),
                    "max": limit,
                }
            )


def _count_cells(book, sheets, file_name):
    limit = settings.TIJDIG_XLSX_MAX_CELLS
    cells = unpacked = 0
    for sheet in sheets:
        tail = b""
        try:
            with book.open(sheet) as stream:
                while chunk := stream.read(1 << 20):
                    unpacked += len(chunk)
                    window = tail + chunk
                    cells += len(_CELL.findall(window)) - len(_CELL.findall(tail))
                    tail = window[-32:]
                    if cells > limit:
                        raise ImportRejected(
                            _(
                                "“%(name)s” holds more than %(max)s cells; a workbook may hold at most %(max)s. "
                                "Export it as CSV, which has no such limit."
                            )
                            % {"name": file_name, "max": f"{limit:,}".replace(",", ".")}
                        )
                    if unpacked > max_bytes():
                        raise ImportRejected(
                            _("“%(name)s” unpacks to more than %(max)s. Export it as CSV.")
                            % {"name": file_name, "max": filesizeformat(max_bytes())}
                        )
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise ImportRejected(
                _("“%(name)s” is a damaged Excel workbook: %(error)s") % {"name": file_name, "error": exc}
            ) from exc
