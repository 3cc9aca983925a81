"""Who may hold a person: a household's personal data are kept only while it has an arrears episode
or a case (docs/adr/0071). The ledger import fills them by this rule; the retention purge blanks the rest."""

from django.db.models import Exists, OuterRef, Q

from arrears.models import Case, Signal


def person_held_q() -> Q:
    """Households whose personal data Tijdig may hold: those with an arrears episode (a signal, open or
    closed) or a case that the purge has not removed yet. The purge removes a household's signals and
    anonymises it once the periods after its last episode and case have passed (:func:`households_due`),
    so "has a signal or a case" is "has an open or recent arrears episode"."""
    return Q(anonymised_at__isnull=True) & (
        Exists(Signal.objects.filter(household=OuterRef("pk"))) | Exists(Case.objects.filter(household=OuterRef("pk")))
    )


def person_held_sql(household: str) -> str:
    """:func:`person_held_q` as a SQL condition on the household table aliased ``household`` (the
    import's set-based update of the personal fields uses it)."""
    return (
        f"{household}.anonymised_at IS NULL AND ("
        f"EXISTS (SELECT 1 FROM arrears_signal hs WHERE hs.household_id = {household}.id) OR "
        f"EXISTS (SELECT 1 FROM arrears_case hc WHERE hc.household_id = {household}.id))"
    )
