import pytest

from arrears import tasks
from tests.arrears.factories import CaseFactory

pytestmark = [pytest.mark.real_worker, pytest.mark.postgres]


def test_real_worker_runs_task_over_redis_against_postgres(celery_worker_process):
    CaseFactory.create_batch(3)
    result = tasks.heartbeat.delay()
    outcome = result.get(timeout=60)
    # The worker is another process: it saw the rows this test committed to PostgreSQL.
    assert outcome["cases"] == 3
    assert result.successful()
