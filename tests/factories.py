"""factory_boy factories for the domain, shared by all test modules."""

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from arrears import case_access
from arrears.models import Case, CaseEvent, ContactAttempt, FlaggingRule, Note, Referral, Signal
from arrears.workflow import CaseState
from households.models import Household, Tenancy
from ledger.models import ArrearsSnapshot, ArrearsState, ImportProfile, LedgerImport, LedgerLine
from partners.models import Agreement, Membership, Municipality, Neighbourhood, Partner, RoutingRule


@lru_cache(maxsize=16)
def _hashed(raw_password):
    return make_password(raw_password)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = "0505"
    name = "Dordrecht"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ["code"]

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.LazyAttribute(lambda o: f"BU{o.municipality.code}0101")
    name = "Binnenstad"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"corporatie-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = Partner.Kind.CORPORATION


class SocialServiceFactory(PartnerFactory):
    slug = factory.Sequence(lambda n: f"sociale-dienst-{n}")
    kind = Partner.Kind.SOCIAL_SERVICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Hashed once per distinct password (tests use the fast MD5 hasher, see tests/conftest.py).
    password = factory.django.Password("correct horse battery staple", transform=_hashed)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = "caseworker"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    corporation = factory.SubFactory(PartnerFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    social_service = factory.SubFactory(SocialServiceFactory)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    corporation = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"J. de Vries {n}")
    initials = "J."
    surname_prefix = "de"
    surname = factory.Sequence(lambda n: f"Vries {n}")
    street = "Voorstraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "3311 AA"
    city = "Dordrecht"
    municipality = factory.SubFactory(MunicipalityFactory)


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    household = factory.SubFactory(HouseholdFactory)
    corporation = factory.SelfAttribute("household.corporation")
    contract_number = factory.Sequence(lambda n: f"HC{n:06d}")
    monthly_rent = Decimal("650.00")
    start_date = dt.date(2020, 1, 1)


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    agreement = factory.SubFactory(AgreementFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Regel {n}")


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


class ArrearsStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrearsState

    tenancy = factory.SubFactory(TenancyFactory)
    as_of = dt.date(2026, 11, 2)
    balance = Decimal("700.00")
    months_of_rent = Decimal("1.08")
    days_overdue = 34


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


class LedgerImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerImport

    partner = factory.SubFactory(PartnerFactory)
    source = LedgerImport.Source.UPLOAD
    file_name = factory.Sequence(lambda n: f"export-{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")


class LedgerLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerLine

    tenancy = factory.SubFactory(TenancyFactory)
    ledger_import = factory.SubFactory(LedgerImportFactory, partner=factory.SelfAttribute("..tenancy.corporation"))
    booking_date = dt.date(2026, 9, 1)
    amount = Decimal("650.00")
    description = "Huur september"


class ArrearsSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrearsSnapshot

    tenancy = factory.SubFactory(TenancyFactory)
    as_of = dt.date(2026, 10, 5)
    balance = Decimal("700.00")


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


class ImportProfileFactory(factory.django.DjangoModelFactory):
    """How to read a corporation's export (issue 3); empty fields mean: detect."""

    class Meta:
        model = ImportProfile

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"profiel-{n}")


class FlaggingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlaggingRule
        django_get_or_create = ["partner"]

    partner = factory.SubFactory(PartnerFactory)


def flagged_case(corporation, *, amount="700.00", months="1.08", previous=None, opened_days_ago=0, **household):
    """A household of ``corporation`` with a tenancy, its arrears state and an open signal on a new case
    in the corporation's queue (with the access routing grants): what an import leaves for one episode."""
    amount = Decimal(amount)
    opened_at = timezone.now() - dt.timedelta(days=opened_days_ago)
    hh = HouseholdFactory(corporation=corporation, **household)
    tenancy = TenancyFactory(household=hh)
    ArrearsStateFactory(
        tenancy=tenancy,
        balance=amount,
        previous_balance=None if previous is None else Decimal(previous),
        months_of_rent=Decimal(months),
    )
    case = CaseFactory(household=hh, opened_at=opened_at)
    SignalFactory(
        tenancy=tenancy,
        case=case,
        amount=amount,
        amount_at_open=amount,
        peak_amount=amount,
        months_of_rent=Decimal(months),
        opened_on=timezone.localdate(opened_at),
    )
    return case


def move_case(case, **changes):
    """Change a case's state/queue directly (as routing would) and re-derive who may see it."""
    for field, value in changes.items():
        setattr(case, field, value)
    case.save()
    case_access.sync_case_access(case_ids=[case.pk])
    return case
