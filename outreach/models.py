"""Message templates (per partner, per channel) and the letters made from them (docs/adr/0095)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.models import Case, ContactAttempt
from outreach import placeholders
from partners.models import Partner


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Purpose(models.TextChoices):
    ART2_REMINDER = "art2_reminder", _("Art. 2 reminder")
    INVITATION = "invitation", _("Invitation for a talk")
    VISIT_CARD = "visit_card", _("We came by (card)")
    RESPITE_CONFIRMATION = "respite_confirmation", _("Respite confirmation")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class MessageTemplate(models.Model):
    """A partner's text for one channel and purpose. ``subject`` is a letter's title or an e-mail's
    subject; ``subject`` and ``body`` may hold only the placeholders of ``outreach.placeholders``."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="message_templates")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.LETTER)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices, default=Purpose.OTHER)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.DUTCH)
    name = models.CharField(_("name"), max_length=120)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner", "channel", "purpose", "name"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["partner", "channel", "name"], name="message_template_name_unique")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_channel_display()})"

    def save(self, *args, **kwargs):
        # The rule holds for every writer (admin, defaults, a shell), not only for forms.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        for field in ("subject", "body"):
            names = placeholders.unknown(getattr(self, field))
            if names:
                errors[field] = [_("Unknown field {%(name)s}") % {"name": name} for name in names]
        if errors:
            raise ValidationError(errors)


class Letter(models.Model):
    """A letter sent on a case: the text as rendered and its PDF. Personal data: it goes when the case is
    deleted (cascade) or anonymised (``outreach.services.letters_purge``, after the retention purge)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="letters")
    template = models.ForeignKey(MessageTemplate, on_delete=models.SET_NULL, null=True, related_name="letters")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.LETTER)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    pdf = models.BinaryField(_("PDF"))
    contact_attempt = models.ForeignKey(ContactAttempt, on_delete=models.SET_NULL, null=True, related_name="+")
    by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self):
        return f"{self.get_purpose_display()} {self.date:%d-%m-%Y}"
