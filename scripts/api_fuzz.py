"""Fuzz the REST API with schemathesis against its own generated schema, on a live server with demo data.

    python scripts/api_fuzz.py postgres://postgres@127.0.0.1:5432/tijdig [--max-examples N]

Creates a scratch database ``<name>_fuzz`` next to the given one, migrates it, seeds the demo world,
starts gunicorn on a free local port and runs ``st run`` once per role (corporation caseworker and
admin, social-service caseworker and manager), each with the ids of objects that role may see.
Fails (exit 1) on any 5xx, any response that does not match the schema, and any invalid input the
API accepts. Then stops the server and drops the database.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "unsupported_method",
    ]
)


#: The coverage phase (every boundary and wrong value of every parameter) is the slow one (about a
#: minute): the corporation's caseworker, who can reach every case action, gets it; the other roles
#: check their own paths (403, 404, their actions) with examples and fuzzing.
PHASES = {
    "corporation-caseworker": "examples,coverage,fuzzing",
    "social-service-caseworker": "examples,fuzzing",
    "corporation-admin": "examples,fuzzing",
    "social-service-manager": "examples,fuzzing",
}


def path_parameters(ids):
    """schemathesis config: the ``{id}`` of each resource is an object this role may see, so the
    operations reach the code behind the lookup (ids themselves are fuzzed in tests/api/test_errors.py)."""
    blocks = []
    for resource, pk in ids.items():
        if pk:
            blocks.append(
                f'[[operations]]\ninclude-path-regex = "^/api/v1/{resource}/\\\\{{id\\\\}}/"\n'
                f"parameters = {{ id = {pk} }}\n"
            )
    return "\n".join(blocks)


def scratch_database(url):
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_fuzz"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return name, urlunsplit(parts._replace(path="/" + name)), admin


def recreate(admin_url, name, drop_only=False):
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env, **kwargs):
    print("$", " ".join(str(c) for c in cmd[:6]), "…" if len(cmd) > 6 else "", flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603 (our own commands)


def wait_for(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("The API server stopped before it answered.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own local server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The API server did not answer at {url} within {seconds} s.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("API_FUZZ_EXAMPLES", "10")))
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("API_FUZZ_SEED", "7")))
    args = parser.parse_args()

    name, database_url, admin_url = scratch_database(args.database_url)
    var_dir = tempfile.mkdtemp(prefix="tijdig-fuzz-")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "fuzz-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "",
        # Uploaded imports are queued in memory and never run: the fuzz is about the API, not the parser.
        "CELERY_BROKER_URL": "memory://",
        "API_THROTTLE_RATE": "1000000/min",
        "TIJDIG_VAR_DIR": var_dir,
        "SECURE_SSL_REDIRECT": "0",
        # Thousands of requests: the server logs only errors (a 5xx's traceback), not every 4xx it answers.
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    python = str(VENV_BIN / "python")
    recreate(admin_url, name)
    server = None
    failed = []
    try:
        run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run([python, "manage.py", "seed_demo", "--force", "--households", str(args.households), "-v", "0"], env)
        setup = "import django; django.setup(); from tests.api import fuzz_world; fuzz_world.main()"
        tokens = json.loads(
            run([python, "-c", setup], env, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        )
        server = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--threads",
                "2",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/health/", server)
        for label, role in tokens.items():
            print(f"\n=== schemathesis as {label}: objects {role['ids']}", flush=True)
            config = Path(var_dir) / f"{label}.toml"
            config.write_text(path_parameters(role["ids"]))
            result = subprocess.run(  # noqa: S603
                [
                    str(VENV_BIN / "st"),
                    "--config-file",
                    str(config),
                    "run",
                    f"{base}/api/schema/?format=json",
                    "--header",
                    f"Authorization: Bearer {role['token']}",
                    "--checks",
                    CHECKS,
                    "--max-examples",
                    str(args.max_examples),
                    "--seed",
                    str(args.seed),
                    # One worker: two threads sharing Hypothesis' caches failed inside schemathesis itself.
                    "--workers",
                    "1",
                    "--phases",
                    PHASES[label],
                    "--request-timeout",
                    "30",
                    "--no-color",
                ],
                cwd=var_dir,  # schemathesis keeps its cache in the working directory: not in the repository
                env=env,
            )
            if result.returncode != 0:
                failed.append(label)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        recreate(admin_url, name, drop_only=True)
        shutil.rmtree(var_dir, ignore_errors=True)
    if failed:
        sys.exit(f"schemathesis found problems for: {', '.join(failed)}")
    print("\nschemathesis: no server errors, no schema violations, for every role.")


if __name__ == "__main__":
    main()
