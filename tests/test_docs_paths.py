"""The docs name only files that exist (issue 14).

Every path in README.md and docs/**/*.md whose first part is a file or folder at the top of the
repository (``arrears/routing.py``, ``docs/adr/0023-…``, ``tests/…``) must exist, as must the target of
every relative Markdown link and every decision record cited by number (``docs/adr/0064``). A file that
moves takes its docs along, or this test names the doc and the line that still point at the old place.

Not checked: URLs (``/queue/``), runtime folders that are not in the repository (``var/inbox/``), names
without a folder (``figures.py`` in a paragraph about ``reporting/``) and dotted module names.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
#: Top-level names a doc may point into; ``var/`` (created at run time) is not one of them.
TOP_LEVEL = {path.name for path in ROOT.iterdir() if not path.name.startswith(".")} - {"var", "staticfiles"}
#: A path-like word: letters, digits and ``_ . - /``, plus the placeholders a doc may use inside a path.
WORD = re.compile(r"[\w.\-/<>…*{}]+")
#: Where a placeholder starts, only the folder before it is checked (``ledger/importing/…``).
PLACEHOLDER = re.compile(r"[<>…*{}]")
LINK = re.compile(r"\]\(([^)\s]+)\)")
ADR_NUMBER = re.compile(r"docs/adr/(\d{4})(?![\w-])")


def _paths(text):
    """``(line number, path)`` for every repository path in ``text``."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in WORD.finditer(line):
            word = match.group().rstrip(".-")
            if match.start() > 0 and line[match.start() - 1] in "/:.":  # a URL's path, ``.venv/…``
                continue
            first = word.split("/", 1)[0]
            if first not in TOP_LEVEL or ("/" not in word and "." not in first):
                continue
            cut = PLACEHOLDER.search(word)
            if cut:
                word = word[: cut.start()].rsplit("/", 1)[0] + "/"
            if ADR_NUMBER.match(word):
                continue  # checked by number below
            yield number, word


def _problems(text, doc):
    """What ``text``, read as the doc at ``doc``, names that does not exist."""
    name = doc.relative_to(ROOT)
    for number, path in _paths(text):
        if not (ROOT / path).exists():
            yield f"{name}:{number}: {path}"
    for number, line in enumerate(text.splitlines(), start=1):
        for target in LINK.findall(line):
            target = target.split("#", 1)[0]
            if not target or re.match(r"[a-z]+:", target):
                continue
            if not (doc.parent / target).exists():
                yield f"{name}:{number}: link {target}"
        for adr in ADR_NUMBER.findall(line):
            if not list((ROOT / "docs" / "adr").glob(f"{adr}-*.md")):
                yield f"{name}:{number}: docs/adr/{adr}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_doc_names_only_existing_files(doc):
    assert list(_problems(doc.read_text(encoding="utf-8"), doc)) == []


def test_the_checker_finds_what_is_missing():
    text = (
        "Moved: `arrears/importing/values.py` (now `ledger/importing/values.py`), see [ADR 0010]"
        "(adr/0010-copy-based-ledger-import.md) and [nothing](adr/0099-nothing.md),\n"
        "docs/adr/0064 and docs/adr/0098; `ledger/importing/…`, `/queue/`, `var/inbox/`, https://x.nl/docs/y.md."
    )
    assert list(_problems(text, ROOT / "docs" / "example.md")) == [
        "docs/example.md:1: arrears/importing/values.py",
        "docs/example.md:1: link adr/0099-nothing.md",
        "docs/example.md:2: docs/adr/0098",
    ]
