"""Arrears episodes: when a tenancy's arrears become a signal, and when that signal ends. The one
module that holds these rules (ADR 0011).

After an import has written each tenancy's :class:`~ledger.models.ArrearsState`:

- **open** — no open signal and the corporation's :class:`~arrears.models.FlaggingRule` holds (default,
  docs/domain.md §3: oldest unpaid charge ≥ 30 days past due and amount ≥ € 75; optionally a minimum in
  months of rent): a new signal, with a new case in the corporation's queue — or attached to the
  household's open case. While that open case has an active respite (``respite_until`` ≥ the export
  date) no new episode is opened: the tenancy is tracked, not re-escalated.
- **update** — an open signal follows its tenancy's amount, months and days; it is never flagged twice.
- **close** — when the arrears are cleared (nothing owed, or nothing owed is past due yet), or, if the
  rule says so, after ``close_after_days_below`` days below the threshold.
- **reopen** — a later arrear that meets the rule again is a new episode: a new signal.
- **arrears ended** — when an open case's last open episode closes, the case's ``arrears_ended_on`` is
  set to that day (the case is then not overdue, and may be closed in one click or close itself:
  ``arrears.services.arrears_ended``); a new episode on the case, or arrears meeting the rule again
  while respite holds them back, clears it. Set-based, like the rest.

Cases are created in bulk and handed to :func:`arrears.routing.route_flagged_cases` inside the import's
transaction; routing decides where they go from there.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from arrears import routing
from arrears.models import Case, CaseEvent, FlaggingRule, Signal
from arrears.vocabularies import SignalPartnerType
from arrears.workflow import OPEN_STATES, CaseState
from ledger.importing.sql import Dialect
from ledger.models import ArrearsState

if TYPE_CHECKING:
    from ledger.models import LedgerImport
    from partners.models import Partner


def rule_for(partner: Partner) -> FlaggingRule:
    """The corporation's rule, or the default from settings (unsaved) when it has none."""
    rule = FlaggingRule.objects.filter(partner=partner).first()
    if rule is None:
        rule = FlaggingRule(
            partner=partner,
            min_days_overdue=settings.TIJDIG["FLAG_MIN_DAYS_OVERDUE"],
            min_amount=Decimal(settings.TIJDIG["FLAG_MIN_AMOUNT"]),
        )
    return rule


def meets(rule: FlaggingRule, state: ArrearsState | SimpleNamespace) -> bool:
    return (
        state.balance > 0
        and state.balance >= rule.min_amount
        and state.days_overdue >= rule.min_days_overdue
        and state.months_of_rent >= rule.min_months_of_rent
    )


def _meets_q(rule: FlaggingRule) -> Q:
    """:func:`meets` as a query, to fetch only the candidates."""
    return (
        Q(balance__gt=0)
        & Q(balance__gte=rule.min_amount)
        & Q(days_overdue__gte=rule.min_days_overdue)
        & Q(months_of_rent__gte=rule.min_months_of_rent)
    )


def cleared(state: ArrearsState | SimpleNamespace) -> bool:
    """Nothing owed, or nothing owed is past due yet (e.g. only this month's rent, due today)."""
    if state.balance <= 0:
        return True
    return state.oldest_unpaid_due_date is not None and state.oldest_unpaid_due_date >= state.as_of


STATE_FIELDS = ("tenancy_id", "as_of", "balance", "months_of_rent", "days_overdue", "oldest_unpaid_due_date",
                "reminder_date", "below_threshold_since")  # fmt: skip
SIGNAL_FIELDS = ("id", "tenancy_id", "case_id", "origin_date", "amount", "peak_amount", "months_of_rent",
                 "days_overdue", "updated_on", "status", "closed_on")  # fmt: skip
CASE_FIELDS = ("id", "household_id", "state", "respite_until", "reminder_sent_on")


def _case(row: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(pk=row["id"], is_open=row["state"] in OPEN_STATES, **row)


def flag_import(*, ledger_import: LedgerImport, now: dt.datetime) -> dict[str, float]:
    """Open, update and close signals for the tenancies whose state ``ledger_import`` just wrote.
    Rows are read as plain values (an import can flag thousands at once) and written set-based."""
    partner = ledger_import.partner
    rule = rule_for(partner)
    states = [
        SimpleNamespace(**row)
        for row in ArrearsState.objects.filter(ledger_import=ledger_import)
        .filter(_meets_q(rule) | Q(tenancy__signals__status=Signal.Status.OPEN))
        .values(*STATE_FIELDS, household_id=F("tenancy__household_id"))
        .distinct()
    ]
    tenancy_ids = {st.tenancy_id for st in states}
    signals = [
        SimpleNamespace(pk=row["id"], **row)
        for row in Signal.objects.filter(
            status=Signal.Status.OPEN, tenancy__arrears__ledger_import=ledger_import
        ).values(*SIGNAL_FIELDS)
        if row["tenancy_id"] in tenancy_ids
    ]
    cases = {
        row["id"]: _case(row)
        for row in Case.objects.filter(pk__in=[s.case_id for s in signals if s.case_id]).values(*CASE_FIELDS)
    }
    open_signals: dict[int, SimpleNamespace] = {}
    for signal in signals:
        signal.case = cases.get(signal.case_id)
        open_signals[signal.tenancy_id] = signal
    run = _Run(partner, rule, now)
    for state in states:
        open_signal = open_signals.get(state.tenancy_id)
        if open_signal is not None:
            run.follow(open_signal, state)
        elif meets(rule, state):
            run.new_episodes.append(state)
    run.open_episodes()
    run.write()
    return run.counts


class _Run:
    def __init__(self, partner: Partner, rule: FlaggingRule, now: dt.datetime) -> None:
        self.partner, self.rule, self.now = partner, rule, now
        self.db = Dialect(connection)
        self.cursor = connection.cursor()
        self.new_episodes: list[SimpleNamespace] = []
        self.updated: list[SimpleNamespace] = []
        self.closed: list[SimpleNamespace] = []
        self.states_changed: list[SimpleNamespace] = []
        self.events: list[dict[str, Any]] = []
        self.reminders: dict[int, tuple[SimpleNamespace, dt.date]] = {}  # case id → (case, reminder date)
        self.new_case_ids: list[int] = []
        self.updated_case_ids: set[int] = set()
        self.ended_cases: dict[int, dt.date] = {}  # open case id → the day an episode of it closed
        self.renewed_case_ids: set[int] = set()  # open cases with arrears that meet the rule again
        self.counts: dict[str, float]  # the counts, and routing's seconds
        self.counts = {"new_signals": 0, "updated_signals": 0, "closed_signals": 0, "new_cases": 0,
                       "attached_to_open_case": 0, "not_escalated_respite": 0, "arrears_ended_cases": 0}  # fmt: skip

    # --- open signals ------------------------------------------------------------------------
    def follow(self, signal: SimpleNamespace, state: SimpleNamespace) -> None:
        if cleared(state):
            self._close(signal, state, _("Arrears episode ended: the arrears are cleared."))
            return
        if meets(self.rule, state):
            self._set_below(state, None)
        else:
            since = state.below_threshold_since or state.as_of
            self._set_below(state, since)
            wait = self.rule.close_after_days_below
            if wait and (state.as_of - since).days >= wait:
                reason = _("Arrears episode ended: below the flagging threshold for %(days)s days.") % {"days": wait}
                self._close(signal, state, reason)
                return
        changed = self._copy(signal, state)
        if changed:
            self.updated.append(signal)
        case = signal.case
        if case is not None and case.is_open:
            filled = self._reminder(case, state, signal.origin_date)
            if changed or filled:
                self.updated_case_ids.add(case.pk)

    def _copy(self, signal: SimpleNamespace, state: SimpleNamespace) -> bool:
        amount = max(state.balance, Decimal("0"))
        new = {
            "amount": amount,
            "peak_amount": max(signal.peak_amount, amount),
            "months_of_rent": state.months_of_rent,
            "days_overdue": state.days_overdue,
        }
        if all(getattr(signal, k) == v for k, v in new.items()):
            return False
        for key, value in new.items():
            setattr(signal, key, value)
        signal.updated_on = state.as_of
        return True

    def _close(self, signal: SimpleNamespace, state: SimpleNamespace, reason: str) -> None:
        self._copy(signal, state)
        signal.status, signal.closed_on, signal.updated_on = Signal.Status.CLOSED, state.as_of, state.as_of
        self.closed.append(signal)
        self._set_below(state, None)
        if signal.case is not None and signal.case.is_open:
            self.updated_case_ids.add(signal.case_id)
            self.ended_cases[signal.case_id] = max(state.as_of, self.ended_cases.get(signal.case_id, state.as_of))
            self._record_event(
                signal.case_id, CaseEvent.Kind.SIGNAL, reason, signal=signal.pk, amount=str(signal.amount)
            )

    def _set_below(self, state: SimpleNamespace, since: dt.date | None) -> None:
        if state.below_threshold_since != since:
            state.below_threshold_since = since
            self.states_changed.append(state)

    def _reminder(self, case: SimpleNamespace, state: SimpleNamespace, origin: dt.date) -> bool:
        """The ledger's reminder date completes the checklist's first step, if it belongs to this
        episode (not before its oldest unpaid charge) and nobody recorded it yet."""
        if case.reminder_sent_on is None and state.reminder_date and state.reminder_date >= origin:
            self.reminders[case.pk] = (case, state.reminder_date)
            return True
        return False

    # --- new episodes ------------------------------------------------------------------------
    def open_episodes(self) -> None:
        if not self.new_episodes:
            return
        households = {st.household_id for st in self.new_episodes}
        open_cases = {}
        ids = sorted(households)
        for start in range(0, len(ids), 10_000):
            for row in Case.objects.filter(household_id__in=ids[start : start + 10_000], state__in=OPEN_STATES).values(
                *CASE_FIELDS
            ):
                open_cases[row["household_id"]] = _case(row)
        to_create, signals, attach = {}, [], []
        for state in self.new_episodes:
            household_id = state.household_id
            case = open_cases.get(household_id)
            if case is not None and case.respite_until and case.respite_until >= state.as_of:
                self.counts["not_escalated_respite"] += 1
                self.renewed_case_ids.add(case.pk)  # tracked, not re-escalated: but not "arrears ended" either
                continue
            origin = state.oldest_unpaid_due_date or state.as_of
            signal = SimpleNamespace(
                pk=None,
                case=None,
                tenancy_id=state.tenancy_id,
                household_id=household_id,
                origin_date=origin,
                opened_on=state.as_of,
                updated_on=state.as_of,
                amount_at_open=state.balance,
                amount=state.balance,
                peak_amount=state.balance,
                months_of_rent=state.months_of_rent,
                days_overdue=state.days_overdue,
                partner_type=SignalPartnerType.RENT,
                status=Signal.Status.OPEN,
            )
            signals.append((signal, state))
            if case is not None:
                signal.case = case
                attach.append((signal, case))
                self._reminder(case, state, origin)
            elif household_id not in to_create:
                to_create[household_id] = SimpleNamespace(
                    pk=None,
                    household_id=household_id,
                    state=CaseState.NEW,
                    reminder_sent_on=state.reminder_date
                    if state.reminder_date and state.reminder_date >= origin
                    else None,
                )
        self._insert_cases(list(to_create.values()))
        for signal, _state in signals:
            if signal.case is None:
                signal.case = to_create[signal.household_id]
        self._insert_signals([s for s, _st in signals])
        for signal, state in signals:
            # Routing writes the case's "opened" row; this one says why it was flagged.
            if signal.case.pk in self.new_case_ids:
                reason = _("Arrears episode flagged by the ledger import: %(days)s days overdue.")
            else:
                reason = _("New arrears episode (%(days)s days overdue) added to this open case.")
            self._record_event(
                signal.case.pk,
                CaseEvent.Kind.SIGNAL,
                reason % {"days": state.days_overdue},
                signal=signal.pk,
                amount=str(signal.amount),
            )
        for case in to_create.values():
            if case.reminder_sent_on:
                self._record_reminder(case.pk, case.reminder_sent_on)
        for _signal, case in attach:
            self.updated_case_ids.add(case.pk)
            self.renewed_case_ids.add(case.pk)
        self.counts.update(new_signals=len(signals), new_cases=len(to_create), attached_to_open_case=len(attach))

    def _insert_cases(self, cases: list[SimpleNamespace]) -> None:
        ids = self.db.allocate_ids(self.cursor, "arrears_case", len(cases)).tolist()
        for case, pk in zip(cases, ids, strict=True):
            case.pk = pk
        self.new_case_ids = ids
        self.db.insert(
            self.cursor,
            Case,
            {
                "id": ids,
                "household_id": [c.household_id for c in cases],
                "corporation_id": [self.partner.pk] * len(cases),
                "queue_partner_id": [self.partner.pk] * len(cases),
                "state": [c.state for c in cases],
                "opened_at": [self.now] * len(cases),
                "reminder_sent_on": [c.reminder_sent_on for c in cases],
                "updated_at": [self.now] * len(cases),
            },
        )

    def _insert_signals(self, signals: list[SimpleNamespace]) -> None:
        ids = self.db.allocate_ids(self.cursor, "arrears_signal", len(signals)).tolist()
        for signal, pk in zip(signals, ids, strict=True):
            signal.pk = pk
        for signal in signals:
            signal.case_id = signal.case.pk
        fields = ["tenancy_id", "household_id", "case_id", "partner_type", "status", "origin_date",
                  "opened_on", "amount_at_open", "amount", "peak_amount", "months_of_rent", "days_overdue",
                  "updated_on"]  # fmt: skip
        columns = {"id": ids, "corporation_id": [self.partner.pk] * len(signals)}
        columns.update({f: [getattr(s, f) for s in signals] for f in fields})
        self.db.insert(self.cursor, Signal, columns)

    # --- writing -----------------------------------------------------------------------------
    def _record_event(self, case_id: int, kind: CaseEvent.Kind, reason: str, **data: object) -> None:
        self.events.append({"case_id": case_id, "kind": kind.value, "reason": str(reason), "data": data})

    def _record_reminder(self, case_id: int, date: dt.date) -> None:
        reason = _("Written reminder of %(date)s taken from the rent ledger.") % {"date": date.strftime("%d-%m-%Y")}
        self._record_event(case_id, CaseEvent.Kind.CHECKLIST, reason, item="reminder_sent", date=date.isoformat())

    def _arrears_ended(self) -> None:
        """Set ``arrears_ended_on`` on the open cases whose last open episode closed in this import, and
        clear it on those with arrears again. After the signals are written: "no open episode left" is
        then one ``NOT EXISTS`` per batch, whatever else the case holds."""
        renewed = sorted(self.renewed_case_ids)
        for start in range(0, len(renewed), 10_000):
            Case.objects.filter(pk__in=renewed[start : start + 10_000], arrears_ended_on__isnull=False).update(
                arrears_ended_on=None
            )
        by_day: defaultdict[dt.date, list[int]] = defaultdict(list)
        for case_id, day in self.ended_cases.items():
            if case_id not in self.renewed_case_ids:
                by_day[day].append(case_id)
        still_open = Signal.objects.filter(case=OuterRef("pk"), status=Signal.Status.OPEN)
        for day, ids in by_day.items():
            ids.sort()
            for start in range(0, len(ids), 10_000):
                self.counts["arrears_ended_cases"] += (
                    Case.objects.filter(pk__in=ids[start : start + 10_000], state__in=OPEN_STATES)
                    .exclude(Exists(still_open))
                    .update(arrears_ended_on=day)
                )

    def write(self) -> None:
        db, cursor = self.db, self.cursor
        fields = ["amount", "peak_amount", "months_of_rent", "days_overdue", "updated_on"]
        for signals, extra in ((self.updated, []), (self.closed, ["status", "closed_on"])):
            columns = {"id": [s.pk for s in signals]}
            columns.update({f: [getattr(s, f) for s in signals] for f in fields + extra})
            db.update(cursor, "arrears_signal", "id", columns)
        self._arrears_ended()
        db.update(
            cursor,
            "arrears_arrearsstate",
            "tenancy_id",
            {
                "tenancy_id": [st.tenancy_id for st in self.states_changed],
                "below_threshold_since": [st.below_threshold_since for st in self.states_changed],
            },
        )
        for case, date in self.reminders.values():
            self._record_reminder(case.pk, date)
        db.update(
            cursor,
            "arrears_case",
            "id",
            {"id": list(self.reminders), "reminder_sent_on": [date for _case, date in self.reminders.values()]},
            where="arrears_case.reminder_sent_on IS NULL",  # a caseworker may have recorded it meanwhile
        )
        touched = sorted({e["case_id"] for e in self.events} - set(self.new_case_ids))
        for start in range(0, len(touched), 10_000):
            Case.objects.filter(pk__in=touched[start : start + 10_000]).update(version=F("version") + 1)
        db.insert(
            cursor,
            CaseEvent,
            {
                "case_id": [e["case_id"] for e in self.events],
                "kind": [e["kind"] for e in self.events],
                "at": [self.now] * len(self.events),
                "partner_id": [self.partner.pk] * len(self.events),
                "reason": [e["reason"] for e in self.events],
                "data": [json.dumps(e["data"]) for e in self.events],
            },
        )
        self.counts.update(updated_signals=len(self.updated), closed_signals=len(self.closed))
        updated = sorted(self.updated_case_ids - set(self.new_case_ids))
        started = time.monotonic()
        routing.route_flagged_cases(corporation=self.partner, new_case_ids=self.new_case_ids, updated_case_ids=updated)
        self.counts["routing_seconds"] = round(time.monotonic() - started, 2)
