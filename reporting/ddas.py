"""The national monitor export: DDAS Vroegsignalering v0.9 (VNG's *Uitwisselmodel*) for one municipality
and period, validated against the standard's JSON schema before anyone gets it.

Which signals: the arrears signals of households in the municipality whose case reached a social service
covering it (routed to its queue, or referred to it) during the period; ``signaaldatum`` is that day.
Each case with its signals is a *vroegsignaalzaak* with the social service's contact attempts, the day
it was taken up and its final result. The values come straight from ``arrears.vocabularies``.

The document carries personal data (name, date of birth, address): every export is written to the audit
trail, one ``AuditEvent`` per household plus one for the export itself. Corporations never send a BSN,
so there is none.
"""

import datetime as dt
import json
from decimal import ROUND_HALF_UP
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from arrears.models import Case, ContactAttempt, Referral, Signal
from arrears.vocabularies import SignalStatus
from ledger.models import ArrearsSnapshot
from partners import audit, bounds
from partners.errors import DomainError
from partners.models import AuditEvent, Municipality, Partner
from reporting.sql import LocalDate, without_jit
from reporting.weeks import local_tz

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "ddas-v0.9-uitwisselmodel.json"
NOT_TAKEN_UP = {status.value for status in SignalStatus} - {SignalStatus.NOT_YET_TAKEN_UP.value}


class DdasExportError(DomainError):
    """The export cannot be made (or would not be valid DDAS); the message says why."""


@lru_cache(maxsize=1)
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validation_errors(document):
    """Readable schema violations: ``leveringen/0/vroegsignalen/3/bedrag: '12.5' is not of type 'integer'``."""
    errors = sorted(_validator().iter_errors(document), key=lambda error: list(map(str, error.absolute_path)))
    return [f"{'/'.join(map(str, error.absolute_path)) or '(document)'}: {error.message}" for error in errors]


def _midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=local_tz())


def _delivered_at(services, case="pk"):
    """When the case reached one of the social services: routed to it, or else first referred to it (a
    referral that was withdrawn or declined delivered nothing)."""
    referred = Referral.objects.filter(
        case=OuterRef(case),
        to_partner__in=services,
        status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED],
    )
    signalled = "signalled_at" if case == "pk" else "case__signalled_at"
    return Coalesce(signalled, Subquery(referred.order_by("created_at").values("created_at")[:1])), Exists(referred)


def delivered_cases(municipalities, services):
    """The cases whose households live in ``municipalities`` and that reached one of ``services`` — routed
    to its queue (signalled), or referred to it (a pending or accepted referral) — with ``delivered_at``,
    when. The export's rule for which signals it carries; the dashboard's monitor figures
    (``reporting.monitor``) count the same cases, so its quarters match the export's."""
    delivered_at, referred = _delivered_at(services)
    return (
        Case.objects.filter(household__municipality__in=municipalities)
        .filter(Q(queue_partner__in=services, signalled_at__isnull=False) | referred)
        .annotate(delivered_at=delivered_at, referred=referred)
    )


def _delivered_cases(municipality, services, date_from, date_to):
    return (
        delivered_cases([municipality], services)
        .filter(delivered_at__gte=_midnight(date_from), delivered_at__lt=_midnight(date_to + dt.timedelta(days=1)))
        .select_related("household")
        .order_by("delivered_at", "pk")
    )


def _signals(cases, services):
    """The cases' signals with the day each was signalled: the case's delivery, or the signal's own
    opening if it came later."""
    delivered_at, _referred = _delivered_at(services, case="case_id")
    balance_then = ArrearsSnapshot.objects.filter(
        tenancy=OuterRef("tenancy_id"), as_of__gte=OuterRef("opened_on"), as_of__lte=OuterRef("delivered_on")
    ).order_by("-as_of")
    signals = (
        Signal.objects.filter(case__in=[case.pk for case in cases])
        .annotate(delivered_on=LocalDate(delivered_at))
        .annotate(balance_then=Subquery(balance_then.values("balance")[:1]))
        .order_by("case_id", "opened_on", "pk")
    )
    by_case = {}
    for signal in signals:
        by_case.setdefault(signal.case_id, []).append((signal, max(signal.delivered_on, signal.opened_on)))
    return by_case


def _amount_on(signal, day):
    """Whole euros on the signal day: the current amount if it has not changed since, else the balance
    history, else the amount when flagged."""
    if signal.updated_on <= day:
        amount = signal.amount
    elif signal.balance_then is not None:
        amount = max(signal.balance_then, 0)
    else:
        amount = signal.amount_at_open
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def _status(case):
    if case.taken_up_at is not None:
        return None
    if case.closed_at is not None:
        # The DDAS final result, a corporation's own outcome mapped where it has one (arrears.outcomes).
        return case.ddas_result if case.ddas_result in NOT_TAKEN_UP else None
    return SignalStatus.NOT_YET_TAKEN_UP.value


def _client(household):
    fields = {
        "Voorletters": household.initials,
        "Voorvoegsel": household.surname_prefix,
        "Achternaam": household.surname or household.name,
        "Geboortedatum": household.date_of_birth.isoformat() if household.date_of_birth else "",
        "Straatnaam": household.street,
        "Postcode": household.postcode.replace(" ", ""),
        "Huisnummer": str(household.house_number) if household.house_number else "",
        "Huisnummertoevoeging": household.house_number_suffix,
        "Plaatsnaam": household.city,
    }
    return {key: value for key, value in fields.items() if value}


def _signal_item(signal, day, case):
    item = {
        "ID": f"TIJDIG-{signal.pk}",
        "crisissignaal": case.is_crisis,
        "warmeOverdracht": bool(case.warm_handover or case.referred),
        "bedrag": _amount_on(signal, day),
        "ontstaansdatum": signal.origin_date.isoformat(),
        "signaaldatum": day.isoformat(),
        "signaalpartner": {"type": signal.partner_type},
        "client": _client(case.household),
    }
    status = _status(case)
    if status:
        item["status"] = status
    return item


def _attempt_item(attempt):
    item = {"soort": attempt.kind, "bereikt": attempt.reached, "datum": attempt.date.isoformat()}
    if attempt.part_of_day:
        item["dagdeel"] = attempt.part_of_day
    return item


def _case_item(case, signals, attempts):
    item = {
        "vroegsignalen": [{"ID": f"TIJDIG-{signal.pk}"} for signal, _day in signals],
        "contactpogingen": [_attempt_item(attempt) for attempt in attempts],
    }
    if case.taken_up_at:
        item["datum_opgepakt"] = timezone.localtime(case.taken_up_at).date().isoformat()
    if case.closed_at and case.ddas_result:
        item["resultaat"] = case.ddas_result
    return item


def build_document(*, municipality: Municipality, date_from, date_to, social_service: Partner | None = None, now=None):
    """The export as a dict (not yet validated or audited); also returns the households it names."""
    if not (bounds.is_business_date(date_from) and bounds.is_business_date(date_to)):
        raise DdasExportError(str(bounds.DATE_RANGE_MESSAGE))  # 9999-12-31 + 1 day would overflow below
    if date_from > date_to:
        raise DdasExportError(_("The period starts after it ends."))
    services = (
        [social_service]
        if social_service
        else list(Partner.objects.filter(kind=Partner.Kind.SOCIAL_SERVICE, municipalities=municipality))
    )
    if not services:
        raise DdasExportError(_("No social service covers %(municipality)s.") % {"municipality": municipality})
    with without_jit():
        cases = list(_delivered_cases(municipality, services, date_from, date_to))
        signals = _signals(cases, services)
        attempts = {}
        for attempt in ContactAttempt.objects.filter(case__in=list(signals), partner__in=services).order_by("date"):
            attempts.setdefault(attempt.case_id, []).append(attempt)
    cases = [case for case in cases if case.pk in signals]  # a DDAS case refers to at least one signal
    supplier = services[0]
    organisation = {"naam": supplier.name}
    if supplier.kvk_number:
        organisation["kvk-nummer"] = supplier.kvk_number
    delivery = {
        "teller": 1,
        "gemeentecode": municipality.code,
        "aanleverende_organisatie": organisation,
        "vroegsignalen": [_signal_item(s, day, case) for case in cases for s, day in signals[case.pk]],
        "vroegsignaalzaken": [_case_item(case, signals[case.pk], attempts.get(case.pk, [])) for case in cases],
    }
    document = {
        "codeGegevensleverancier": settings.TIJDIG["DDAS_SUPPLIER_CODE"],
        "startdatumLevering": date_from.isoformat(),
        "einddatumLevering": date_to.isoformat(),
        "aanleverdatumEnTijd": (now or timezone.now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "leveringen": [delivery],
    }
    return document, sorted({case.household_id for case in cases})


def monitor_export(*, municipality, date_from, date_to, social_service=None, user=None, channel="", now=None) -> dict:
    """Build, validate and audit the export. Raises :class:`DdasExportError` if it would not be valid."""
    document, household_ids = build_document(
        municipality=municipality, date_from=date_from, date_to=date_to, social_service=social_service, now=now
    )
    errors = validation_errors(document)
    if errors:
        message = _("The export does not match the DDAS schema: %(errors)s")
        raise DdasExportError(message % {"errors": "; ".join(errors[:5])})
    detail = {
        "export": "ddas-vroegsignalering-0.9",
        "municipality": municipality.code,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
    }
    summary = {**detail, "signals": len(document["leveringen"][0]["vroegsignalen"]), "households": len(household_ids)}
    with transaction.atomic():
        audit.record_many(
            user=user,
            action=AuditEvent.Action.EXPORT,
            object_type="households.Household",
            rows=[(pk, pk) for pk in household_ids],
            channel=channel,
            detail=detail,
        )
        audit.record(
            user=user,
            action=AuditEvent.Action.EXPORT,
            obj=municipality,
            channel=channel,
            detail=summary,
            partner=social_service,
        )
    return document
