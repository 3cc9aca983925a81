import datetime as dt

import pytest
from django.utils import timezone

from arrears import tasks
from arrears.models import Case
from tests.arrears.factories import CaseFactory
from tests.households.factories import HouseholdFactory

pytestmark = [pytest.mark.real_worker, pytest.mark.postgres]


def test_beat_jobs_run_on_a_real_worker(celery_worker_process, world):
    long_ago = timezone.now() - dt.timedelta(days=60)
    escalating = CaseFactory(household=HouseholdFactory(corporation=world.corp_a), opened_at=long_ago)
    ending = CaseFactory(
        household=HouseholdFactory(corporation=world.corp_a),
        queue_partner=world.sd,
        state="taken_up",
        respite_until=timezone.localdate() + dt.timedelta(days=1),
    )
    assert tasks.escalate_overdue.delay().get(timeout=60) == {"escalated": 1}
    assert tasks.respite_reminders.delay().get(timeout=60) == {"expired": 0, "reminded": 1}
    assert Case.objects.get(pk=escalating.pk).escalated_at is not None
    assert Case.objects.get(pk=ending.pk).respite_reminded_for == ending.respite_until
    # running the jobs again changes nothing
    assert tasks.escalate_overdue.delay().get(timeout=60) == {"escalated": 0}
    assert tasks.respite_reminders.delay().get(timeout=60) == {"expired": 0, "reminded": 0}
