"""The stable weekly figures behind the managers' dashboards (``reporting``).

One row per partner, ISO week and area (the partner's total, a municipality, a CBS district or a
neighbourhood). The figures are anonymous counts and sums, stored *unsuppressed* (suppression is applied
when they are shown or exported) and linked to no household, so the retention purge leaves them alone
and past weeks stay the same after the personal data behind them is gone.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Partner


class WeeklyFigures(models.Model):
    class Area(models.TextChoices):
        TOTAL = "total", _("Total")
        MUNICIPALITY = "municipality", _("Municipality")
        DISTRICT = "district", _("District")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="weekly_figures")
    week_start = models.DateField(_("week (Monday)"))
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, default=Area.TOTAL)
    area_code = models.CharField(
        _("area code"), max_length=10, blank=True, help_text=_("CBS code; empty for the total and unknown areas.")
    )
    area_name = models.CharField(_("area name"), max_length=120, blank=True)
    # Flows during the week.
    new_signals = models.PositiveIntegerField(_("new cases"), default=0)
    cases_closed = models.PositiveIntegerField(_("cases closed"), default=0)
    outcomes = models.JSONField(_("final results"), default=dict, blank=True)
    referrals_sent = models.PositiveIntegerField(_("referrals sent"), default=0)
    referrals_accepted = models.PositiveIntegerField(_("referrals accepted"), default=0)
    referrals_declined = models.PositiveIntegerField(_("referrals declined"), default=0)
    evictions_prevented = models.PositiveIntegerField(_("evictions prevented"), default=0)
    evictions_executed = models.PositiveIntegerField(_("evictions executed"), default=0)
    # Stock at the end of the week.
    open_cases = models.PositiveIntegerField(_("open cases"), default=0)
    in_respite = models.PositiveIntegerField(_("households in respite"), default=0)
    arrears_signals = models.PositiveIntegerField(_("open arrears episodes"), default=0)
    arrears_total = models.DecimalField(_("total arrears"), max_digits=14, decimal_places=2, default=0)
    arrears_lt1 = models.PositiveIntegerField(_("under 1 month of rent"), default=0)
    arrears_1_2 = models.PositiveIntegerField(_("1 to 2 months of rent"), default=0)
    arrears_2_3 = models.PositiveIntegerField(_("2 to 3 months of rent"), default=0)
    arrears_ge3 = models.PositiveIntegerField(_("3 months of rent or more"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    # Speed of help.
    due = models.PositiveIntegerField(_("contact due"), default=0)
    contacted_in_time = models.PositiveIntegerField(_("contacted within 5 working days"), default=0)
    first_attempts = models.PositiveIntegerField(_("first contact attempts"), default=0)
    days_to_attempt_p50 = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    days_to_attempt_p90 = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    first_reached = models.PositiveIntegerField(_("first successful contacts"), default=0)
    days_to_reached_p50 = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    days_to_reached_p90 = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        db_table = "arrears_weeklyfigures"  # the table kept its name when the model moved (docs/adr/0080)
        ordering = ["partner", "week_start", "area", "area_code"]
        verbose_name = _("weekly figures")
        verbose_name_plural = _("weekly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "week_start", "area", "area_code"], name="weekly_figures_once_per_area"
            ),
            models.CheckConstraint(condition=Q(week_start__iso_week_day=1), name="weekly_figures_week_starts_monday"),
            models.CheckConstraint(condition=~Q(area="total") | Q(area_code=""), name="weekly_figures_total_no_code"),
        ]

    def __str__(self):
        return f"{self.partner_id} {self.week_start} {self.area} {self.area_code}"
