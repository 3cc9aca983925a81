"""Issue 20, minimal by design: on a seeded world no household without an open or recent arrears
episode holds a person; past the windows nothing personal is left in any table or file; the figures
do not change. Plus the clean-up of an existing installation, audit retention, subject access."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone, translation

from arrears import holding
from arrears.models import Case, Signal
from households.models import PERSONAL_FIELDS, Household
from ledger.models import ArrearsState, LedgerImport, LedgerLine
from partners.models import AuditEvent, Municipality, Partner
from privacy import retention
from privacy.models import PurgeRun
from privacy.services.requests import household_export
from privacy.services.retention import (
    household_erase,
    import_files_purge,
    ledger_window_purge,
    personal_data_purge,
    strip_households,
)
from reporting.ddas import build_document
from reporting.figures import compute_week
from reporting.weeks import Week
from tests.arrears.factories import CaseFactory, SignalFactory
from tests.households.factories import HouseholdFactory, TenancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TIJDIG_INBOX_DIR = tmp_path / "inbox"
    return tmp_path


def has_person(household):
    return any(getattr(household, f) != empty for f, empty in PERSONAL_FIELDS.items())


def figures(now):
    """Every dashboard's figures of the last four weeks and every municipality's DDAS export."""
    today = timezone.localdate(now)
    weeks = [Week.containing(today - dt.timedelta(weeks=n)) for n in range(4)]
    result = {"dashboards": [compute_week(p, w, now=now) for p in Partner.objects.order_by("pk") for w in weeks]}
    for municipality in Municipality.objects.filter(social_services__isnull=False).distinct():
        document, households = build_document(
            municipality=municipality, date_from=today - dt.timedelta(days=400), date_to=today, now=now
        )
        result[municipality.code] = (document, households)
    return result


def personal_values(households):
    values = set()
    for h in households:
        values |= {h.name, h.phone, h.email, h.address_line}
        if h.date_of_birth:
            values.add(h.date_of_birth.isoformat())
    return {v for v in values if v and len(v) >= 6}


def text_in_tables():
    """Every text and JSON column of every model, as one string per row value."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not columns:
            continue
        for row in model.objects.values_list(*columns).iterator(chunk_size=5_000):
            for value in row:
                if value not in (None, "", {}, []):
                    yield model._meta.label, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def test_seeded_world_holds_people_only_in_arrears_and_nothing_once_their_period_has_passed(data_dir, monkeypatch):
    # Seed as an installation from before this rule: everyone with their personal data.
    monkeypatch.setattr("demo.management.commands.seed_demo.households_to_strip", lambda: Household.objects.none())
    call_command("seed_demo", households=60, force=True, verbosity=0)
    moment = timezone.now()
    before = figures(moment)
    assert sum(has_person(h) for h in Household.objects.all()) == 60

    # The clean-up an existing installation runs (what the nightly purge and the seed do).
    strip_households(retention.households_to_strip())
    ledger_window_purge(now=timezone.now())
    import_files_purge(now=timezone.now() + dt.timedelta(days=8))
    held = set(Household.objects.filter(holding.person_held_q()).values_list("pk", flat=True))
    assert 0 < len(held) < 60
    for household in Household.objects.all():
        assert has_person(household) == (household.pk in held), household.pk
    assert figures(moment) == before  # the dashboards and the DDAS export count as before

    # Years later, past every period and window: the people whose period passed are gone everywhere.
    people = list(Household.objects.filter(holding.person_held_q()))
    # An open case or an open episode (arrears not cleared) keeps its household's data in use.
    stay = set(Case.objects.exclude(state="closed").values_list("household_id", flat=True))
    stay |= set(Signal.objects.filter(status=Signal.Status.OPEN).values_list("household_id", flat=True))
    gone = [h for h in people if h.pk not in stay]
    assert gone
    values = personal_values(gone) - personal_values(Household.objects.filter(pk__in=stay))
    as_of = timezone.localdate() + dt.timedelta(days=3 * 365)
    call_command("purge_personal_data", "--as-of", as_of.isoformat(), stdout=io.StringIO())

    found = [(label, v) for label, text in text_in_tables() for v in values if v in text]
    assert found == []
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", "replace")
            assert not [v for v in values if v in content], path
    assert not LedgerImport.objects.exclude(file="").exists()
    assert not any(p.is_file() for p in (data_dir / "media").rglob("*"))
    assert not [e for imp in LedgerImport.objects.all() for e in imp.errors if "value" in e]
    cutoff = retention.ledger_cutoff(timezone.make_aware(dt.datetime.combine(as_of, dt.time(23, 59))))
    owing_from_before = ArrearsState.objects.filter(balance__gt=0, oldest_unpaid_due_date__lt=cutoff)
    old = LedgerLine.objects.filter(booking_date__lt=cutoff).exclude(tenancy_id__in=owing_from_before.values("pk"))
    assert not old.exists()


def test_an_existing_installation_is_cleaned_up_with_a_dry_run_and_a_logged_report(db):
    in_arrears = SignalFactory().household
    without = TenancyFactory(household__phone="0612345678").household
    anonymised = HouseholdFactory(anonymised_at=timezone.now(), name="")
    assert has_person(without)

    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    would = int(out.getvalue().split("households_stripped")[1].split()[0])
    assert would >= 1
    without.refresh_from_db()
    assert has_person(without) and not PurgeRun.objects.exists()

    call_command("purge_personal_data", stdout=io.StringIO())
    without.refresh_from_db()
    in_arrears.refresh_from_db()
    assert not has_person(without) and without.tenancies.count() == 1 and without.anonymised_at is None
    assert has_person(in_arrears)
    run = PurgeRun.objects.get()
    assert run.counts["households_stripped"] == would
    assert AuditEvent.objects.get(object_type="privacy.PurgeRun").detail["counts"]["households_stripped"] == would
    anonymised.refresh_from_db()
    assert not has_person(anonymised)


def test_a_household_that_had_an_episode_but_never_a_case_loses_its_person_after_the_period(db):
    signal = SignalFactory(case=None, status=Signal.Status.CLOSED, closed_on=dt.date(2026, 1, 10))
    household = signal.household
    assert has_person(household)
    personal_data_purge(now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    household.refresh_from_db()
    assert has_person(household)
    personal_data_purge(now=dt.datetime(2026, 7, 11, tzinfo=dt.UTC))
    household.refresh_from_db()
    assert not has_person(household) and household.anonymised_at is not None


def test_the_audit_trail_keeps_its_own_period(db, settings):
    settings.TIJDIG = {**settings.TIJDIG, "AUDIT_RETENTION_MONTHS": 24}
    old = AuditEvent.objects.create(action="view", object_type="households.Household", object_id="1")
    AuditEvent.objects.filter(pk=old.pk).update(at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    recent = AuditEvent.objects.create(action="view", object_type="households.Household", object_id="2")
    counts, _ = personal_data_purge(now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert counts["audit_events_deleted"] == 1
    assert list(AuditEvent.objects.filter(object_type="households.Household")) == [recent]


def test_purge_as_of_rejects_a_bad_date_and_a_dry_run_changes_nothing(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("purge_personal_data", "--as-of", "31-12-2030")
    household = TenancyFactory().household
    out = io.StringIO()
    call_command("purge_personal_data", "--as-of", "2030-12-31", "--dry-run", stdout=out)
    assert "as of 2030-12-31" in out.getvalue()
    household.refresh_from_db()
    assert has_person(household) and not PurgeRun.objects.exists()


def test_subject_access_says_plainly_what_is_and_is_not_held(world):
    corp = world.corp_a
    in_arrears = CaseFactory(household__corporation=corp).household
    paying = TenancyFactory(household__corporation=corp).household
    strip_households(Household.objects.filter(pk=paying.pk))
    paying.refresh_from_db()

    held = household_export(household=in_arrears, by=None, partner=corp)
    assert held["personal_data"]["held"] is True and held["household"]["name"] == in_arrears.name
    with translation.override("en"):
        not_held = household_export(household=paying, by=None, partner=corp)
    assert not_held["personal_data"]["held"] is False
    assert "No name, date of birth, contact details or address are held" in not_held["personal_data"]["statement"]
    assert not_held["household"]["name"] == "" and not_held["tenancies"]
    # Erasure works for a tenancy without a person as well: its tenancy and ledger go.
    household_erase(household=paying, by=None)
    paying.refresh_from_db()
    assert paying.anonymised_at is not None and not paying.tenancies.exists()
    with translation.override("en"):
        gone = household_export(household=paying, by=None, partner=corp)["personal_data"]
    assert gone["held"] is False and "No personal details are held any more" in gone["statement"]


def test_the_imports_sql_and_the_purges_rule_agree_on_who_may_hold_personal_data(world):
    """``person_held_sql`` (the import's set-based fill, a correlated EXISTS on the file's households) is
    the same rule as ``person_held_q`` (the purge): one household of each kind, both must pick the same."""
    from django.db import connection

    corp = world.corp_a
    with_case = CaseFactory(household__corporation=corp).household
    with_signal = SignalFactory(tenancy=TenancyFactory(household__corporation=corp), case=None).household
    paying = TenancyFactory(household__corporation=corp).household
    anonymised = CaseFactory(household__corporation=corp, household__anonymised_at=timezone.now()).household
    ids = [with_case.pk, with_signal.pk, paying.pk, anonymised.pk]
    by_q = set(Household.objects.filter(holding.person_held_q(), pk__in=ids).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT h.id FROM households_household h WHERE " + holding.person_held_sql("h"))
        by_sql = {row[0] for row in cursor.fetchall()} & set(ids)
    assert by_q == by_sql == {with_case.pk, with_signal.pk}
