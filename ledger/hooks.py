"""The one seam between the ledger and the case work above it (docs/adr/0080).

An import applies a file in one database transaction. Inside that transaction, once the arrears state
is written, the case app flags the new and ended arrears episodes; only then does the import fill the
personal fields, and only for the households that may hold a person by the case app's rule
(docs/adr/0071). The ledger sits below the case app and never imports it: the case app registers these
two functions when Django starts (``arrears.apps.ArrearsConfig.ready``) and the import calls them here,
synchronously, in its own transaction — a failure in either rolls the whole file back.
"""

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


_registered: list[EpisodeHooks] = []


def register(hooks: EpisodeHooks) -> None:
    """Called once by the case app's ``ready()``; a second call replaces the first."""
    _registered[:] = [hooks]


def episode_hooks() -> EpisodeHooks:
    if not _registered:
        raise ImproperlyConfigured("The ledger import needs the case app: add 'arrears' to INSTALLED_APPS.")
    return _registered[0]
