"""The fields a ledger file can carry, the headers that name them, and which ones each shape needs.

A profile's ``column_mapping`` (field → header) wins; every other field is recognised from the
common Dutch and English headers below. Headers are compared normalised: case, accents, spaces and
punctuation do not matter (``Kale huur`` = ``kale-huur`` = ``KALEHUUR``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from ledger.models import ImportProfile

SNAPSHOT = "snapshot"
TRANSACTIONS = "transactions"

# field → recognised headers (the first one is the name shown in messages).
HEADERS = {
    "contract_number": [
        "Contractnummer",
        "Contractnr",
        "Contract",
        "Huurcontract",
        "Huurcontractnummer",
        "Overeenkomstnummer",
        "Huurovereenkomst",
        "Contract number",
        "Contract no",
        "Contract id",
        "Tenancy",
        "Tenancy number",
    ],
    "tenant_name": ["Huurder", "Naam", "Naam huurder", "Huurdernaam", "Tenant", "Tenant name", "Name"],
    "initials": ["Voorletters", "Initials"],
    "surname_prefix": ["Tussenvoegsel", "Voorvoegsel", "Surname prefix", "Prefix"],
    "surname": ["Achternaam", "Geslachtsnaam", "Surname", "Last name"],
    "date_of_birth": ["Geboortedatum", "Date of birth", "Birth date"],
    "phone": ["Telefoon", "Telefoonnummer", "Telefoon mobiel", "Mobiel", "Phone", "Phone number"],
    "email": ["E-mail", "E-mailadres", "Email", "Email address"],
    "address": ["Adres", "Address"],
    "street": ["Straat", "Straatnaam", "Street"],
    "house_number": ["Huisnummer", "Huisnr", "Nummer", "House number"],
    "house_number_suffix": ["Toevoeging", "Huisnummertoevoeging", "Huisletter", "Suffix", "Addition"],
    "postcode": ["Postcode", "Postal code", "Zip", "Zip code"],
    "city": ["Plaats", "Woonplaats", "City", "Town", "Place"],
    "municipality_code": ["Gemeentecode", "Gemeente code", "CBS gemeentecode", "Municipality code"],
    "monthly_rent": [
        "Kale huur",
        "Maandhuur",
        "Huur",
        "Huurprijs",
        "Netto huur",
        "Monthly rent",
        "Rent",
        "Base rent",
    ],
    "balance": [
        "Saldo",
        "Achterstand",
        "Openstaand",
        "Openstaand saldo",
        "Openstaand bedrag",
        "Totaal openstaand",
        "Balance",
        "Arrears",
        "Amount owed",
        "Outstanding",
    ],
    "oldest_due_date": [
        "Oudste vervaldatum",
        "Oudste openstaande vervaldatum",
        "Vervaldatum oudste post",
        "Oldest due date",
    ],
    "last_payment_date": ["Datum laatste betaling", "Laatste betaling", "Last payment date", "Last payment"],
    "reminder_date": ["Datum aanmaning", "Aanmaningsdatum", "Datum herinnering", "Herinneringsdatum", "Reminder date"],
    "collection_stage": ["Incassostadium", "Incassofase", "Stadium", "Collection stage", "Dunning level"],
    "booking_date": ["Boekdatum", "Boekingsdatum", "Datum", "Booking date", "Transaction date", "Date"],
    "due_date": ["Vervaldatum", "Vervaldag", "Due date"],
    "amount": ["Bedrag", "Mutatie", "Amount"],
    "debit": ["Debet", "Debit"],
    "credit": ["Credit", "Krediet"],
    "description": ["Omschrijving", "Boekingsomschrijving", "Tekst", "Description", "Memo"],
    "as_of": ["Peildatum", "Exportdatum", "Datum export", "Rapportagedatum", "Export date", "As of", "Report date"],
    # The eviction track, per tenancy (optional; docs/adr/0081-eviction-track.md, *Import*).
    "summons_date": ["Datum dagvaarding", "Dagvaardingsdatum", "Dagvaarding", "Summons date"],
    "hearing_date": ["Zittingsdatum", "Datum zitting", "Hearing date"],
    "judgment_date": ["Vonnisdatum", "Datum vonnis", "Judgment date"],
    "judgment": ["Vonnis", "Uitspraak", "Judgment"],
    "announcement_date": ["Datum aanzegging", "Aanzeggingsdatum", "Announcement date"],
    "eviction_date": ["Ontruimingsdatum", "Datum ontruiming", "Eviction date"],
    "eviction_executed_date": ["Ontruiming uitgevoerd", "Datum ontruiming uitgevoerd", "Eviction executed"],
    "eviction_cancelled_date": [
        "Ontruiming ingetrokken",
        "Datum intrekking ontruiming",
        "Ontruiming geannuleerd",
        "Eviction cancelled",
    ],
}

FIELDS = tuple(HEADERS)
DATE_FIELDS = (
    "date_of_birth",
    "oldest_due_date",
    "last_payment_date",
    "reminder_date",
    "booking_date",
    "due_date",
    "as_of",
    "summons_date",
    "hearing_date",
    "judgment_date",
    "announcement_date",
    "eviction_date",
    "eviction_executed_date",
    "eviction_cancelled_date",
)
AMOUNT_FIELDS = ("monthly_rent", "balance", "amount", "debit", "credit")
MASTER_FIELDS = (
    "tenant_name", "initials", "surname_prefix", "surname", "date_of_birth", "phone", "email", "address", "street",
    "house_number", "house_number_suffix", "postcode", "city", "municipality_code", "monthly_rent",
)  # fmt: skip
#: The eviction track's columns: per tenancy, like the master data (``ledger.importing.eviction``).
EVICTION_FIELDS = (
    "summons_date", "hearing_date", "judgment_date", "judgment", "announcement_date", "eviction_date",
    "eviction_executed_date", "eviction_cancelled_date",
)  # fmt: skip


def normalise(header: object) -> str:
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


_SYNONYMS = {normalise(h): field for field, headers in HEADERS.items() for h in headers}


def label(field: str) -> str:
    return HEADERS[field][0]


def recognise(headers: Sequence[object], mapping: Mapping[str, str] | None = None) -> dict[str, int]:
    """field → index of its column in ``headers``. The profile's mapping first, then the synonyms;
    a mapped header that is missing is reported by :func:`missing_mapped`."""
    found: dict[str, int] = {}
    by_norm: dict[str, int] = {}
    for index, header in enumerate(headers):
        by_norm.setdefault(normalise(header), index)
    for field, header in (mapping or {}).items():
        column = by_norm.get(normalise(header))
        if column is not None:
            found[field] = column
    taken = set(found.values())
    for index, header in enumerate(headers):
        known = _SYNONYMS.get(normalise(header))
        if known and known not in found and known not in (mapping or {}) and index not in taken:
            found[known] = index
            taken.add(index)
    return found


def missing_mapped(headers: Iterable[object], mapping: Mapping[str, str] | None) -> list[tuple[str, str]]:
    present = {normalise(h) for h in headers}
    return [(field, header) for field, header in (mapping or {}).items() if normalise(header) not in present]


def detect_shape(found: Collection[str]) -> str | None:
    """A transaction ledger has booking dates and amounts; an arrears list has a balance."""
    if "booking_date" in found and ({"amount", "debit", "credit"} & set(found)):
        return TRANSACTIONS
    if "balance" in found:
        return SNAPSHOT
    return None


def missing_required(shape: str | None, found: Collection[str]) -> list[str]:
    """Human-readable names of the required columns the file lacks."""
    missing = []
    if "contract_number" not in found:
        missing.append(label("contract_number"))
    if shape == SNAPSHOT and "balance" not in found:
        missing.append(" / ".join(HEADERS["balance"][:2]))
    if shape == TRANSACTIONS:
        if "booking_date" not in found:
            missing.append(label("booking_date"))
        if "amount" not in found and not ("debit" in found and "credit" in found):
            missing.append(
                _("%(amount)s (or %(debit)s and %(credit)s)")
                % {"amount": "Bedrag", "debit": "Debet", "credit": "Credit"}
            )
    return missing


def validate_profile(profile: ImportProfile) -> None:
    """Model validation for :class:`~arrears.models.ImportProfile` (the admin form calls it)."""
    errors = {}
    mapping = profile.column_mapping or {}
    if not isinstance(mapping, dict) or not all(isinstance(v, str) and v.strip() for v in mapping.values()):
        errors["column_mapping"] = _("The column mapping must be an object of field name → column header.")
    else:
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            errors["column_mapping"] = _("Unknown field(s): %(unknown)s. Known fields: %(known)s.") % {
                "unknown": ", ".join(unknown),
                "known": ", ".join(FIELDS),
            }
    if profile.delimiter and profile.delimiter not in (";", ",", "\t", "|", "\\t"):
        errors["delimiter"] = _("Use ; , | or a tab (\\t).")
    if profile.decimal_separator and profile.decimal_separator not in (",", "."):
        errors["decimal_separator"] = _("Use a comma or a full stop.")
    if profile.date_format and not re.fullmatch(r"[%dmyYHMS/.\- ]+", profile.date_format):
        errors["date_format"] = _("Use a strftime pattern such as %d-%m-%Y.")
    if profile.encoding:
        try:
            codecs.lookup(profile.encoding)
        except LookupError:
            errors["encoding"] = _("Unknown encoding “%(name)s”.") % {"name": profile.encoding}
    if errors:
        raise ValidationError(errors)
