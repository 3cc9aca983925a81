"""The one seam between the ledger and the case work above it (docs/adr/0080).

An import applies a file in one database transaction. Inside that transaction, once the arrears state
is written, the case app flags the new and ended arrears episodes; when the file has eviction columns,
the case app then records the eviction steps it gives on the tenancies' open cases
(docs/adr/0081-eviction-track.md); only then does the import fill the personal fields, and only for the
households that may hold a person by the case app's rule (docs/adr/0071). The ledger sits below the
case app and never imports it: the case app registers these functions when Django starts
(``arrears.apps.ArrearsConfig.ready``) and the import calls them here, synchronously, in its own
transaction — a failure in any of them rolls the whole file back.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EpisodeHooks:
    #: ``flag_import(*, ledger_import, now) -> dict``: open, update and close signals for the tenancies the
    #: import just wrote; returns counts for the import's summary.
    flag_import: Callable[..., dict]
    #: ``person_held_sql(alias) -> str``: the SQL condition, on a household table aliased ``alias``, that
    #: says the household may hold personal data.
    person_held_sql: Callable[[str], str]
    #: ``record_eviction_steps(*, ledger_import, steps, report) -> dict``: record the eviction steps the
    #: file gives (:class:`ImportedEvictionStep`, in the order given) on the tenancies' open cases; a step
    #: the case app refuses (e.g. a date in the future) is passed to ``report(line=, column=, value=, code=,
    #: reason=)`` as a row warning; returns counts for the import's summary.
    record_eviction_steps: Callable[..., dict]


@dataclass(frozen=True)
class ImportedEvictionStep:
    """One eviction step a ledger file gives for a tenancy, and where in the file it stands."""

    tenancy_id: int
    #: ``summons``, ``hearing``, ``judgment_granted``, ``judgment_refused``, ``announced``, ``executed``
    #: or ``cancelled`` (the case app's ``EvictionStep.Kind`` values).
    kind: str
    #: The step's date; for ``announced`` the eviction date (the announcement's own date is ``announced_on``).
    date: dt.date
    line: int
    column: str
    value: str
    announced_on: dt.date | None = None


_registered: list[EpisodeHooks] = []


def register(hooks: EpisodeHooks) -> None:
    """Called once by the case app's ``ready()``; a second call replaces the first."""
    _registered[:] = [hooks]


def episode_hooks() -> EpisodeHooks:
    if not _registered:
        raise ImproperlyConfigured("The ledger import needs the case app: add 'arrears' to INSTALLED_APPS.")
    return _registered[0]
