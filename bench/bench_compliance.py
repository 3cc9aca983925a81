"""Compliance file benchmark on PostgreSQL (issue 15). Prints figures; asserts nothing.

Builds its own database (``<DATABASE_URL's name>_bench_compliance``, dropped and re-created, then
dropped again at the end) with one case that has a year of history: twelve written reminders, a contact
attempt every week, the four checklist steps, a signal to the social service and its take-up, respite
granted, extended and ended four times, twelve payment arrangements and the social service's own
notes and contact attempts (which the file must leave out). Then it makes the case's compliance file
as a corporation caseworker, the way the page does (``arrears.selectors.compliance_file``: the
audited reads, the facts, the PDF, the audit row), and prints the median time over the runs (target
< 1 s) next to the time of the PDF rendering alone and the file's size and pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tijdig python bench/bench_compliance.py
"""

import datetime as dt
import os
import re
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch_database import bench_database, drop_database  # noqa: E402

RUNS = 20


def build_case():
    """A case of corporation A with a year of history (services where the rules matter, rows otherwise)."""
    from django.utils import timezone

    from arrears.models import CaseEvent, ContactAttempt, Note, PaymentArrangement
    from arrears.services import cases as case_services
    from arrears.services import notes, respite
    from tests.arrears.factories import flagged_case
    from tests.partners.factories import (
        AgreementFactory,
        MembershipFactory,
        MunicipalityFactory,
        PartnerFactory,
        SocialServiceFactory,
        UserFactory,
    )

    dordrecht = MunicipalityFactory(code="0505", name="Dordrecht")
    corporation = PartnerFactory(slug="corp-a", name="Corporatie A")
    service = SocialServiceFactory(slug="sd", name="Sociale Dienst Drechtsteden")
    service.municipalities.add(dordrecht)
    AgreementFactory(corporation=corporation, municipality=dordrecht, social_service=service)
    alice = MembershipFactory(user=UserFactory(username="alice"), partner=corporation, role="caseworker").user
    charlie = MembershipFactory(user=UserFactory(username="charlie"), partner=service, role="caseworker").user

    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    case = flagged_case(corporation, opened_at=timezone.now() - dt.timedelta(days=365))
    for week in range(52):
        ContactAttempt.objects.create(
            case=case, partner=corporation, by=alice, kind="Telefoon", reached=week % 4 == 0,
            date=start + dt.timedelta(weeks=week), part_of_day="Ochtend", outcome="Niet bereikt",
        )  # fmt: skip
    for month in range(12):
        day = start + dt.timedelta(days=30 * month)
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.CHECKLIST, actor=alice, partner=corporation,
            data={"item": "reminder_sent", "date": day.isoformat(), "previous": None},
        )  # fmt: skip
        PaymentArrangement.objects.create(
            case=case, partner=corporation, created_by=alice, monthly_amount=Decimal("50.00") + month,
            start_date=day, end_date=day + dt.timedelta(days=29),
        )  # fmt: skip
    case_services.case_claim(case=case, by=alice)
    for item in ["reminder_sent", "contact_attempted", "pointed_to_help", "offered_to_share"]:
        case_services.checklist_record(case=case, by=alice, item=item, date=today - dt.timedelta(days=40))
    case_services.case_take_up(case=case, by=charlie)
    for _round in range(4):
        respite.respite_grant(case=case, by=charlie, until=today + dt.timedelta(days=20), text="Respijt")
        respite.respite_extend(case=case, by=charlie, until=today + dt.timedelta(days=40), text="Langer")
        respite.respite_end(case=case, by=charlie, text="Klaar")
    for n in range(100):
        notes.note_record(case=case, by=charlie, text=f"Aantekening {n}", shareable=False)
        ContactAttempt.objects.create(
            case=case, partner=service, by=charlie, kind="Huisbezoek", reached=True, date=today, outcome="Privé"
        )
    return case, alice, Note.objects.filter(case=case).count(), CaseEvent.objects.filter(case=case).count()


def run(case, alice):
    from arrears import compliance
    from arrears.selectors import compliance as selectors

    def timed(call):
        began = time.perf_counter()
        result = call()
        return time.perf_counter() - began, result

    whole, pdf_only = [], []
    result = None
    for _ in range(RUNS):
        seconds, result = timed(lambda: selectors.compliance_file(user=alice, pk=case.pk, channel="bench"))
        whole.append(seconds)
    facts = selectors.compliance_facts(user=alice, case=case)
    for _ in range(RUNS):
        seconds, _pdf = timed(lambda: compliance.render_pdf(facts, number="TIJDIG-1-20260101-1", generated_at=_now()))
        pdf_only.append(seconds)
    pages = len(re.findall(rb"/Type /Page[^s]", result.pdf))
    print(
        f"compliance file, a year of history ({len(facts['contact_attempts'])} contact attempts, "
        f"{len(facts['reminders'])} reminders, {len(facts['respite'])} respite notes, "
        f"{len(facts['payment_arrangements'])} payment arrangements): "
        f"median {statistics.median(whole) * 1000:.0f} ms, max {max(whole) * 1000:.0f} ms over {RUNS} runs "
        f"(target < 1000 ms); PDF rendering alone: median {statistics.median(pdf_only) * 1000:.0f} ms; "
        f"{len(result.pdf) / 1024:.0f} KiB, {pages} pages"
    )


def _now():
    from django.utils import timezone

    return timezone.localtime()


def main():
    os.environ["DATABASE_URL"], _exists = bench_database("bench_compliance", reuse=False, bench="bench_compliance")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    url = os.environ["DATABASE_URL"]
    print(f"bench_compliance on {urlparse(url).path.lstrip('/')}")
    try:
        call_command("migrate", verbosity=0)
        case, alice, note_count, event_count = build_case()
        print(f"the case: {note_count} notes, {event_count} timeline events")
        run(case, alice)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)


if __name__ == "__main__":
    main()
