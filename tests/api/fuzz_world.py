"""The demo data behind the schemathesis run (``scripts/api_fuzz.py``), in the fuzz server's database.

``seed_demo`` builds the world through the real import and case work, whose simulated case work
answers every referral. This adds signals and cases in every stage (own queue with a referral waiting,
signalled, taken up) with the access routing grants, so every endpoint has something to answer. Prints
one JSON object: role label → API token and the ids of objects that role may see, a case and a
referral of its own for each role.
"""

import datetime as dt
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from arrears import case_access
from arrears.models import Case, Referral, Signal
from households.models import Tenancy
from ledger.models import LedgerImport
from partners.models import Partner
from partners.services import api_token_create

USERS = {
    "corporation-caseworker": "drechtwonen-caseworker",
    "corporation-admin": "drechtwonen-admin",
    "social-service-caseworker": "sdd-caseworker",
    "social-service-manager": "sdd-manager",
}


def add_cases(per_corporation=15):
    sdd = Partner.objects.get(slug="sdd")
    made = []
    for corporation in Partner.objects.filter(kind=Partner.Kind.CORPORATION):
        tenancies = Tenancy.objects.filter(corporation=corporation, signals__isnull=True).select_related("household")
        for index, tenancy in enumerate(tenancies[:per_corporation]):
            stage = ("new", "signalled", "taken_up")[index % 3]
            routed = stage != "new"
            now = timezone.now()
            case = Case.objects.create(
                household=tenancy.household,
                corporation=corporation,
                queue_partner=sdd if routed else corporation,
                state=stage,
                opened_at=now - dt.timedelta(days=index),
                signalled_at=now if routed else None,
                taken_up_at=now if stage == "taken_up" else None,
            )
            made.append(case.pk)
            if index % 6 == 0:
                Referral.objects.create(
                    case=case, from_partner=corporation, to_partner=sdd, consent_on=dt.date(2026, 10, 1)
                )
            amount = Decimal("650.00") + index
            Signal.objects.create(
                corporation=corporation,
                tenancy=tenancy,
                household=tenancy.household,
                case=case,
                origin_date=dt.date(2026, 8, 1),
                opened_on=dt.date(2026, 9, 1),
                updated_on=dt.date(2026, 9, 1),
                amount_at_open=amount,
                amount=amount,
                peak_amount=amount,
                months_of_rent=Decimal("1.00"),
                days_overdue=40 + index,
            )
    case_access.sync_case_access(case_ids=made)


#: Resources whose objects a role's run changes (closes, reroutes, answers): each role gets its own.
CHANGED_BY_A_RUN = ("cases", "referrals")


def sample_ids(user, taken):
    """One object of each kind this user may see, for the path parameters of the run (0: none).

    The roles run one after the other, and a run may close or reroute its case and answer its
    referral, so a case or referral given to one role (``taken``) is not given to the next."""
    from arrears import selectors
    from ledger import selectors as ledger_selectors
    from partners.selectors import membership_for

    partner = membership_for(user=user).partner
    querysets = {
        "cases": selectors.case_list(user=user).filter(state__in=["new", "signalled", "taken_up"]),
        "referrals": selectors.referral_list(user=user).filter(status="pending"),
        "households": selectors.household_list(user=user),
        "signals": selectors.signal_list(user=user),
        "tenancies": selectors.tenancy_list(user=user),
        "imports": ledger_selectors.import_list(partner=partner),
    }
    ids = {}
    for resource, queryset in querysets.items():
        if resource in CHANGED_BY_A_RUN:
            queryset = queryset.exclude(pk__in=taken.setdefault(resource, set()))
        ids[resource] = queryset.order_by("pk").values_list("pk", flat=True).first() or 0
        if resource in CHANGED_BY_A_RUN and ids[resource]:
            taken[resource].add(ids[resource])
    return ids


def main():
    # The demo's simulated case work answers every referral; these cases add pending ones (and cases in
    # every stage should a small seed have made none).
    add_cases()
    if not LedgerImport.objects.exists():
        for corporation in Partner.objects.filter(kind=Partner.Kind.CORPORATION):
            LedgerImport.objects.create(
                partner=corporation, source="api", file_name="demo.csv", sha256=corporation.slug.ljust(64, "0")
            )
    users = get_user_model().objects.in_bulk(list(USERS.values()), field_name="username")
    taken = {}
    print(
        json.dumps(
            {
                label: {
                    "token": api_token_create(user=users[name], name="fuzz")[1],
                    "ids": sample_ids(users[name], taken),
                }
                for label, name in USERS.items()
            }
        )
    )


if __name__ == "__main__":
    main()
