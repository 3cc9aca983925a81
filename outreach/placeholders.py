"""Named placeholders in a message template: ``{household_name}``, one fixed set, nothing else.

A template's text is data a partner admin writes, never code: a placeholder is a name in single braces,
replaced by plain substitution (no attribute access, no filters, no tags — not Django's template language
and not ``str.format``). :func:`unknown` names what the set does not hold, so a template with a typo is
refused on save ("Unknown field {foo}") rather than sent with a hole in it. Pure: no queries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

#: The placeholders a template may use, with what each one holds (shown in the admin and the README).
PLACEHOLDERS = {
    "household_name": _("the household's name"),
    "address": _("street and house number"),
    "postcode": _("postcode"),
    "city": _("place"),
    "arrears_amount": _("the arrears amount, e.g. € 1.234,56"),
    "arrears_since": _("the day the arrears began (dd-mm-yyyy)"),
    "today": _("the letter's date (dd-mm-yyyy)"),
    "caseworker_name": _("the caseworker sending the message"),
    "partner_name": _("the sending partner's name"),
    "partner_phone": _("the sending partner's phone number (not recorded yet: empty)"),
    "partner_email": _("the sending partner's e-mail address (not recorded yet: empty)"),
    "debt_help_contact": _("the social service of the household's municipality"),
}

#: ``{name}``: a name in single braces. Anything in braces is a placeholder and must be known.
_PATTERN = re.compile(r"\{([^{}\n]*)\}")


def used(text: str) -> list[str]:
    """The placeholder names in ``text``, in order of appearance, each once."""
    seen: dict[str, None] = {}
    for match in _PATTERN.finditer(text or ""):
        seen.setdefault(match.group(1).strip(), None)
    return list(seen)


def unknown(text: str) -> list[str]:
    """The names in ``text`` that are not placeholders (empty when the text is valid)."""
    return [name for name in used(text) if name not in PLACEHOLDERS]


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each placeholder replaced by its value ("" when the reader may not see it or it is
    not recorded). An unknown name is left as written (the model refuses such a text on save)."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return str(values.get(name, "")) if name in PLACEHOLDERS else match.group(0)

    return _PATTERN.sub(substitute, text or "")
