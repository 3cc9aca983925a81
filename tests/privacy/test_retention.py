"""Retention (docs/domain.md §10): which cases and households expire, and what the purge leaves behind."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from arrears.models import Case, CaseEvent, ContactAttempt, Note, Referral, Signal
from arrears.workflow import CaseState
from households.models import Household, Tenancy
from ledger.models import ArrearsState, LedgerLine
from partners.models import AuditEvent
from privacy import retention
from privacy.models import PurgeRun
from privacy.services.retention import COUNT_KEYS, personal_data_purge
from tests.arrears.factories import (
    CaseEventFactory,
    CaseFactory,
    ContactAttemptFactory,
    NoteFactory,
    ReferralFactory,
    SignalFactory,
)
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.ledger.factories import ArrearsSnapshotFactory, ArrearsStateFactory, LedgerLineFactory
from tests.partners.factories import SocialServiceFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=AMS)


def at(year, month, day):
    return dt.datetime(year, month, day, 12, 0, tzinfo=AMS)


def closed_case(*, opened, closed, signalled=None, taken_up=None, household=None, **kwargs):
    return CaseFactory(
        household=household or HouseholdFactory(),
        state=CaseState.CLOSED,
        opened_at=opened,
        signalled_at=signalled,
        taken_up_at=taken_up,
        closed_at=closed,
        **kwargs,
    )


def test_months_before_clamps_to_the_end_of_shorter_months():
    assert retention.months_before(at(2026, 3, 31), 1) == at(2026, 2, 28)
    assert retention.months_before(at(2028, 3, 31), 1) == at(2028, 2, 29)
    assert retention.months_before(at(2026, 11, 1), 18) == at(2025, 5, 1)


@pytest.mark.parametrize(
    ("case", "expired"),
    [
        # Never taken up: 6 months after the signal (or the flag, if it never left the corporation).
        ({"opened": at(2026, 3, 1), "closed": at(2026, 4, 1)}, True),
        ({"opened": at(2026, 5, 2), "closed": at(2026, 6, 1)}, False),
        ({"opened": at(2026, 1, 1), "signalled": at(2026, 5, 1), "closed": at(2026, 5, 20)}, True),
        ({"opened": at(2026, 1, 1), "signalled": at(2026, 5, 2), "closed": at(2026, 5, 20)}, False),
        # Taken up: 12 months after take-up and 18 months after closure.
        ({"opened": at(2024, 1, 1), "taken_up": at(2024, 2, 1), "closed": at(2025, 5, 1)}, True),
        ({"opened": at(2024, 1, 1), "taken_up": at(2024, 2, 1), "closed": at(2025, 5, 2)}, False),
    ],
    ids=["not-taken-up-7m", "not-taken-up-5m", "signalled-6m", "signalled-just-under", "closed-18m", "closed-17m"],
)
def test_which_closed_cases_expire(case, expired):
    closed_case(**case)
    assert retention.cases_due(NOW).exists() is expired


def test_open_cases_never_expire():
    sd = SocialServiceFactory()
    CaseFactory(opened_at=at(2020, 1, 1), signalled_at=at(2020, 2, 1), state=CaseState.SIGNALLED, queue_partner=sd)
    CaseFactory(opened_at=at(2020, 1, 1), taken_up_at=at(2020, 2, 1), state=CaseState.TAKEN_UP, queue_partner=sd)
    assert not retention.cases_due(NOW).exists()
    assert not retention.households_due(NOW).exists()


def test_periods_come_from_settings(settings):
    closed_case(opened=at(2026, 3, 1), closed=at(2026, 4, 1))
    settings.TIJDIG = {**settings.TIJDIG, "RETENTION_NOT_TAKEN_UP_MONTHS": 9}
    assert not retention.cases_due(NOW).exists()


@pytest.fixture
def expired_household():
    """A household with one expired case and everything personal that hangs off it."""
    household = HouseholdFactory(phone="0612345678", email="j@example.nl", date_of_birth=dt.date(1980, 1, 1))
    tenancy = TenancyFactory(household=household)
    case = closed_case(
        opened=at(2026, 1, 5), closed=at(2026, 3, 1), household=household, eviction_date=dt.date(2026, 4, 1)
    )
    SignalFactory(tenancy=tenancy, case=case, status=Signal.Status.CLOSED, closed_on=dt.date(2026, 2, 20))
    NoteFactory.create_batch(2, case=case)
    ContactAttemptFactory(case=case)
    ReferralFactory(case=case)
    CaseEventFactory(case=case, data={"amount": "700.00"})
    LedgerLineFactory.create_batch(3, tenancy=tenancy)
    ArrearsStateFactory(tenancy=tenancy)
    ArrearsSnapshotFactory(tenancy=tenancy)
    return household


def test_purge_anonymises_the_household_and_keeps_anonymous_counts(expired_household):
    kept = closed_case(opened=at(2026, 9, 1), closed=at(2026, 10, 1))  # another household, within period
    counts, run = personal_data_purge(now=NOW)

    assert counts == {
        "cases_anonymised": 1,
        "notes_deleted": 2,
        "contact_attempts_anonymised": 1,
        "referrals_anonymised": 1,
        "case_events_anonymised": 1,
        "payment_arrangements_anonymised": 0,
        "households_anonymised": 1,
        "tenancies_deleted": 1,
        "signals_deleted": 1,
        "ledger_lines_deleted": 3,
        "arrears_history_deleted": 1,
        **dict.fromkeys(COUNT_KEYS[11:], 0),
    }
    household = Household.objects.get(pk=expired_household.pk)
    assert household.anonymised_at == NOW
    assert (household.name, household.surname, household.street, household.postcode, household.phone) == ("",) * 5
    assert household.email == "" and household.date_of_birth is None and household.house_number is None
    assert household.municipality_id == "0505"  # aggregates by place stay possible
    assert not Tenancy.objects.filter(household=household).exists()
    assert not Signal.objects.filter(household=household).exists()
    assert not LedgerLine.objects.exists() and not ArrearsState.objects.exists()

    case = Case.objects.get(household=household)
    assert case.anonymised_at == NOW and case.eviction_date is None
    assert case.state == CaseState.CLOSED and case.closed_at == at(2026, 3, 1)  # the row stays for counts
    assert not Note.objects.filter(case=case).exists()
    attempt = ContactAttempt.objects.get(case=case)
    assert attempt.outcome == "" and attempt.kind == "Telefoon" and attempt.reached
    assert Referral.objects.get(case=case).reason == ""
    event = CaseEvent.objects.get(case=case)
    assert event.reason == "" and event.data == {}

    assert Household.objects.get(pk=kept.household_id).anonymised_at is None
    assert run.trigger == PurgeRun.Trigger.SCHEDULE and run.counts == counts and run.finished_at
    audit = AuditEvent.objects.get(object_type="privacy.PurgeRun")
    assert audit.action == "delete" and audit.detail == {"counts": counts} and audit.object_id == str(run.pk)


def test_purge_is_idempotent(expired_household):
    personal_data_purge(now=NOW)
    counts, _run = personal_data_purge(now=NOW)
    assert set(counts.values()) == {0}
    assert PurgeRun.objects.count() == 2


def test_dry_run_counts_what_the_real_run_does_and_changes_nothing(expired_household):
    planned, run = personal_data_purge(now=NOW, dry_run=True)
    assert run is None
    assert PurgeRun.objects.count() == 0
    assert Household.objects.get(pk=expired_household.pk).anonymised_at is None
    assert Note.objects.count() == 2
    done, _run = personal_data_purge(now=NOW)
    assert planned == done


def test_household_waits_for_its_last_case(expired_household):
    later = closed_case(opened=at(2026, 8, 1), closed=at(2026, 9, 1), household=expired_household)
    NoteFactory(case=later)
    counts, _run = personal_data_purge(now=NOW)
    assert counts["cases_anonymised"] == 1 and counts["households_anonymised"] == 0
    assert Note.objects.filter(case=later).count() == 1
    assert Household.objects.get(pk=expired_household.pk).name != ""


def test_household_with_open_arrears_is_kept(expired_household):
    SignalFactory(tenancy=expired_household.tenancies.get(), status=Signal.Status.OPEN)
    counts, _run = personal_data_purge(now=NOW)
    assert counts["households_anonymised"] == 0


def test_command_dry_run_prints_counts(expired_household, capsys):
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("Dry run: would purge")
    assert "households_anonymised" in out
    assert PurgeRun.objects.count() == 0
    call_command("purge_personal_data")
    assert capsys.readouterr().out.startswith("Purged (run ")
    assert PurgeRun.objects.get().trigger == PurgeRun.Trigger.COMMAND


def test_nightly_task_is_scheduled_and_purges(expired_household, settings):
    from config.celery import app
    from privacy.tasks import purge_personal_data

    entry = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert entry["task"] == purge_personal_data.name
    assert entry["task"] in app.tasks
    assert purge_personal_data.acks_late
    result = purge_personal_data.delay().get()
    assert result["households_anonymised"] == 1


def test_the_retention_log_is_read_only_in_the_admin(expired_household, admin_client):
    personal_data_purge(trigger=PurgeRun.Trigger.COMMAND)
    run = PurgeRun.objects.get()
    assert admin_client.get(reverse("admin:privacy_purgerun_changelist")).status_code == 200
    change = admin_client.get(reverse("admin:privacy_purgerun_change", args=[run.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert admin_client.get(reverse("admin:privacy_purgerun_add")).status_code == 403
    delete = admin_client.post(reverse("admin:privacy_purgerun_delete", args=[run.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert PurgeRun.objects.filter(pk=run.pk).exists()
