"""The worker loses PostgreSQL and Redis for a while, reconnects by itself and then works through the
tasks that were queued meanwhile. Its lines go through proxies of our own; the servers stay up."""

import os
import time
from urllib.parse import urlsplit

import pytest
from django.db import connection

from arrears import tasks
from config.celery import app as celery_app

from ..factories import CaseFactory
from .tcp_proxy import TcpProxy
from .worker import Worker, database_url, require_real_services

pytestmark = [pytest.mark.real_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_worker_reconnects_after_database_and_broker_outage(tmp_path):
    require_real_services()
    broker = urlsplit(os.environ["CELERY_BROKER_URL"])
    db = connection.settings_dict
    with (
        TcpProxy(db["HOST"] or "127.0.0.1", db["PORT"] or 5432) as pg_proxy,
        TcpProxy(broker.hostname, broker.port or 6379) as redis_proxy,
    ):
        via_proxy = f"redis://127.0.0.1:{redis_proxy.port}{broker.path}"
        worker = Worker(
            tmp_path,
            "outage",
            DATABASE_URL=database_url(port=pg_proxy.port),
            CELERY_BROKER_URL=via_proxy,
            CELERY_RESULT_BACKEND=via_proxy,
        ).start()
        try:
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
            assert worker.proc.poll() is None, "the worker died instead of reconnecting"
        except Exception:
            print(worker.log()[-5000:])
            raise
        finally:
            worker.stop()
            celery_app.conf.task_always_eager = True
