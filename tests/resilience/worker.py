"""Start and stop real ``celery worker`` processes with a chosen environment (e.g. through a proxy)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection

from config.celery import app as celery_app
from tests.resilience.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]


def database_url(port=None):
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, tmp_path, name, **env):
        self.log_path = tmp_path / f"{name}.log"
        self.hostname = f"{name}-{os.getpid()}@%h"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "SECRET_KEY": os.environ.get("SECRET_KEY", "test"),
            "TIJDIG_VAR_DIR": str(tmp_path),
            **env,
        }
        self.proc = None

    def start(self, wait=True):
        self._log = open(self.log_path, "a")  # noqa: SIM115 (closed in stop)
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", self.hostname]
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        if wait:
            self.wait_until_ready()
        return self

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while "ready." not in self.log():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("worker did not start:\n" + self.log())
            time.sleep(0.2)

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc is not None:
            self._log.close()


def require_real_services():
    import pytest

    if connection.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.fail("needs PostgreSQL and Redis (make test-postgres)")
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()


@contextlib.contextmanager
def publishing_through(broker_url):
    """This process's Celery app hands tasks to the broker at ``broker_url`` (e.g. a proxy) meanwhile.
    (Celery reads ``CELERY_BROKER_URL`` from the environment before its configuration.)"""
    saved = os.environ.get("CELERY_BROKER_URL")

    def fresh_pools():  # the app looks its pools up again, by broker URL (kombu keeps one per URL)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    fresh_pools()
    os.environ["CELERY_BROKER_URL"] = broker_url
    try:
        yield
    finally:
        fresh_pools()
        if saved is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved


@contextlib.contextmanager
def worker_behind_proxies(tmp_path, name, log_tail=5000, cache_too=False, **env):
    """A real worker whose lines to PostgreSQL and Redis go through proxies of our own, to be cut and
    restored: yields ``(worker, pg_proxy, redis_proxy, via_proxy)`` (``via_proxy``: the broker URL through
    the proxy; with ``cache_too`` the worker's cache uses it as well). On a failure the worker's log is
    printed; the worker is stopped in any case, and must still be running when the block ends."""
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
            name,
            DATABASE_URL=database_url(port=pg_proxy.port),
            CELERY_BROKER_URL=via_proxy,
            CELERY_RESULT_BACKEND=via_proxy,
            **({"REDIS_URL": via_proxy} if cache_too else {}),
            **env,
        ).start()
        try:
            yield worker, pg_proxy, redis_proxy, via_proxy
            assert worker.proc.poll() is None, "the worker died instead of reconnecting"
        except Exception:
            print(worker.log()[-log_tail:])
            raise
        finally:
            worker.stop()
            celery_app.conf.task_always_eager = True
