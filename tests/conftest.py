"""Shared fixtures: the alice/bob/charlie world and its managers and admins, API clients, the import tests'
corporation and tenancy, eager Celery by default, and a real worker on demand."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import override_settings

from config.celery import app as celery_app
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import (
    AgreementFactory,
    Api,
    MembershipFactory,
    MunicipalityFactory,
    PartnerFactory,
    SocialServiceFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent


#: Tests hash passwords with MD5: PBKDF2 at Django's 1,000,000 iterations costs ~0.5 s a hash here,
#: and logins, lockouts and seed_demo hash many. Production keeps the strong default
#: (tests/security/test_password_hashing.py proves it).
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _eager_celery(request, settings):
    """Tasks run in-process unless a test asks for the real worker: the test stands in for the worker,
    as the embedded demo does, so an import may run where it was submitted (ADR 0068)."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.TIJDIG_IMPORT_IN_PROCESS = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _two_factor_off(request, settings):
    """Tests log in with ``force_login`` or the password form only; two-factor login has its own
    tests, marked ``two_factor``, which keep it required as production does."""
    if not request.node.get_closest_marker("two_factor"):
        settings.TIJDIG_2FA_REQUIRED = False


@pytest.fixture
def world(db):
    """alice works at corporation A, bob at corporation B, charlie at the social service covering
    Dordrecht; each corporation has an agreement with the social service for Dordrecht."""
    dordrecht = MunicipalityFactory(code="0505", name="Dordrecht")
    corp_a = PartnerFactory(slug="corp-a", name="Corporatie A")
    corp_b = PartnerFactory(slug="corp-b", name="Corporatie B")
    sd = SocialServiceFactory(slug="sd", name="Sociale Dienst")
    sd.municipalities.add(dordrecht)
    AgreementFactory(corporation=corp_a, municipality=dordrecht, social_service=sd)
    AgreementFactory(corporation=corp_b, municipality=dordrecht, social_service=sd)
    alice = MembershipFactory(user=UserFactory(username="alice"), partner=corp_a, role="caseworker").user
    bob = MembershipFactory(user=UserFactory(username="bob"), partner=corp_b, role="caseworker").user
    charlie = MembershipFactory(user=UserFactory(username="charlie"), partner=sd, role="caseworker").user
    return type(
        "World",
        (),
        {
            "dordrecht": dordrecht,
            "corp_a": corp_a,
            "corp_b": corp_b,
            "sd": sd,
            "alice": alice,
            "bob": bob,
            "charlie": charlie,
        },
    )


@pytest.fixture
def people(world):
    """A user for every (partner, role) of the world: ``people["corp_a", "manager"]``. The caseworkers are
    alice, bob and charlie; the managers and partner admins are named after their partner and role, with
    an e-mail address (``corp-a-manager``, ``corp-a-manager@example.org``)."""
    found = {
        ("corp_a", "caseworker"): world.alice,
        ("corp_b", "caseworker"): world.bob,
        ("sd", "caseworker"): world.charlie,
    }
    for key in ("corp_a", "corp_b", "sd"):
        partner = getattr(world, key)
        for role in ("manager", "admin"):
            name = f"{partner.slug}-{role}"
            user = UserFactory(username=name, email=f"{name}@example.org")
            MembershipFactory(user=user, partner=partner, role=role)
            found[key, role] = user
    return found


@pytest.fixture
def api():
    """``api(user, partner=None)``: an API client with a fresh token of the user's."""
    return Api


@pytest.fixture
def corp(db):
    """The import tests' corporation, DrechtWonen in Dordrecht (outside the alice/bob/charlie world)."""
    MunicipalityFactory(code="0505", name="Dordrecht")
    return PartnerFactory(slug="drechtwonen", name="DrechtWonen")


@pytest.fixture
def tenancy(corp):
    """A known tenancy (master data from an earlier snapshot or the seed): HC1, rent € 700."""
    household = HouseholdFactory(corporation=corp, name="J. de Vries")
    return TenancyFactory(household=household, contract_number="HC1", monthly_rent="700.00")


@pytest.fixture
def receiver():
    """``receiver(script=())``: a real HTTP server on localhost for webhook deliveries
    (``tests.partners.receiver.Receiver``), shut down after the test."""
    from tests.partners.receiver import Receiver

    made = []

    def make(script=()):
        made.append(Receiver(script))
        return made[-1]

    yield make
    for server in made:
        server.close()


def _require_real_services():
    if connection.vendor != "postgresql":
        pytest.fail("The real-worker tests need PostgreSQL: set DATABASE_URL (make test does).")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.fail("The real-worker tests need Redis: set CELERY_BROKER_URL (make test does).")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real ``celery worker`` process on the real Redis broker, using the test database."""
    _require_real_services()
    celery_app.conf.task_always_eager = False
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env.setdefault("SECRET_KEY", "test")
    env.setdefault("TIJDIG_VAR_DIR", str(tmp_path))
    celery_app.control.purge()
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Celery worker did not start:\n" + (tmp_path / "worker.log").read_text())
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        celery_app.conf.task_always_eager = True


class Migrator:
    """Moves the test database along the migration graph; the historical models at each stop."""

    def migrate(self, targets):
        """Migrate to ``targets`` (``(app, None)``: before the app's first migration) and return the
        historical models there, every app not named at its latest."""
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        executor.loader.build_graph()
        graph, applied = executor.loader.graph, set(executor.loader.applied_migrations)
        # Each app's last applied migration: the state the database is in now.
        last = [node for node in applied if not any(child in applied for child in graph.node_map[node].children)]
        return executor.loader.project_state(last).apps

    def latest(self):
        """Every app at its latest migration; returns the historical models there."""
        from django.db.migrations.executor import MigrationExecutor

        return self.migrate(list(MigrationExecutor(connection).loader.graph.leaf_nodes()))


@pytest.fixture
def migrator(transactional_db):
    """For migration tests: whatever the test does, the database ends at the latest migration of every
    app, so the tests after it find the schema (and content types) they expect."""
    migrator = Migrator()
    try:
        yield migrator
    finally:
        migrator.latest()
