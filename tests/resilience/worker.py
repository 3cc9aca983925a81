"""Start and stop real ``celery worker`` processes with a chosen environment (e.g. through a proxy)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from config.celery import app as celery_app

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
