"""Households, where they live and what they rent.

A household is known to Tijdig through a corporation's tenancy, so it belongs to that corporation
(``corporation``): another corporation never sees it, and a social service only sees it through a
case routed or referred to it.
"""

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from partners.models import Municipality, Neighbourhood, Partner

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


#: The fields that identify, locate or reach a person, with their empty value. Tijdig holds them only
#: for a household with an open or recent arrears episode (``privacy.retention.person_held_q``,
#: docs/adr/0071-no-person-without-arrears.md); every other household is a row without a person:
#: its tenancies, rent, ledger window, municipality and neighbourhood (area codes for routing and the
#: dashboards) — nothing that names it.
PERSONAL_FIELDS = {
    "name": "",
    "initials": "",
    "surname_prefix": "",
    "surname": "",
    "date_of_birth": None,
    "phone": "",
    "email": "",
    "street": "",
    "house_number": None,
    "house_number_suffix": "",
    "postcode": "",
    "city": "",
}


def normalise_postcode(value: str | None) -> str | None:
    """``3331ac`` → ``3331 AC``; returns ``None`` when the value is not a Dutch postcode."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        return None
    return f"{match.group(1)} {match.group(2).upper()}"


class Household(models.Model):
    corporation = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind": Partner.Kind.CORPORATION},
        verbose_name=_("corporation"),
    )
    # Personal data (PERSONAL_FIELDS): name as the ledger gives it, and its DDAS parts; empty for a
    # household without an open or recent arrears episode.
    name = models.CharField(_("name"), max_length=200)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    surname_prefix = models.CharField(_("surname prefix"), max_length=20, blank=True)
    surname = models.CharField(_("surname"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Address: street to city are personal (PERSONAL_FIELDS); municipality and neighbourhood are area
    # codes every household keeps (routing, dashboards).
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    house_number_suffix = models.CharField(_("house number suffix"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, db_index=True)
    city = models.CharField(_("place"), max_length=80, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["surname", "name", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^[1-9][0-9]{3} [A-Z]{2}$"),
                name="household_postcode_normalised",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def address_line(self):
        number = f"{self.house_number or ''}{('-' + self.house_number_suffix) if self.house_number_suffix else ''}"
        return f"{self.street} {number}".strip()


class Tenancy(models.Model):
    """A rental contract; ``contract_number`` is unique within its corporation."""

    corporation = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="tenancies",
        limit_choices_to={"kind": Partner.Kind.CORPORATION},
        verbose_name=_("corporation"),
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="tenancies")
    contract_number = models.CharField(_("contract number"), max_length=40)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["corporation", "contract_number"]
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        constraints = [
            models.UniqueConstraint(fields=["corporation", "contract_number"], name="contract_unique_per_corporation"),
            models.CheckConstraint(condition=Q(monthly_rent__gte=0), name="tenancy_rent_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="tenancy_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.contract_number} ({self.corporation.slug})"


class HouseholdGroupObjectPermission(GroupObjectPermissionBase):
    """guardian's direct foreign-key permission table for households (a fast join, see docs/adr)."""

    content_object = models.ForeignKey(Household, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
