"""Signals (one per arrears episode), cases, their timeline, contact attempts, notes and referrals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from arrears import checklist, eviction, outcomes
from arrears.vocabularies import ContactKind, CorporationOutcome, FinalResult, PartOfDay, SignalPartnerType
from arrears.workflow import OPEN_STATES, CaseState
from households.models import Household, Tenancy
from partners.models import Partner, RoutingRule


class Signal(models.Model):
    """One arrears *episode* of a tenancy: opened when the flagging rule first holds, updated while it
    lasts, closed when the arrears are cleared. A later arrear opens a new signal."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    corporation = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="signals")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="signals")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="signals")
    case = models.ForeignKey("Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="signals")
    partner_type = models.CharField(max_length=20, choices=SignalPartnerType.choices, default=SignalPartnerType.RENT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    origin_date = models.DateField(_("origin date"), help_text=_("Due date of the oldest unpaid charge."))
    opened_on = models.DateField(_("flagged on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    amount_at_open = models.DecimalField(_("amount when flagged"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    peak_amount = models.DecimalField(_("highest amount"), max_digits=10, decimal_places=2)
    months_of_rent = models.DecimalField(_("months of rent"), max_digits=6, decimal_places=2)
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    updated_on = models.DateField(_("last updated on"))

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("arrears episode")
        verbose_name_plural = _("arrears episodes")
        constraints = [
            models.UniqueConstraint(
                fields=["tenancy"], condition=Q(status="open"), name="one_open_episode_per_tenancy"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True) | Q(status="closed", closed_on__isnull=False),
                name="signal_closed_on_iff_closed",
            ),
        ]

    def __str__(self):
        return f"S{self.pk} {self.tenancy_id} {self.opened_on}"

    @property
    def whole_euros(self):
        """DDAS ``bedrag``: the amount in whole euros."""
        return int(self.amount.to_integral_value())


class Case(models.Model):
    """The work on one household's arrears: in exactly one queue (``queue_partner``) at a time."""

    class RoutingDecision(models.TextChoices):
        RULE = "rule", _("Routing rule")
        DEFAULT = "default", _("Agreement default")
        NO_AGREEMENT = "no_agreement", _("No agreement")
        OBJECTION = "objection", _("Tenant objected")
        MANUAL = "manual", _("Re-routed by hand")
        REFERRAL = "referral", _("Warm handover")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="cases")
    corporation = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="corporation_cases")
    queue_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="queued_cases", verbose_name=_("queue")
    )
    state = models.CharField(_("status"), max_length=20, choices=CaseState.choices, default=CaseState.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    signalled_at = models.DateTimeField(_("signalled at"), null=True, blank=True)
    taken_up_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # How it closed (arrears.outcomes): a social service's DDAS final result, or the corporation's own outcome.
    outcome = models.CharField(_("final result"), max_length=80, choices=FinalResult.choices, blank=True)
    corporation_outcome = models.CharField(
        _("corporation's outcome"), max_length=40, choices=CorporationOutcome.choices, blank=True
    )
    # Set by the ledger import when the case's last open arrears episode ends; cleared when a new one
    # opens (arrears.flagging). Such a case is not overdue and may close itself (arrears.services.arrears_ended).
    arrears_ended_on = models.DateField(_("arrears cleared on"), null=True, blank=True)
    # Routing (partners' agreement rules) and how urgent it is.
    routing_decision = models.CharField(
        _("routing decision"), max_length=20, choices=RoutingDecision.choices, blank=True
    )
    routing_rule = models.ForeignKey(
        RoutingRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("routing rule"),
    )
    routing_reason = models.CharField(_("routing reason"), max_length=300, blank=True)
    routed_at = models.DateTimeField(_("routing decided at"), null=True, blank=True)
    is_late = models.BooleanField(
        _("late signal"),
        default=False,
        help_text=_("Signalled with arrears older than the agreement's late limit (100 days unless agreed otherwise)."),
    )
    eviction_date = models.DateField(_("eviction date"), null=True, blank=True)
    # The eviction track (arrears.eviction): set by a judgment granting the eviction; with
    # ``eviction_date`` (the announced date) it makes the case a crisis.
    eviction_granted_on = models.DateField(_("eviction granted on"), null=True, blank=True)
    warm_handover = models.BooleanField(_("warm handover"), default=False)
    # The legal checklist of the Besluit gemeentelijke schuldhulpverlening, art. 2.
    reminder_sent_on = models.DateField(_("written reminder sent on"), null=True, blank=True)
    contact_attempted_on = models.DateField(_("personal contact attempted on"), null=True, blank=True)
    pointed_to_help_on = models.DateField(_("pointed to debt help on"), null=True, blank=True)
    offered_to_share_on = models.DateField(_("offered to pass details on, on"), null=True, blank=True)
    objection_on = models.DateField(_("tenant objected on"), null=True, blank=True)
    consent_withdrawn_on = models.DateField(
        _("consent to the warm handover withdrawn on"),
        null=True,
        blank=True,
        help_text=_("A social service that has the case only through that consent then reads the signal only."),
    )
    # Respite (respijt) granted by the social service: the current end date, kept by the respite service.
    respite_until = models.DateField(_("respite until"), null=True, blank=True)
    respite_reminded_for = models.DateField(
        _("respite reminder sent for"), null=True, blank=True, help_text=_("The end date the reminder was sent for.")
    )
    # Escalation by the beat job (deadline passed); cleared when the cause is resolved.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.CharField(_("escalation reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Raised on every change (lost-update guard)."))
    updated_at = models.DateTimeField(auto_now=True)
    # Set by the retention purge (privacy.retention): free texts blanked, notes gone; counts stay.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("work_case", _("Can work the case (claim, contact, notes)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
                name="one_open_case_per_household",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False), name="closed_case_has_closed_at"
            ),
            models.CheckConstraint(
                condition=~Q(state="taken_up") | Q(taken_up_at__isnull=False), name="taken_up_case_has_taken_up_at"
            ),
            # Exactly one queue, and the right kind of queue for the state.
            models.CheckConstraint(
                condition=~Q(state__in=["new", "in_progress"]) | Q(queue_partner=models.F("corporation")),
                name="corporation_states_in_corporation_queue",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["signalled", "taken_up"]) | ~Q(queue_partner=models.F("corporation")),
                name="signal_states_in_social_service_queue",
            ),
        ]
        indexes = [
            models.Index(fields=["queue_partner", "state"], name="case_queue_state"),
            models.Index(fields=["respite_until"], name="case_respite_until", condition=Q(respite_until__isnull=False)),
            models.Index(
                fields=["arrears_ended_on"], name="case_arrears_ended_on", condition=Q(arrears_ended_on__isnull=False)
            ),
        ]

    def __str__(self):
        return f"Z{self.pk}"

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def checklist_complete(self):
        """The Besluit art. 2 steps are recorded and the tenant did not object (rule: ``arrears.checklist``)."""
        return checklist.is_complete(self)

    @property
    def is_crisis(self):
        """An announced eviction date or a judgment granting the eviction (rule: ``arrears.eviction``)."""
        return eviction.is_crisis(self)

    @property
    def outcome_label(self):
        """How the case closed, from either list (``arrears.outcomes``)."""
        return outcomes.label(outcome=self.outcome, corporation_outcome=self.corporation_outcome)

    @property
    def ddas_result(self):
        """The DDAS final result (the corporation's outcome mapped where it has one), or ``""``."""
        return outcomes.ddas_result(outcome=self.outcome, corporation_outcome=self.corporation_outcome)

    def in_respite(self, today=None):
        return self.respite_until is not None and self.respite_until >= (today or timezone.localdate())


class CaseEvent(models.Model):
    """The case timeline: append-only, one row per thing that happened (who, when, why)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        STATE = "state", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        ROUTED = "routed", _("Routed")
        CONTACT = "contact", _("Contact attempt")
        NOTE = "note", _("Note")
        CHECKLIST = "checklist", _("Checklist")
        REFERRAL = "referral", _("Referral")
        RESPITE = "respite", _("Respite")
        SIGNAL = "signal", _("Arrears update")
        ESCALATED = "escalated", _("Escalated")
        REMINDER = "reminder", _("Reminder")
        PAYMENT_ARRANGEMENT = "payment_arrangement", _("Payment arrangement")
        EVICTION = "eviction", _("Eviction step")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    note = models.ForeignKey("Note", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    shared = models.BooleanField(
        _("shared"),
        default=True,
        help_text=_("Off: other partners see that it happened, not the reason, data or note text."),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ContactAttempt(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    reached = models.BooleanField(_("reached"))
    date = models.DateField(_("date"))
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")

    def __str__(self):
        return f"{self.case} {self.kind} {self.date}"


class Note(models.Model):
    """A note on a case. A *respite* note carries the date collection is paused until."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        RESPITE_GRANTED = "respite_granted", _("Respite granted")
        RESPITE_EXTENDED = "respite_extended", _("Respite extended")
        RESPITE_ENDED = "respite_ended", _("Respite ended")
        PAYMENT_ARRANGEMENT = "payment_arrangement", _("Payment arrangement")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"))
    respite_until = models.DateField(_("respite until"), null=True, blank=True)
    shareable = models.BooleanField(
        _("shared with the other partner"), default=False, help_text=_("Respite notes are always shared.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The respite handshake (docs/adr/0082): the corporation confirms it paused collection; a respite
    # nobody at the corporation confirmed is escalated to its managers once.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledgement_escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["respite_granted", "respite_extended"]) | Q(respite_until__isnull=False),
                name="respite_note_has_end_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["respite_granted", "respite_extended", "respite_ended"]) | Q(shareable=True),
                name="respite_note_always_shared",
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class Referral(models.Model):
    """A warm handover (DDAS ``warmeOverdracht``) of a household to a social service, with consent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ConsentHow(models.TextChoices):
        IN_WRITING = "in_writing", _("In writing")
        BY_PHONE = "by_phone", _("By phone")
        IN_PERSON = "in_person", _("In person")
        DIGITALLY = "digitally", _("Digitally")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals_sent")
    to_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals_received")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    consent_on = models.DateField(_("household consented on"))
    consent_how = models.CharField(
        _("how the household consented"), max_length=20, choices=ConsentHow.choices, blank=True
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "to_partner"], condition=Q(status="pending"), name="one_pending_referral_per_case"
            )
        ]

    def __str__(self):
        return f"{self.case} → {self.to_partner} ({self.get_status_display()})"


class PaymentArrangement(models.Model):
    """A payment arrangement (betalingsregeling) on the case; the newest one is the current one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payment_arrangements")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment arrangement")
        verbose_name_plural = _("payment arrangements")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="arrangement_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="arrangement_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.case} € {self.monthly_amount}/m"


class EvictionStep(models.Model):
    """One step of a rent eviction on the case (issue 15), with its date and who recorded it. The
    steps are history; the crisis fields on the case follow them (``services.casework``)."""

    class Kind(models.TextChoices):
        SUMMONS = "summons", _("Summons served")
        HEARING = "hearing", _("Hearing")
        JUDGMENT_GRANTED = "judgment_granted", _("Judgment: eviction granted")
        JUDGMENT_REFUSED = "judgment_refused", _("Judgment: eviction refused")
        ANNOUNCED = "announced", _("Eviction announced")
        EXECUTED = "executed", _("Eviction executed")
        CANCELLED = "cancelled", _("Eviction cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="eviction_steps")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"), help_text=_("For an announced eviction: the eviction date."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("eviction step")
        verbose_name_plural = _("eviction steps")

    def __str__(self):
        return f"{self.case} {self.kind} {self.date}"


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """guardian's direct foreign-key permission table for cases (a fast join, see docs/adr)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
