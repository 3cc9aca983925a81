"""The demo data behind the schemathesis run (``scripts/api_fuzz.py``), in the fuzz server's database.

``seed_demo`` builds partners, users and households; until the import and routing work lands there,
this adds a few signals and cases in every queue so the case endpoints have something to answer.
Prints one JSON object: role label → API token.
"""

import datetime as dt
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from arrears.models import Case, Signal
from households.models import Tenancy
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
    for corporation in Partner.objects.filter(kind=Partner.Kind.CORPORATION):
        tenancies = Tenancy.objects.filter(corporation=corporation, signals__isnull=True).select_related("household")
        for index, tenancy in enumerate(tenancies[:per_corporation]):
            routed = index % 3 == 0
            case = Case.objects.create(
                household=tenancy.household,
                corporation=corporation,
                queue_partner=sdd if routed else corporation,
                state="signalled" if routed else "new",
                opened_at=timezone.now() - dt.timedelta(days=index),
                signalled_at=timezone.now() if routed else None,
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


def main():
    if not Case.objects.exists():
        add_cases()
    users = get_user_model().objects.in_bulk(list(USERS.values()), field_name="username")
    print(json.dumps({label: api_token_create(user=users[name], name="fuzz")[1] for label, name in USERS.items()}))


if __name__ == "__main__":
    main()
