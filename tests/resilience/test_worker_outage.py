"""The worker loses PostgreSQL and Redis for a while, reconnects by itself and then works through the
tasks that were queued meanwhile. Its lines go through proxies of our own; the servers stay up."""

import time

import pytest

from arrears import tasks
from tests.arrears.factories import CaseFactory
from tests.resilience.worker import worker_behind_proxies

pytestmark = [pytest.mark.real_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_worker_reconnects_after_database_and_broker_outage(tmp_path):
    with worker_behind_proxies(tmp_path, "outage") as (_worker, pg_proxy, redis_proxy, _via_proxy):
        CaseFactory.create_batch(2)
        assert tasks.heartbeat.delay().get(timeout=60)["cases"] == 2

        pg_proxy.cut()
        redis_proxy.cut()
        queued = tasks.heartbeat.delay()  # the test reaches Redis directly; only the worker is cut off
        time.sleep(3)
        assert not queued.ready()
        CaseFactory()
        pg_proxy.restore()
        redis_proxy.restore()

        assert queued.get(timeout=90)["cases"] == 3
        assert tasks.heartbeat.delay().get(timeout=60)["cases"] == 3
