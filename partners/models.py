"""Partner organisations, the people in them, the places they serve and their agreements.

The lowest of the three domain apps: it imports neither ``households`` nor ``arrears``; models that
must point upwards use string references.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """A Dutch municipality (gemeente), keyed by its four-digit CBS code (e.g. ``0505`` Dordrecht)."""

    code = models.CharField(_("CBS code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_4_digits")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Neighbourhood(models.Model):
    """A CBS neighbourhood (buurt): ``BU`` + municipality code + district (2) + neighbourhood (2)."""

    code = models.CharField(_("CBS neighbourhood code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="neighbourhoods")

    class Meta:
        ordering = ["code"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^BU[0-9]{8}$"), name="neighbourhood_code_format")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def district_code(self):
        """The CBS district (wijk) code: ``WK`` + municipality code + district number."""
        return "WK" + self.code[2:8]


class Partner(models.Model):
    """An organisation that works in Tijdig: a housing corporation or a social service."""

    class Kind(models.TextChoices):
        CORPORATION = "corporation", _("Housing corporation")
        SOCIAL_SERVICE = "social_service", _("Social service")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="social_services",
        verbose_name=_("municipalities covered"),
        help_text=_("For a social service: the municipalities whose residents it serves."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    @property
    def is_corporation(self):
        return self.kind == self.Kind.CORPORATION

    @property
    def is_social_service(self):
        return self.kind == self.Kind.SOCIAL_SERVICE


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Partner admin")


#: Where ``partners.access.memberships_of`` keeps a user object's memberships for the rest of a request.
MEMBERSHIPS_CACHE = "_tijdig_memberships"


class Membership(models.Model):
    """A user's role in a partner. Access follows from it through the (partner, role) group."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "partner"], name="one_role_per_user_and_partner")]

    def __str__(self):
        return f"{self.user} · {self.partner} · {self.get_role_display()}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._forget()
        return result

    def _forget(self):
        user = self._state.fields_cache.get("user")  # the user object this membership was made with, if loaded
        if user is not None:
            user.__dict__.pop(MEMBERSHIPS_CACHE, None)


def member_emails(*, partner_ids, role) -> set[str]:
    """The e-mail addresses of the active users with ``role`` in these partners (who a notice goes to)."""
    members = Membership.objects.filter(partner_id__in=partner_ids, role=role).values("user_id")
    users = get_user_model().objects.filter(pk__in=members, is_active=True).exclude(email="")
    return set(users.values_list("email", flat=True))


class Destination(models.TextChoices):
    """Where a routing decision sends a case."""

    SOCIAL_SERVICE = "social_service", _("Social service (signal)")
    CORPORATION = "corporation", _("Stays with the corporation")


class Agreement(models.Model):
    """A corporation's agreement (samenwerkingsafspraak) to signal to a municipality's social service.

    Without an active agreement for the household's municipality a case stays with the corporation.
    The pair's routing rules (:class:`RoutingRule`, ordered) and deadlines hang off this row; what
    they mean is decided in one place, ``arrears.routing``. The platform administrator binds the pair
    (corporation, municipality, social service); the corporation's partner admin owns the rules, the
    default and the deadlines; the social service's partner admin reads them (``partners.rules_policy``,
    docs/adr/0024). No field here can waive the Besluit art. 2 gate (docs/adr/0023).
    """

    corporation = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="agreements",
        limit_choices_to={"kind": Partner.Kind.CORPORATION},
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="agreements")
    social_service = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="received_agreements",
        limit_choices_to={"kind": Partner.Kind.SOCIAL_SERVICE},
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # What happens when no rule matches (the default "rule").
    default_destination = models.CharField(
        _("default destination"),
        max_length=20,
        choices=Destination.choices,
        default=Destination.SOCIAL_SERVICE,
        help_text=_(
            "Where a case goes when none of the rules below applies. A signal to the social service always "
            "waits for the complete Besluit art. 2 checklist: the law, not a setting."
        ),
    )
    late_after_days = models.PositiveIntegerField(
        _("late after days overdue"),
        default=100,
        help_text=_("A signal with more days overdue than this is marked late (DOMAIN: 100)."),
    )
    # Escalation (counted in Dutch working days; empty: no escalation).
    contact_deadline_working_days = models.PositiveSmallIntegerField(
        _("contact attempt within (working days)"),
        null=True,
        blank=True,
        default=5,
        help_text=_("A case in the corporation's queue without a contact attempt after this is escalated."),
    )
    take_up_deadline_working_days = models.PositiveSmallIntegerField(
        _("taken up within (working days)"),
        null=True,
        blank=True,
        default=10,
        help_text=_("A signal the social service has not taken up after this is escalated."),
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [models.UniqueConstraint(fields=["corporation", "municipality"], name="one_agreement_per_pair")]

    def __str__(self):
        return f"{self.corporation} → {self.social_service} ({self.municipality.name})"


BYPASS_MESSAGE = _(
    "A rule cannot signal to the social service while the Besluit art. 2 checklist is not complete: the law "
    "makes the four steps (and no objection) a condition of every signal. Choose “Yes” or leave it empty."
)


class RoutingRule(models.Model):
    """One ordered routing rule of an agreement: the first active rule whose conditions all hold decides.

    Thresholds (amount, months of rent, days overdue) that are filled in are combined with ``threshold_match``
    (all of them, or any of them); the crisis and checklist conditions, when set, must hold as well.
    A rule to the social service matches only when the Besluit art. 2 gate holds (four steps recorded,
    no objection; ``arrears.gate``, docs/adr/0023): rules add conditions, they never remove the gate, so
    a rule to the social service "only when the checklist is not complete" is refused (``clean`` and a
    database constraint). A tenant's objection always keeps the case with the corporation.
    """

    class Match(models.TextChoices):
        ALL = "all", _("all filled-in thresholds")
        ANY = "any", _("any filled-in threshold")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers are tried first."))
    name = models.CharField(_("name"), max_length=200, help_text=_("Shown on the case as the reason."))
    is_active = models.BooleanField(_("active"), default=True)
    threshold_match = models.CharField(_("thresholds"), max_length=3, choices=Match.choices, default=Match.ANY)
    min_amount = models.DecimalField(_("arrears at least (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    min_months_of_rent = models.DecimalField(
        _("months of rent at least"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_days_overdue = models.PositiveIntegerField(_("days overdue at least"), null=True, blank=True)
    crisis = models.BooleanField(
        _("crisis (eviction date set)"),
        null=True,
        blank=True,
        help_text=_("Yes: only with an eviction date; No: only without; empty: either."),
    )
    checklist_complete = models.BooleanField(
        _("checklist complete"),
        null=True,
        blank=True,
        help_text=_(
            "Yes: only when the Besluit art. 2 checklist is complete; No: only when not (a rule that stays "
            "with the corporation only); empty: either. A signal to the social service always needs the "
            "complete checklist."
        ),
    )
    destination = models.CharField(
        _("destination"), max_length=20, choices=Destination.choices, default=Destination.SOCIAL_SERVICE
    )
    mark_late = models.BooleanField(_("mark as late"), default=False)

    class Meta:
        ordering = ["agreement", "position", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(min_amount__gte=0), name="routing_rule_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(min_months_of_rent__isnull=True) | Q(min_months_of_rent__gte=0),
                name="routing_rule_months_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(mark_late=False) | Q(destination="social_service"), name="routing_rule_late_only_signals"
            ),
            # Besluit art. 2: no rule signals without the checklist (docs/adr/0023).
            models.CheckConstraint(
                condition=~Q(destination="social_service", checklist_complete=False),
                name="routing_rule_never_signals_without_checklist",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def clean(self):
        if self.mark_late and self.destination != Destination.SOCIAL_SERVICE:
            raise ValidationError({"mark_late": _("Only a signal to the social service can be marked late.")})
        if self.bypasses_gate:
            raise ValidationError({"checklist_complete": BYPASS_MESSAGE})

    @property
    def bypasses_gate(self) -> bool:
        """A signal to the social service while the Besluit art. 2 checklist is *not* complete: unlawful."""
        return self.destination == Destination.SOCIAL_SERVICE and self.checklist_complete is False

    @property
    def thresholds(self):
        """The filled-in thresholds as ``(field, minimum)`` pairs."""
        pairs = [
            ("amount", self.min_amount),
            ("months_of_rent", self.min_months_of_rent),
            ("days_overdue", self.min_days_overdue),
        ]
        return [(field, minimum) for field, minimum in pairs if minimum is not None]


class AuditEvent(models.Model):
    """Append-only record of every read of personal data and every change (who, when, what, where).

    Keeps identifiers, never personal data itself, so the log outlives the data it refers to.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        LOGIN = "login", _("Logged in")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50, blank=True)
    household_id = models.BigIntegerField(_("household id"), null=True, blank=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=100, blank=True, help_text=_("Page, API or command."))
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}:{self.object_id}"


class ApiToken(models.Model):
    """A per-user API token for a partner's system, scoped to one partner (the user's membership there).

    Only the SHA-256 of the token is stored; the token itself is shown once, when it is created
    (``partners.services.api_token_create``). ``prefix`` (its first characters) identifies it in lists.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user} · {self.partner.slug})"


class WebhookEvent(models.TextChoices):
    """What a partner's system can hear of (docs/adr/0083). A delivery names the event and ids only."""

    CASE_SIGNALLED = "case.signalled", _("case signalled")
    REFERRAL_ANSWERED = "referral.answered", _("referral answered")
    RESPITE_GRANTED = "respite.granted", _("respite granted")
    RESPITE_EXTENDED = "respite.extended", _("respite extended")
    RESPITE_ENDED = "respite.ended", _("respite ended")
    RESPITE_ACKNOWLEDGED = "respite.acknowledged", _("respite acknowledged")
    EVICTION_STEP_RECORDED = "eviction.step_recorded", _("eviction step recorded")
    CASE_CLOSED = "case.closed", _("case closed")
    IMPORT_FINISHED = "import.finished", _("import finished")


class WebhookSubscription(models.Model):
    """A partner's system that hears of events at ``url``, signed with ``secret`` (docs/adr/0083)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("secret"), max_length=200, help_text=_("Signs each delivery (HMAC-SHA256)."))
    events = models.JSONField(_("events"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["partner", "url"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return f"{self.partner.slug} → {self.url}"


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one subscription; its id lets the receiver ignore a repeat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event} {self.id}"
