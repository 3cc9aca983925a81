"""Webhook delivery latency benchmark on PostgreSQL and Redis (issue 15). Prints figures; asserts nothing.

Builds its own database (``<DATABASE_URL's name>_bench_webhook_latency``, dropped and re-created, then
dropped again at the end), starts a real ``celery worker`` process as ``make worker`` does (the prefork
pool, one process per core) on the Redis broker in ``CELERY_BROKER_URL``, ``REDIS_URL`` or
``BENCH_REDIS_URL``, on a queue of its own, and a real HTTP receiver on localhost
(``tests/partners/receiver.py``). A corporation subscribes to ``respite.granted``; the social service
then grants respite on one case after another through the real service
(``arrears.services.respite.respite_grant``). For each event it measures the time from the service's
transaction committing to the receiver getting the signed POST, and prints the median, 90th percentile
and maximum (target: median < 2 s) — once event by event (each waits for the previous delivery), once
as a burst (all granted back to back, the worker working through its queue). The first, cold delivery
(the worker's first task) is reported apart, and every signature is checked as the README shows.

What the time goes to: the commit to the publish on Redis, the worker taking the message (prefetch 1,
``acks_late``), the delivery's row, the POST, the row saved. Each grant also queues the e-mail notice;
the webhook is queued before it (``arrears/services/respite.py``), so a free worker process takes it first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tijdig BENCH_REDIS_URL=redis://127.0.0.1:6379/15 \\
        python bench/bench_webhook_latency.py [events]
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch_database import bench_database, drop_database  # noqa: E402

EVENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 50
SECRET = "bench-secret"
BROKER_VARIABLES = ("CELERY_BROKER_URL", "REDIS_URL", "BENCH_REDIS_URL")


def build(url, cases):
    """The world: a corporation subscribed to ``respite.granted`` at ``url``, a social service working
    ``cases`` of its cases (taken up), and the service's caseworker."""
    from arrears.workflow import CaseState
    from partners.models import WebhookSubscription
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
    charlie = MembershipFactory(user=UserFactory(username="charlie"), partner=service, role="caseworker").user
    WebhookSubscription.objects.create(partner=corporation, url=url, secret=SECRET, events=["respite.granted"])
    taken_up = [
        flagged_case(corporation, days=130, queue_partner=service, state=CaseState.TAKEN_UP, assignee=charlie)
        for _ in range(cases)
    ]
    return taken_up, charlie


def grant(case, charlie):
    """Grant respite through the service; returns ``time.monotonic()`` at the commit (an on_commit hook
    registered first runs first: before the delivery is queued)."""
    from django.db import transaction

    from arrears.services import respite

    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.monotonic()))
        respite.respite_grant(case=case, by=charlie)
    return committed[0]


def start_worker(database_url, queue, log_path):
    from config.celery import app

    hostname = f"bench-{os.getpid()}@{socket.gethostname()}"
    env = dict(os.environ, DATABASE_URL=database_url, CELERY_TASK_DEFAULT_QUEUE=queue)
    log = open(log_path, "w")  # noqa: SIM115 (closed by stop_worker)
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--queues", queue, "--hostname", hostname]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[hostname], timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_worker(proc, log)
            sys.exit("the Celery worker did not start:\n" + Path(log_path).read_text())
    return proc, log


def stop_worker(proc, log):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def figures(name, latencies):
    ms = sorted(seconds * 1000 for seconds in latencies)
    p90 = statistics.quantiles(ms, n=10, method="inclusive")[8]
    print(
        f"{name}: {len(ms)} events, median {statistics.median(ms):.0f} ms, p90 {p90:.0f} ms, "
        f"max {ms[-1]:.0f} ms (target: median < 2000 ms)"
    )


def run(receiver, cases, charlie):
    from tests.partners.receiver import verify

    # the first delivery: the worker's first task (its database connection, the task's imports)
    committed = grant(cases[0], charlie)
    ((_headers, _body, arrived),) = receiver.wait_for(1)
    print(f"cold: the worker's first delivery {(arrived - committed) * 1000:.0f} ms after the commit")

    one_by_one = []
    for n, case in enumerate(cases[1 : EVENTS + 1], start=2):
        committed = grant(case, charlie)
        arrived = receiver.wait_for(n)[-1][2]
        one_by_one.append(arrived - committed)
    figures("event by event (each waits for the previous delivery)", one_by_one)

    done = len(receiver.received)
    commits = [grant(case, charlie) for case in cases[EVENTS + 1 :]]
    receiver.wait_for(done + len(commits), timeout=120)
    # deliveries may arrive in another order than the commits: pair them by the case in the body
    figures("burst (granted back to back)", _paired(receiver.received[done:], commits, cases[EVENTS + 1 :]))
    bad = [headers for headers, body, _at in receiver.received if not verify(SECRET, headers, body)]
    print(f"signatures verified: {len(receiver.received) - len(bad)} of {len(receiver.received)}")


def _paired(received, commits, cases):
    import json

    committed_at = {case.pk: at for case, at in zip(cases, commits, strict=True)}
    return [arrived - committed_at[json.loads(body)["data"]["case_id"]] for _headers, body, arrived in received]


def main():
    # make bench passes BENCH_REDIS_URL (the other benchmarks run without a broker, tasks in-process)
    broker = next((os.environ[name] for name in BROKER_VARIABLES if os.environ.get(name)), "")
    if not broker.startswith("redis://"):
        sys.exit(f"bench_webhook_latency needs Redis: set one of {', '.join(BROKER_VARIABLES)} (make bench does).")
    os.environ["DATABASE_URL"], _exists = bench_database("bench_webhook_latency", reuse=False, bench="bench_webhook")
    queue = f"bench-webhooks-{os.getpid()}"  # its own queue: a test run's worker on the same Redis takes none
    os.environ.update(CELERY_BROKER_URL=broker, CELERY_TASK_DEFAULT_QUEUE=queue)
    os.environ.pop("CELERY_RESULT_BACKEND", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    scratch = tempfile.TemporaryDirectory(prefix="bench-webhooks-")
    os.environ.setdefault("TIJDIG_VAR_DIR", scratch.name)

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tests.partners.receiver import Receiver

    url = os.environ["DATABASE_URL"]
    print(f"bench_webhook_latency on {urlparse(url).path.lstrip('/')}, broker {urlparse(broker).netloc}")
    receiver = Receiver()
    worker = None
    try:
        call_command("migrate", verbosity=0)
        cases, charlie = build(receiver.url, 1 + 2 * EVENTS)
        worker = start_worker(url, queue, Path(scratch.name) / "worker.log")
        run(receiver, cases, charlie)
    finally:
        if worker is not None:
            stop_worker(*worker)
        receiver.close()
        connections.close_all()
        drop_database(url)
        scratch.cleanup()


if __name__ == "__main__":
    main()
