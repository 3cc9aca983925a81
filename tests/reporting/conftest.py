"""A small fixed world whose weekly figures were worked out by hand (see ``test_figures.py``).

Week 2026-W10 runs from Monday 2 March to Sunday 8 March 2026 (CET, UTC+1; no public holidays), and
"now" is Wednesday 18 March 2026 12:00, in week W12. Corporation A's cases (neighbourhoods N1, N2 in
district 01 and N3 in district 02 of Dordrecht, Z1 in Zwijndrecht):

case  nbh  opened (local)     contact attempts by A               other
a1    N1   Mon 03-02 00:00    03-04 no, 03-06 reached             open
a2    N1   Sun 03-08 23:30    –                                   open        (W10, 22:30 UTC)
a3    N1   Mon 03-09 00:30    –                                   open        (W11, but Sunday 23:30 UTC)
a4    N1   Tue 03-03 10:00    03-05 reached                       closed 03-06 14:00 "paid"
a5    N1   Wed 03-04 09:00    03-12 no                            referred to SD 02-27 (pending)
a6    N2   Mon 02-23 09:00    03-02 reached                       respite to 03-31; referred 03-03, accepted 03-04
a7    N2   Tue 02-24 09:00    –                                   referred 03-05, declined 03-09
a8    N3   Wed 02-25 09:00    –                                   closed Sun 03-08 23:30 "no contact"
a9    Z1   Thu 03-05 09:00    –  (SD: 03-09 no, 03-10 reached)    signalled to SD 03-06 09:00, taken up 03-10
a10   N1   Mon 01-05 09:00    01-06 no                            Case.respite_until 03-07, no notes
a11   N1   Tue 01-06 09:00    01-07 reached                       respite note 01-20 → 03-20, ended 03-10
a12   N1   Sun 03-01 23:59    03-06 reached                       open

Corporation B: b1, b2, b3 in N1 opened 03-03, 03-04, 03-05; b1 referred to SD 03-04, accepted 03-05.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from arrears.models import Case, ContactAttempt, Note, Referral
from arrears.vocabularies import FinalResult
from ledger.models import ArrearsSnapshot
from partners.models import Membership, Municipality, Neighbourhood
from tests.arrears.factories import CaseFactory, SignalFactory
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import MembershipFactory

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=AMS)


def at(month, day, hour=9, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=AMS)


def d(month, day):
    return dt.date(2026, month, day)


def _user(username, **fields):
    """Users who never type a password (the tests use ``force_login``): no costly password hashing."""
    return get_user_model().objects.create(username=username, **fields)


def _attempt(case, partner, day, reached, kind="Telefoon"):
    return ContactAttempt.objects.create(case=case, partner=partner, kind=kind, reached=reached, date=day)


def _referral(case, to, created, status="pending", decided=None):
    referral = Referral.objects.create(
        case=case, from_partner=case.corporation, to_partner=to, consent_on=created.date(), status=status
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=created, decided_at=decided)
    return referral


def _note(case, kind, created, until=None):
    note = Note.objects.create(
        case=case, partner=case.queue_partner, kind=kind, text="respijt", respite_until=until, shareable=True
    )
    Note.objects.filter(pk=note.pk).update(created_at=created)
    return note


@pytest.fixture
def fixed(world):
    dordrecht = world.dordrecht
    zwijndrecht = Municipality.objects.create(code="0642", name="Zwijndrecht")
    world.sd.municipalities.add(zwijndrecht)
    n1 = Neighbourhood.objects.create(code="BU05050101", name="Binnenstad", municipality=dordrecht)
    n2 = Neighbourhood.objects.create(code="BU05050102", name="Noordflank", municipality=dordrecht)
    n3 = Neighbourhood.objects.create(code="BU05050201", name="Stadspolder", municipality=dordrecht)
    z1 = Neighbourhood.objects.create(code="BU06420101", name="Centrum", municipality=zwijndrecht)
    a, b, sd = world.corp_a, world.corp_b, world.sd
    jan = _user("jan", first_name="Jan", last_name="Jansen")
    Membership.objects.create(user=jan, partner=a, role="caseworker")

    def case(corp, nbh, opened, **fields):
        household = HouseholdFactory(
            corporation=corp, municipality=nbh.municipality, neighbourhood=nbh, date_of_birth=dt.date(1980, 5, 17)
        )
        fields.setdefault("signalled_at", None)  # only a9 reached the social service
        return CaseFactory(household=household, opened_at=opened, **fields)

    c = SimpleNamespace()
    c.a1 = case(a, n1, at(3, 2, 0, 0), assignee=jan, state="in_progress")
    c.a2 = case(a, n1, at(3, 8, 23, 30))
    c.a3 = case(a, n1, at(3, 9, 0, 30))
    c.a4 = case(a, n1, at(3, 3, 10), state="closed", closed_at=at(3, 6, 14), outcome=FinalResult.PAID)
    c.a5 = case(a, n1, at(3, 4), assignee=jan, state="in_progress")
    c.a6 = case(a, n2, at(2, 23), respite_until=d(3, 31))
    c.a7 = case(a, n2, at(2, 24))
    c.a8 = case(a, n3, at(2, 25), state="closed", closed_at=at(3, 8, 23, 30), outcome=FinalResult.NO_CONTACT)
    c.a9 = case(a, z1, at(3, 5), queue_partner=sd, state="taken_up", signalled_at=at(3, 6), taken_up_at=at(3, 10, 11))
    c.a10 = case(a, n1, at(1, 5), respite_until=d(3, 7))
    c.a11 = case(a, n1, at(1, 6))
    c.a12 = case(a, n1, at(3, 1, 23, 59), assignee=jan, state="in_progress")
    c.b1 = case(b, n1, at(3, 3))
    c.b2 = case(b, n1, at(3, 4))
    c.b3 = case(b, n1, at(3, 5))

    _attempt(c.a1, a, d(3, 4), False)
    _attempt(c.a1, a, d(3, 6), True, kind="Huisbezoek")
    _attempt(c.a4, a, d(3, 5), True)
    _attempt(c.a5, a, d(3, 12), False, kind="Brief")
    _attempt(c.a6, a, d(3, 2), True)
    _attempt(c.a9, sd, d(3, 9), False)
    ContactAttempt.objects.create(
        case=c.a9, partner=sd, kind="Huisbezoek", reached=True, date=d(3, 10), part_of_day="Middag"
    )
    _attempt(c.a10, a, d(1, 6), False)
    _attempt(c.a11, a, d(1, 7), True)
    _attempt(c.a12, a, d(3, 6), True)

    _referral(c.a5, sd, at(2, 27))
    _referral(c.a6, sd, at(3, 3, 10), "accepted", at(3, 4, 15))
    _referral(c.a7, sd, at(3, 5), "declined", at(3, 9, 10))
    _referral(c.b1, sd, at(3, 4), "accepted", at(3, 5))

    _note(c.a6, Note.Kind.RESPITE_GRANTED, at(3, 3, 10), d(3, 31))
    _note(c.a11, Note.Kind.RESPITE_GRANTED, at(1, 20), d(3, 20))
    _note(c.a11, Note.Kind.RESPITE_ENDED, at(3, 10))

    def signal(case_, opened_on, amount, months, updated_on=None, closed_on=None, rent=Decimal("650.00")):
        tenancy = TenancyFactory(household=case_.household, monthly_rent=rent)
        return SignalFactory(
            tenancy=tenancy,
            case=case_,
            origin_date=opened_on - dt.timedelta(days=35),
            opened_on=opened_on,
            updated_on=updated_on or opened_on,
            amount_at_open=Decimal(amount),
            amount=Decimal(amount),
            peak_amount=Decimal(amount),
            months_of_rent=Decimal(months),
            status="closed" if closed_on else "open",
            closed_on=closed_on,
        )

    s = SimpleNamespace()
    s.s1 = signal(c.a1, d(3, 2), "700.00", "1.08")
    s.s2 = signal(c.a2, d(3, 8), "1400.00", "2.15")
    s.s3 = signal(c.a4, d(3, 3), "0.00", "0.00", updated_on=d(3, 6), closed_on=d(3, 6))
    s.s4 = signal(c.a6, d(2, 23), "2000.00", "3.08", updated_on=d(3, 10))
    ArrearsSnapshot.objects.create(tenancy=s.s4.tenancy, as_of=d(3, 1), balance=Decimal("1950.00"))
    ArrearsSnapshot.objects.create(tenancy=s.s4.tenancy, as_of=d(3, 10), balance=Decimal("2000.00"))
    s.s5 = signal(c.a7, d(2, 24), "300.00", "0.46")
    s.s6 = signal(c.a10, d(1, 5), "900.00", "1.38", updated_on=d(3, 15))
    s.s7 = signal(c.a9, d(3, 5), "500.50", "0.77")
    s.s8 = signal(c.a3, d(3, 9), "800.00", "1.23")

    managers = SimpleNamespace(
        a=MembershipFactory(user=_user("anna"), partner=a, role="manager").user,
        b=MembershipFactory(user=_user("bert"), partner=b, role="manager").user,
        sd=MembershipFactory(user=_user("sanne"), partner=sd, role="manager").user,
        sd_admin=MembershipFactory(user=_user("simon"), partner=sd, role="admin").user,
    )
    assert Case.objects.count() == 15
    return SimpleNamespace(
        world=world, cases=c, signals=s, managers=managers, n=(n1, n2, n3, z1), zwijndrecht=zwijndrecht, jan=jan
    )
