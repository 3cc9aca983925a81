"""factory_boy factories for the arrears app: signals, cases and what case work adds to them (referrals,
notes, contact attempts, events), the flagging rule, and the one builder of a flagged case."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from arrears import case_access
from arrears.models import Case, CaseEvent, ContactAttempt, FlaggingRule, Note, Referral, Signal
from arrears.workflow import CaseState
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.ledger.factories import ArrearsStateFactory
from tests.partners.factories import PartnerFactory, SocialServiceFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """A case as flagging leaves it, with the access routing would grant (like ``route_flagged_cases``).

    Give ``queue_partner`` a social service and it is a signal (``signalled``); pass ``grant_access=False``
    to get a case nobody has been given access to.
    """

    class Meta:
        model = Case
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    corporation = factory.SelfAttribute("household.corporation")
    queue_partner = factory.SelfAttribute("corporation")
    opened_at = factory.LazyFunction(timezone.now)
    state = factory.LazyAttribute(lambda o: CaseState.NEW if o.queue_partner == o.corporation else CaseState.SIGNALLED)
    signalled_at = factory.LazyAttribute(
        lambda o: None if o.state in (CaseState.NEW, CaseState.IN_PROGRESS) else o.opened_at
    )
    taken_up_at = factory.LazyAttribute(lambda o: o.opened_at if o.state == CaseState.TAKEN_UP else None)
    closed_at = factory.LazyAttribute(lambda o: o.opened_at if o.state == CaseState.CLOSED else None)

    @factory.post_generation
    def grant_access(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            case_access.sync_case_access(case_ids=[obj.pk])


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    from_partner = factory.SelfAttribute("case.corporation")
    to_partner = factory.SubFactory(SocialServiceFactory)
    consent_on = dt.date(2026, 11, 2)

    @factory.post_generation
    def grant_access(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            case_access.sync_case_access(case_ids=[obj.case_id])


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    tenancy = factory.SubFactory(TenancyFactory)
    household = factory.SelfAttribute("tenancy.household")
    corporation = factory.SelfAttribute("tenancy.corporation")
    origin_date = dt.date(2026, 9, 1)
    opened_on = dt.date(2026, 10, 5)
    updated_on = dt.date(2026, 10, 5)
    amount_at_open = Decimal("700.00")
    amount = Decimal("700.00")
    peak_amount = Decimal("700.00")
    months_of_rent = Decimal("1.08")
    days_overdue = 34


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    partner = factory.SelfAttribute("case.queue_partner")
    text = "Mevrouw belt terug na haar dienst."


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    case = factory.SubFactory(CaseFactory)
    partner = factory.SelfAttribute("case.queue_partner")
    kind = "Telefoon"
    reached = True
    date = dt.date(2026, 10, 6)
    outcome = "Meneer heeft schulden bij de zorgverzekeraar."


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    kind = CaseEvent.Kind.NOTE
    reason = "Op verzoek van mevrouw De Vries."


class FlaggingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlaggingRule
        django_get_or_create = ["partner"]

    partner = factory.SubFactory(PartnerFactory)


#: The date the checklist steps were done on, in ``checklist_done``.
DONE = dt.date(2026, 11, 2)


def checklist_done(**overrides):
    """Case field values for a complete Besluit art. 2 checklist."""
    values = {
        "reminder_sent_on": DONE,
        "contact_attempted_on": DONE,
        "pointed_to_help_on": DONE,
        "offered_to_share_on": DONE,
    }
    values.update(overrides)
    return values


def flagged_case(
    corporation, *, amount="700.00", months="1.08", days=34, previous=None, opened_days_ago=0, household=None, **case
):
    """What an import leaves for one arrears episode: a household of ``corporation`` with a tenancy, its
    arrears state and an open signal on a new case in the corporation's queue, with the access routing
    grants. The one builder of a flagged case (the case-work tests' ``flagged`` fixture is this function).

    ``household`` holds the household's fields (name, street, municipality, …); every other keyword is the
    case's (``queue_partner``, ``state``, checklist dates, ``grant_access=False``, …). The case opens
    ``opened_days_ago`` days ago, or at ``opened_at``; the signal opens that day."""
    amount, months = Decimal(amount), Decimal(months)
    opened_at = case.pop("opened_at", None) or timezone.now() - dt.timedelta(days=opened_days_ago)
    hh = HouseholdFactory(corporation=corporation, **(household or {}))
    tenancy = TenancyFactory(household=hh)
    ArrearsStateFactory(
        tenancy=tenancy,
        balance=amount,
        previous_balance=None if previous is None else Decimal(previous),
        months_of_rent=months,
        days_overdue=days,
    )
    flagged = CaseFactory(household=hh, opened_at=opened_at, **case)
    SignalFactory(
        tenancy=tenancy,
        case=flagged,
        amount=amount,
        amount_at_open=amount,
        peak_amount=amount,
        months_of_rent=months,
        days_overdue=days,
        opened_on=timezone.localdate(opened_at),
    )
    return flagged


def move_case(case, **changes):
    """Change a case's state/queue directly (as routing would) and re-derive who may see it."""
    for field, value in changes.items():
        setattr(case, field, value)
    case.save()
    case_access.sync_case_access(case_ids=[case.pk])
    return case
