"""TEMPORARY: contract functions (wt/_briefs/contracts.md) of other workstreams that have not landed
yet, with conservative stand-ins. Removed as soon as the real ones are in main."""

from django.shortcuts import get_object_or_404

from .. import selectors

#: DOMAIN.md §4: the household fields a signal carries.
SIGNAL_HOUSEHOLD_FIELDS = (
    "initials",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "postcode",
    "house_number",
    "house_number_suffix",
    "city",
    "phone",
    "email",
)

try:
    from ..selectors import visible_household_fields
except ImportError:  # pragma: no cover - until the routing workstream lands

    def visible_household_fields(*, user, case):
        partner_ids = set(user.memberships.values_list("partner_id", flat=True))
        if case.corporation_id in partner_ids:
            return {field.name for field in case.household._meta.concrete_fields}
        return set(SIGNAL_HOUSEHOLD_FIELDS)


try:
    from ..selectors import case_get
except ImportError:  # pragma: no cover

    def case_get(*, user, pk):
        return get_object_or_404(selectors.case_list(user=user), pk=pk)


try:
    from ..selectors import household_get
except ImportError:  # pragma: no cover

    def household_get(*, user, pk):
        return get_object_or_404(selectors.household_list(user=user), pk=pk)


try:
    from partners.audit import record as audit_record
except ImportError:  # pragma: no cover

    def audit_record(*, user, action, obj, household_id=None, channel=""):
        return None
