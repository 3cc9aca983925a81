"""The personal-data purge (the rule lives in ``arrears.retention``): anonymise expired cases, then
remove the personal data of households with nothing left to keep. Set-based, one transaction, logged
as a ``PurgeRun`` and an ``AuditEvent`` with counts only."""

import logging

from django.db import transaction
from django.utils import timezone

from households.models import Household, Tenancy
from partners import audit
from partners.errors import NotAllowed
from partners.models import AuditEvent

from .. import retention
from ..models import (
    ArrearsSnapshot,
    ArrearsState,
    Case,
    CaseEvent,
    ContactAttempt,
    LedgerLine,
    Note,
    PaymentArrangement,
    PurgeRun,
    Referral,
    Signal,
)

logger = logging.getLogger(__name__)

#: Household fields that identify or locate a person; municipality and neighbourhood stay (aggregates).
HOUSEHOLD_PERSONAL_FIELDS = {
    "name": "",
    "initials": "",
    "surname_prefix": "",
    "surname": "",
    "date_of_birth": None,
    "phone": "",
    "email": "",
    "street": "",
    "house_number": None,
    "house_number_suffix": "",
    "postcode": "",
    "city": "",
}
COUNT_KEYS = [
    "cases_anonymised",
    "notes_deleted",
    "contact_attempts_anonymised",
    "referrals_anonymised",
    "case_events_anonymised",
    "payment_arrangements_anonymised",
    "households_anonymised",
    "tenancies_deleted",
    "signals_deleted",
    "ledger_lines_deleted",
    "arrears_history_deleted",
]


def _counts(case_ids, household_ids):
    return {
        "cases_anonymised": len(case_ids),
        "notes_deleted": Note.objects.filter(case_id__in=case_ids).count(),
        "contact_attempts_anonymised": ContactAttempt.objects.filter(case_id__in=case_ids).count(),
        "referrals_anonymised": Referral.objects.filter(case_id__in=case_ids).count(),
        "case_events_anonymised": CaseEvent.objects.filter(case_id__in=case_ids).count(),
        "payment_arrangements_anonymised": PaymentArrangement.objects.filter(case_id__in=case_ids).count(),
        "households_anonymised": len(household_ids),
        "tenancies_deleted": Tenancy.objects.filter(household_id__in=household_ids).count(),
        "signals_deleted": Signal.objects.filter(household_id__in=household_ids).count(),
        "ledger_lines_deleted": LedgerLine.objects.filter(tenancy__household_id__in=household_ids).count(),
        "arrears_history_deleted": ArrearsSnapshot.objects.filter(tenancy__household_id__in=household_ids).count(),
    }


def _anonymise(*, case_ids, household_ids, now):
    Note.objects.filter(case_id__in=case_ids).delete()
    ContactAttempt.objects.filter(case_id__in=case_ids).update(outcome="")
    Referral.objects.filter(case_id__in=case_ids).update(reason="", decision_reason="")
    CaseEvent.objects.filter(case_id__in=case_ids).update(reason="", data={})
    PaymentArrangement.objects.filter(case_id__in=case_ids).update(note="")
    Case.objects.filter(pk__in=case_ids).update(anonymised_at=now, eviction_date=None, routing_reason="")

    # The tenancy's contract number would tie a later import back to the old history: it goes,
    # with the ledger and signals hanging off it. A tenant still in the ledger returns as new.
    LedgerLine.objects.filter(tenancy__household_id__in=household_ids).delete()
    ArrearsSnapshot.objects.filter(tenancy__household_id__in=household_ids).delete()
    ArrearsState.objects.filter(tenancy__household_id__in=household_ids).delete()
    Signal.objects.filter(household_id__in=household_ids).delete()
    Tenancy.objects.filter(household_id__in=household_ids).delete()
    Household.objects.filter(pk__in=household_ids).update(anonymised_at=now, **HOUSEHOLD_PERSONAL_FIELDS)


def _log(*, run, by=None, household_id=None, reference=""):
    audit.record(
        user=by,
        action=AuditEvent.Action.DELETE,
        obj=run,
        household_id=household_id,
        channel=run.trigger,
        detail={"counts": run.counts, **({"reference": reference} if reference else {})},
    )
    logger.info("personal data purged", extra={"purge_run": run.pk, "trigger": run.trigger, **run.counts})


def personal_data_purge(*, trigger=PurgeRun.Trigger.SCHEDULE, now=None, dry_run=False):
    """Purge what has passed its retention period at ``now``. Returns ``(counts, run)``; with
    ``dry_run`` nothing changes and ``run`` is ``None``. Safe to run twice: the second finds nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        case_ids = list(retention.cases_due(now).values_list("pk", flat=True))
        household_ids = list(retention.households_due(now).values_list("pk", flat=True))
        counts = _counts(case_ids, household_ids)
        if dry_run:
            return counts, None
        run = PurgeRun.objects.create(trigger=trigger, reference_date=now, counts=counts)
        _anonymise(case_ids=case_ids, household_ids=household_ids, now=now)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        _log(run=run)
    return counts, run


def household_erase(*, household, by, reference=""):
    """Right of erasure: remove one household's personal data now, whatever the periods say.
    Refused (``partners.errors.NotAllowed``) while a case or signal about it is open. ``reference``:
    the privacy request's reference, kept in the audit row."""
    now = timezone.now()
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        refusal = retention.erasure_refusal(household)
        if refusal:
            raise NotAllowed(refusal)
        case_ids = list(
            Case.objects.filter(household=household, anonymised_at__isnull=True).values_list("pk", flat=True)
        )
        counts = _counts(case_ids, [household.pk])
        run = PurgeRun.objects.create(trigger=PurgeRun.Trigger.ERASURE, reference_date=now, counts=counts)
        _anonymise(case_ids=case_ids, household_ids=[household.pk], now=now)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        _log(run=run, by=by, household_id=household.pk, reference=reference)
    return run
