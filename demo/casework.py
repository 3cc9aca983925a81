"""Demo case work: what caseworkers at the corporations and the social service did with the flagged
households over the demo year, done through the real services so every timeline, permission and
routing decision is the one production would make.

An event-driven simulation: each flagged case gets a deterministic story (its random generator is
seeded by the case's contract number), whose steps are scheduled on a clock and carried out in time
order, interleaved with the ledger imports by the caller. The services read the time from
``django.utils.timezone.now``, which :func:`demo_clock` sets to the moment of each step. Steps that
would happen after "now" are not carried out: those cases are still open in today's queues.
"""

import contextlib
import datetime as dt
import heapq
import itertools
import random
from dataclasses import dataclass, field
from unittest import mock
from zoneinfo import ZoneInfo

from arrears.models import Case
from arrears.services import cases as case_services
from arrears.services import notes as note_services
from arrears.services import referrals as referral_services
from arrears.services import respite as respite_services
from arrears.vocabularies import ContactKind, CorporationOutcome, FinalResult, PartOfDay
from arrears.workdays import add_working_days
from arrears.workflow import OPEN_STATES, CaseState
from households.models import Tenancy
from partners.errors import DomainError
from partners.models import Membership, Role

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@contextlib.contextmanager
def demo_clock(moment: dt.datetime):
    """Make ``timezone.now()`` (and so ``auto_now_add`` and every service) return ``moment``."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


@dataclass(order=True)
class Step:
    when: dt.datetime
    seq: int
    case_id: int = field(compare=False)
    action: str = field(compare=False)


class CaseworkSimulation:
    """Schedules and carries out the demo case work. Call :meth:`schedule_new_cases` after each import
    and :meth:`run_until` before the next one."""

    def __init__(self, *, now: dt.datetime, households=None):
        self.now = now
        self.households = households  # a queryset of the households whose cases are worked; None: all
        self.queue: list[Step] = []
        self.seq = itertools.count()
        self.scheduled: set[int] = set()
        self.staff = self._staff()
        self.done = 0
        self.refused = 0
        self.keys: dict[int, str] = {}

    def _staff(self):
        staff = {}
        for membership in Membership.objects.select_related("user", "partner"):
            staff.setdefault((membership.partner_id, membership.role), []).append(membership.user)
        return staff

    def _worker(self, partner_id, rng):
        people = self.staff.get((partner_id, Role.CASEWORKER)) or self.staff.get((partner_id, Role.MANAGER))
        return rng.choice(people)

    def _rng(self, case, salt):
        """The case's story generator, seeded by what the demo makes the same every time (the tenancy's
        contract number and the day the case opened), never by database ids: those depend on what the
        database held before (a test run's sequences), and the demo world would differ with them."""
        if case.pk not in self.keys:
            contract = (
                Tenancy.objects.filter(household_id=case.household_id)
                .order_by("contract_number")
                .values_list("contract_number", flat=True)
                .first()
            )
            self.keys[case.pk] = f"{contract}-{case.opened_at:%Y%m%d}"
        return random.Random(f"casework-{self.keys[case.pk]}-{salt}")

    def _push(self, when, case_id, action):
        if when <= self.now:
            heapq.heappush(self.queue, Step(when, next(self.seq), case_id, action))

    def schedule_new_cases(self, *, flagged_at: dt.datetime):
        """Give every open case that has no story yet its first step: a caseworker picks it up."""
        cases = Case.objects.filter(state__in=OPEN_STATES).exclude(pk__in=self.scheduled)
        if self.households is not None:
            cases = cases.filter(household__in=self.households)
        for case in cases.only("pk", "household_id"):
            self.scheduled.add(case.pk)
            rng = self._rng(case, "claim")
            if rng.random() < 0.9:  # one in ten is still waiting for somebody to pick it up
                day = add_working_days(flagged_at.date(), rng.choice((0, 1, 1, 2, 3, 5)))
                self._push(at(day, rng.randint(8, 11), rng.choice((0, 15, 30, 45))), case.pk, "claim")

    def run_until(self, moment: dt.datetime):
        """Carry out every scheduled step up to ``moment`` (and never beyond "now")."""
        limit = min(moment, self.now)
        while self.queue and self.queue[0].when <= limit:
            step = heapq.heappop(self.queue)
            case = Case.objects.select_related("household", "corporation").filter(pk=step.case_id).first()
            if case is None or case.state not in OPEN_STATES:
                continue
            try:
                with demo_clock(step.when):
                    getattr(self, f"_{step.action}")(case, step.when)
            except DomainError:
                # The services refused (e.g. the rules held the case back): a real caseworker would
                # have seen the same message and moved on.
                self.refused += 1
            else:
                self.done += 1

    # --- the corporation ------------------------------------------------------------------------
    def _claim(self, case, when):
        rng = self._rng(case, "corp")
        worker = self._worker(case.corporation_id, rng)
        case_services.case_claim(case=case, by=worker)
        if case.reminder_sent_on is None:
            case_services.checklist_record(
                case=case, by=worker, item="reminder_sent", date=when.date() - dt.timedelta(days=rng.randint(3, 12))
            )
        self._push(at(add_working_days(when.date(), rng.choice((0, 1, 2))), 10), case.pk, "corp_contact")

    def _corp_contact(self, case, when):
        rng = self._rng(case, f"corp-contact-{case.contact_attempts.count()}")
        worker = case.assignee or self._worker(case.corporation_id, rng)
        kind = rng.choices(
            (ContactKind.PHONE, ContactKind.LETTER, ContactKind.HOME_VISIT, ContactKind.MAIL), weights=(6, 2, 1, 1)
        )[0]
        reached = rng.random() < 0.45
        case_services.contact_attempt_record(
            case=case,
            by=worker,
            kind=kind,
            reached=reached,
            date=when.date(),
            part_of_day=rng.choice((PartOfDay.MORNING, PartOfDay.AFTERNOON)),
            outcome="Huurder gesproken" if reached else "Geen gehoor",
        )
        case.refresh_from_db()
        if case.state not in OPEN_STATES or case.queue_partner_id != case.corporation_id:
            return
        attempts = case.contact_attempts.count()
        if reached:
            roll = rng.random()
            if roll < 0.35:  # pays or agrees an arrangement with the corporation itself
                self._push(at(add_working_days(when.date(), rng.randint(1, 4)), 14), case.pk, "corp_arrangement")
                return
            if roll < 0.45:
                self._push(at(add_working_days(when.date(), 1), 11), case.pk, "corp_objection")
                return
            if roll < 0.65:
                self._push(at(add_working_days(when.date(), rng.randint(1, 3)), 13), case.pk, "corp_refer")
                return
            self._push(at(add_working_days(when.date(), rng.randint(1, 3)), 15), case.pk, "corp_signal")
        elif attempts < 3:
            self._push(at(add_working_days(when.date(), rng.randint(2, 5)), 10), case.pk, "corp_contact")
        else:  # a letter offering help and to pass the details on, then the signal
            self._push(at(add_working_days(when.date(), 2), 9), case.pk, "corp_signal")

    def _corp_signal(self, case, when):
        """Point the tenant to debt help and offer to pass the details on: with the reminder and the
        contact attempt the checklist is complete, and the services route the case by the agreement."""
        rng = self._rng(case, "signal")
        worker = case.assignee or self._worker(case.corporation_id, rng)
        for item in ("pointed_to_help", "offered_to_share"):
            case.refresh_from_db()
            if case.queue_partner_id == case.corporation_id and getattr(case, f"{item}_on") is None:
                case_services.checklist_record(case=case, by=worker, item=item, date=when.date())
        case.refresh_from_db()
        if case.queue_partner_id != case.corporation_id:
            self._push(at(add_working_days(when.date(), rng.randint(1, 6)), 9, 30), case.pk, "sd_take_up")

    def _corp_refer(self, case, when):
        rng = self._rng(case, "refer")
        worker = case.assignee or self._worker(case.corporation_id, rng)
        social_service = case.household.municipality.social_services.first() if case.household.municipality else None
        if social_service is None:
            return self._corp_signal(case, when)
        referral = referral_services.referral_create(
            case=case,
            by=worker,
            to_partner=social_service,
            consent_on=when.date(),
            reason="Huurder wil hulp bij de financiën; warme overdracht afgesproken.",
        )
        if referral is not None:
            self._push(at(add_working_days(when.date(), rng.randint(1, 4)), 11), case.pk, "sd_referral")

    def _corp_arrangement(self, case, when):
        rng = self._rng(case, "arrangement")
        worker = case.assignee or self._worker(case.corporation_id, rng)
        signal = case.signals.order_by("-opened_on").first()
        monthly = max(25, int((signal.amount if signal else 300) / rng.choice((4, 6, 10))))
        case_services.payment_arrangement_record(
            case=case, by=worker, monthly_amount=monthly, start_date=when.date().replace(day=1), note=""
        )
        case_services.case_close(
            case=case,
            by=worker,
            corporation_outcome=CorporationOutcome.ARRANGEMENT_KEPT,
            reason="Betalingsregeling getroffen",
        )

    def _corp_objection(self, case, when):
        rng = self._rng(case, "objection")
        worker = case.assignee or self._worker(case.corporation_id, rng)
        case_services.objection_record(
            case=case, by=worker, date=when.date(), reason="Huurder wil niet dat gegevens worden gedeeld."
        )

    # --- the social service -----------------------------------------------------------------------
    def _sd_take_up(self, case, when):
        rng = self._rng(case, "take-up")
        if case.state != CaseState.SIGNALLED:
            return
        worker = self._worker(case.queue_partner_id, rng)
        case_services.case_take_up(case=case, by=worker)
        self._push(at(add_working_days(when.date(), rng.randint(0, 3)), 10), case.pk, "sd_contact")

    def _sd_referral(self, case, when):
        referral = case.referrals.filter(status="pending").first()
        if referral is None:
            return
        rng = self._rng(case, "referral")
        worker = self._worker(referral.to_partner_id, rng)
        if rng.random() < 0.85:
            referral_services.referral_accept(referral=referral, by=worker)
            self._push(at(add_working_days(when.date(), rng.randint(0, 2)), 10), case.pk, "sd_contact")
        else:
            referral_services.referral_decline(
                referral=referral, by=worker, reason="Inwoner heeft al een lopend traject bij een andere instantie."
            )

    def _sd_contact(self, case, when):
        rng = self._rng(case, f"sd-contact-{case.contact_attempts.count()}")
        worker = self._worker(case.queue_partner_id, rng)
        kind = rng.choices(
            (ContactKind.PHONE, ContactKind.LETTER, ContactKind.HOME_VISIT, ContactKind.SMS, ContactKind.CARD),
            weights=(5, 2, 2, 1, 1),
        )[0]
        reached = rng.random() < 0.5
        case_services.contact_attempt_record(
            case=case, by=worker, kind=kind, reached=reached, date=when.date(), part_of_day=PartOfDay.AFTERNOON
        )
        if reached:
            if rng.random() < 0.55:
                respite_services.respite_grant(
                    case=case, by=worker, text="Inwoner werkt mee aan een plan; graag incasso pauzeren."
                )
                note_services.note_record(case=case, by=worker, text="Intake gepland met budgetcoach.", shareable=True)
            self._push(at(add_working_days(when.date(), rng.randint(10, 30)), 16), case.pk, "sd_close")
        elif case.contact_attempts.count() < 4:
            self._push(at(add_working_days(when.date(), rng.randint(2, 6)), 10), case.pk, "sd_contact")
        else:
            self._push(at(add_working_days(when.date(), 5), 16), case.pk, "sd_close")

    def _sd_close(self, case, when):
        rng = self._rng(case, "sd-close")
        worker = self._worker(case.queue_partner_id, rng)
        reached = case.contact_attempts.filter(reached=True).exists()
        if reached:
            outcome = rng.choices(
                (
                    FinalResult.ADVICE,
                    FinalResult.FOLLOW_UP_FINANCIAL,
                    FinalResult.FOLLOW_UP_NON_FINANCIAL,
                    FinalResult.NO_HELP_WANTED,
                    FinalResult.KNOWN_TO_DEBT_HELP,
                ),
                weights=(4, 4, 1, 2, 1),
            )[0]
        else:
            outcome = FinalResult.NO_CONTACT
        case_services.case_close(case=case, by=worker, outcome=outcome, reason="")
