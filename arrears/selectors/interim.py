"""INTERIM stand-ins for the routing workstream's selectors (contracts.md, "Case work"), so the case
page can be built before they land. Same names and signatures; deleted when main has the real ones."""

from django.shortcuts import get_object_or_404

from partners.models import Membership

from .cases import case_list

SIGNAL_FIELDS = frozenset(
    {
        "name",
        "initials",
        "surname_prefix",
        "surname",
        "date_of_birth",
        "street",
        "house_number",
        "house_number_suffix",
        "postcode",
        "city",
        "phone",
        "email",
    }
)


def case_get(*, user, pk):
    return get_object_or_404(case_list(user=user), pk=pk)


def case_timeline(*, user, case):
    return case.events.select_related("actor", "partner").order_by("at", "pk")


def visible_household_fields(*, user, case):
    partner_ids = set(Membership.objects.filter(user=user).values_list("partner_id", flat=True))
    if case.corporation_id in partner_ids:
        return SIGNAL_FIELDS | {"municipality", "neighbourhood"}
    return SIGNAL_FIELDS
