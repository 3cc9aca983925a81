"""The local demo runs with production's error pages (docs/adr/0067): the Makefile's ``DEMO_ENV`` keeps
``DEBUG`` off, so a 500 shows the plain Dutch page, never Django's debug page with households' names;
it still serves static files, speaks plain http on this machine and lets a newcomer in without a phone."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.security.test_deploy_check import check_deploy

ROOT = Path(__file__).resolve().parents[2]

#: Run in a fresh process with exactly the demo's environment (and a throwaway database).
PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
print(json.dumps({
    "debug": settings.DEBUG,
    "two_factor": settings.TIJDIG_2FA_REQUIRED,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "css": client.get("/static/css/tijdig.css").status_code,
    "login": client.get("/login/").status_code,
    "missing": client.get("/bestaat-niet/").content.decode(),
}))
"""


def _demo_env():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^DEMO_ENV := (.*)$", text, re.MULTILINE).group(1)
    return dict(pair.split("=", 1) for pair in line.split())


def test_the_demo_environment_keeps_debug_pages_off(tmp_path):
    demo = _demo_env()
    assert demo.get("DEBUG", "0") == "0" and demo["TIJDIG_DEMO"] == "1"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TIJDIG_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "ERROR",
        **demo,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    assert seen["two_factor"] is False and seen["ssl_redirect"] is False
    assert seen["css"] == 200  # static files without collectstatic
    assert seen["login"] == 200
    assert "Pagina niet gevonden" in seen["missing"] and "Traceback" not in seen["missing"]
    assert "URLconf" not in seen["missing"]  # Django's debug 404 lists the URL patterns


def test_check_deploy_refuses_the_demo_mode():
    result = check_deploy(TIJDIG_DEMO="1")
    assert result.returncode != 0
    assert "tijdig.E003" in result.stdout + result.stderr
