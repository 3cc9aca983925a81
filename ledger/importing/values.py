"""Reading single values the way Dutch ERP exports write them. Each parser takes one raw cell (text,
or a number/date from XLSX) and returns the value or raises :class:`Problem` with a reason for the
user. They are called once per *distinct* value of a column, so they may be plain Python."""

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from households.models import normalise_postcode

MAX_CENTS = 100_000_000  # € 1.000.000,00: no rent-ledger amount is larger; guards numeric(10,2)
STREET_MAX_LENGTH = 120  # Household.street


class Problem(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def is_empty(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and raw != raw:  # NaN from XLSX
        return True
    return isinstance(raw, str) and not raw.strip()


# --- text -------------------------------------------------------------------------------------


def text(raw: object, max_length: int | None = None) -> str:
    # An XLSX number cell may hold a contract or house number.
    value = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else " ".join(str(raw).split())
    if max_length is not None and len(value) > max_length:
        raise Problem("too_long", _("longer than %(n)s characters") % {"n": max_length})
    return value


# --- amounts ----------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(€|EUR|eur|\s|\u00a0|')")
_COMMA_DECIMAL = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$")
_DOT_DECIMAL = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


def _strip_sign(raw: str) -> tuple[str, bool]:
    s = _CURRENCY.sub("", raw).replace("\u2212", "-")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        s, negative = s[1:-1], True
    if s.endswith("-"):
        s, negative = s[:-1], not negative
    if s.startswith("-"):
        s, negative = s[1:], not negative
    elif s.startswith("+"):
        s = s[1:]
    return _CURRENCY.sub("", s), negative


def detect_decimal_separator(raws: Iterable[object]) -> str:
    """The decimal separator a column uses, judged from its unambiguous values; Dutch ``,`` when
    nothing tells (``1.234`` alone cannot say)."""
    comma = dot = 0
    for raw in raws:
        if not isinstance(raw, str):
            continue
        s, _neg = _strip_sign(raw)
        c, d = s.rfind(","), s.rfind(".")
        if c >= 0 and d >= 0:
            comma, dot = (comma + 1, dot) if c > d else (comma, dot + 1)
        elif c >= 0:
            if s.count(",") > 1:
                dot += 1
            elif len(s) - c - 1 != 3:
                comma += 1
        elif d >= 0:
            if s.count(".") > 1:
                comma += 1
            elif len(s) - d - 1 != 3:
                dot += 1
    return "." if dot > comma else ","


def amount_cents(raw: object, decimal_separator: str = ",") -> int:
    """``1.234,56`` → 123456; ``€ -12,50``, ``12,50-`` and ``(12,50)`` → -1250. Rounds to cents."""
    if isinstance(raw, bool):
        raise Problem("bad_amount", _("not an amount"))
    if isinstance(raw, int | float | Decimal):
        try:
            value = Decimal(str(raw))
        except InvalidOperation as exc:
            raise Problem("bad_amount", _("not an amount")) from exc
    else:
        s, negative = _strip_sign(str(raw))
        match = (_COMMA_DECIMAL if decimal_separator == "," else _DOT_DECIMAL).match(s)
        if not match:
            example = "1.234,56" if decimal_separator == "," else "1,234.56"
            raise Problem("bad_amount", _("not an amount (expected e.g. %(example)s)") % {"example": example})
        whole = match.group(1).replace("." if decimal_separator == "," else ",", "")
        value = Decimal(f"{whole}.{match.group(2) or '0'}")
        if negative:
            value = -value
    if not value.is_finite():
        raise Problem("bad_amount", _("not an amount"))
    if abs(value) >= MAX_CENTS:  # far out of range: checked before rounding, which has 28 digits only
        raise Problem("amount_out_of_range", _("amount out of range (at most € 999.999,99)"))
    cents = int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if abs(cents) >= MAX_CENTS:
        raise Problem("amount_out_of_range", _("amount out of range (at most € 999.999,99)"))
    return cents


# --- dates ------------------------------------------------------------------------------------

_DATE_PATTERNS = [
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), "%d-%m-%Y"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), "%d.%m.%Y"),
]
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def date(raw: object, date_format: str = "") -> dt.date:
    """``dd-mm-yyyy``, ``dd/mm/yyyy`` or ``yyyy-mm-dd`` (or the profile's format); a time of day
    after it is ignored."""
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    else:
        s = _TIME_SUFFIX.sub("", str(raw).strip())
        fmt = date_format or next((f for pattern, f in _DATE_PATTERNS if pattern.match(s)), None)
        if fmt is None:
            raise Problem("bad_date", _("not a date (expected dd-mm-jjjj, dd/mm/jjjj or jjjj-mm-dd)"))
        try:
            value = dt.datetime.strptime(s, fmt).date()
        except ValueError as exc:
            if date_format:
                raise Problem("bad_date", _("not a date in the profile's format %(format)s") % {"format": fmt}) from exc
            raise Problem("bad_date", _("no such date")) from exc
    if not 1900 <= value.year <= 2100:
        raise Problem("bad_date", _("date out of range (1900–2100)"))
    return value


# --- the eviction track -----------------------------------------------------------------------

#: A judgment's result as exports write it (compared without case, accents, spaces or punctuation).
JUDGMENT_RESULTS = {
    "toegewezen": "granted",
    "toewijzing": "granted",
    "granted": "granted",
    "afgewezen": "refused",
    "afwijzing": "refused",
    "refused": "refused",
    "rejected": "refused",
}


def judgment(raw: object) -> str:
    """``granted`` or ``refused`` (the eviction, or the dissolution that leads to it)."""
    key = re.sub(r"[^a-z]", "", str(raw).strip().lower())
    if key not in JUDGMENT_RESULTS:
        raise Problem("bad_judgment", _("not a judgment result (expected toegewezen or afgewezen)"))
    return JUDGMENT_RESULTS[key]


# --- master data ------------------------------------------------------------------------------


def rent_cents(raw: object, decimal_separator: str = ",") -> int:
    cents = amount_cents(raw, decimal_separator)
    if cents < 0:
        raise Problem("negative_rent", _("the monthly rent cannot be negative"))
    return cents


def postcode(raw: object) -> str:
    value = normalise_postcode(text(raw))
    if value is None:
        raise Problem("bad_postcode", _("not a Dutch postcode (e.g. 3311 AB); left empty"))
    return value


_HOUSE_NUMBER = re.compile(r"^(\d{1,5})\s*[-/ ]?\s*([A-Za-z0-9]{0,10})$")


def house_number(raw: object) -> tuple[int, str]:
    match = _HOUSE_NUMBER.match(text(raw))
    if not match or int(match.group(1)) == 0:
        raise Problem("bad_house_number", _("not a house number (e.g. 12, 12a, 12-2); left empty"))
    return int(match.group(1)), match.group(2)


_ADDRESS = re.compile(r"^(.*?\D)\s*(\d{1,5})\s*[-/ ]?\s*([A-Za-z0-9]{0,10})$")


def address(raw: object) -> tuple[str, int, str]:
    """``Voorstraat 12a`` → (``Voorstraat``, 12, ``a``)."""
    match = _ADDRESS.match(text(raw))
    if not match:
        raise Problem("bad_address", _("no street and house number found (e.g. Voorstraat 12a); left empty"))
    street = match.group(1).strip(" ,")
    if len(street) > STREET_MAX_LENGTH:
        raise Problem("too_long", _("longer than %(n)s characters") % {"n": STREET_MAX_LENGTH})
    return street, int(match.group(2)), match.group(3)


def municipality_code(raw: object) -> str:
    s = text(raw).upper().removeprefix("GM")
    if not s.isdigit() or len(s) > 4:
        raise Problem("bad_municipality", _("not a CBS municipality code (e.g. 0505); left empty"))
    return s.zfill(4)


def email(raw: object) -> str:
    s = text(raw)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", s) or len(s) > 254:
        raise Problem("bad_email", _("not an e-mail address; left empty"))
    return s


def phone(raw: object) -> str:
    s = text(raw)
    if not re.fullmatch(r"[+0-9 ()\-]{6,30}", s):
        raise Problem("bad_phone", _("not a phone number; left empty"))
    return s


_PREFIX_WORDS = {
    "van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "uit", "bij", "d'", "la", "le",
    "du", "da", "di", "von", "zu", "vd", "v.d.", "v/d", "des", "del",
}  # fmt: skip
_INITIALS = re.compile(r"^([A-Za-z]\.)+[A-Za-z]?\.?$|^[A-Z]$")


def split_name(name: str) -> tuple[str, str, str]:
    """``J.P. van der Berg`` → (``J.P.``, ``van der``, ``Berg``); ``Berg, J.P. van der`` likewise.
    Given names are reduced to initials (the portal needs no more, docs/domain.md §7)."""
    s = " ".join(name.split())
    if "," in s:
        surname, rest = (part.strip() for part in s.split(",", 1))
        tokens = rest.split()
        given = [t for t in tokens if t.lower() not in _PREFIX_WORDS]
        prefix = [t for t in tokens if t.lower() in _PREFIX_WORDS]
    else:
        tokens = s.split()
        lead = 0
        while lead < len(tokens) - 1 and _INITIALS.match(tokens[lead]):
            lead += 1
        if lead:
            end = lead
            while end < len(tokens) - 1 and tokens[end].lower() in _PREFIX_WORDS:
                end += 1
            initials = "".join(tokens[:lead])
            return initials[:20], " ".join(tokens[lead:end]).lower()[:20], " ".join(tokens[end:])[:120]
        start = next((i for i, t in enumerate(tokens) if i > 0 and t.lower() in _PREFIX_WORDS), None)
        if start is None:
            given, prefix, surname = tokens[:-1], [], " ".join(tokens[-1:])
        else:
            end = start
            while end < len(tokens) - 1 and tokens[end].lower() in _PREFIX_WORDS:
                end += 1
            given, prefix, surname = tokens[:start], tokens[start:end], " ".join(tokens[end:])
    initials = "".join(t if _INITIALS.match(t) else f"{t[0].upper()}." for t in given if t)
    return initials[:20], " ".join(prefix).lower()[:20], surname[:120]
