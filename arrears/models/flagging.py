"""What makes a new arrears episode, per corporation (the legal trigger by default)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner


class FlaggingRule(models.Model):
    """A corporation's trigger for a new arrears episode (docs/domain.md §3). Absent: the settings' default."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="flagging_rule")
    min_days_overdue = models.PositiveIntegerField(_("minimum days overdue"), default=30)
    min_amount = models.DecimalField(_("minimum amount"), max_digits=10, decimal_places=2, default=Decimal("75"))
    min_months_of_rent = models.DecimalField(
        _("minimum months of rent"), max_digits=4, decimal_places=2, default=Decimal("0")
    )
    close_after_days_below = models.PositiveIntegerField(
        _("close after days below threshold"),
        default=0,
        help_text=_("0: an episode closes as soon as the arrears are cleared."),
    )

    class Meta:
        verbose_name = _("flagging rule")
        verbose_name_plural = _("flagging rules")

    def __str__(self):
        return f"{self.partner}: ≥ {self.min_days_overdue} d, ≥ € {self.min_amount}"
