# Tijdig — the targets a newcomer guesses. `make help` lists them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The test suite runs on the real services: PostgreSQL and Redis on this machine unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tijdig
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# Production settings, except that the test client and live server speak plain http.
TEST_ENV := SECRET_KEY=test-secret-key DEBUG=0 ALLOWED_HOSTS=testserver,localhost,127.0.0.1 SECURE_SSL_REDIRECT=0
# The local demo only (docs/adr/0067): production's error pages (DEBUG stays off), plain http on this
# machine, static files from the source folders, and two-factor login off so a newcomer can click in.
DEMO_ENV := TIJDIG_DEMO=1 DEBUG=0 TIJDIG_2FA_REQUIRED=0
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install test-tools demo run worker beat test test-postgres test-sqlite test-api-fuzz test-a11y lint format messages bench services-check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

# Test-only JavaScript: axe-core for the accessibility test (package.json, pinned in package-lock.json).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test-tools: install node_modules/.package-lock.json ## Python requirements and the tests' axe-core (npm ci)

demo: install ## Start the portal with demo data on the embedded default (SQLite, in-process tasks)
	@if command -v msgfmt >/dev/null; then $(DEMO_ENV) $(MANAGE) compilemessages --ignore=.venv -v 0; \
	  else echo "gettext is not installed: using the committed translations"; fi
	$(DEMO_ENV) $(MANAGE) migrate --no-input -v 0
	$(DEMO_ENV) $(MANAGE) seed_demo
	@echo "Tijdig runs at http://$(HOST):$(PORT)/ — log in as drechtwonen-caseworker / demo (see README)"
	$(DEMO_ENV) $(MANAGE) runserver $(HOST):$(PORT)

run: install ## Start the portal without (re)seeding
	$(DEMO_ENV) $(MANAGE) runserver $(HOST):$(PORT)

worker: install ## Start a Celery worker (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A config worker --loglevel INFO

beat: install ## Start Celery beat (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A config beat --loglevel INFO

services-check: ## Fail loudly when PostgreSQL or Redis cannot be reached
	@$(PY) scripts/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"

lint: install ## ruff lint and format check, app layers (import-linter), no import cycles, mypy, migrations up to date
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/import_cycles.py
	$(TEST_ENV) $(VENV)/bin/mypy
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run

messages: install ## Update the Dutch catalogue and compile it
	DEBUG=1 $(MANAGE) makemessages -l nl --ignore=.venv --ignore=bench --ignore=node_modules --no-obsolete
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv

test: test-tools lint services-check ## The whole suite: lint, API fuzz, PostgreSQL + real Redis worker, then SQLite
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv -v 0
	$(MAKE) --no-print-directory test-api-fuzz
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-sqlite

test-postgres: test-tools ## The suite on PostgreSQL with a real Celery worker over Redis
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_REDIS_URL) \
	  CELERY_RESULT_BACKEND=$(TEST_REDIS_URL) $(VENV)/bin/coverage run -m pytest $(PYTEST_ARGS)
	$(VENV)/bin/coverage report --skip-covered --fail-under=85

test-sqlite: install ## The suite on the embedded default (SQLite); real-worker, PostgreSQL-only, browser tests and sweeps deselected
	$(TEST_ENV) $(VENV)/bin/pytest -m "not real_worker and not postgres and not e2e and not sweep" $(PYTEST_ARGS)

test-a11y: test-tools ## Every page for every role through axe-core (WCAG 2.1 AA) in Chromium (docs/accessibility.md; part of test-postgres)
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_REDIS_URL) \
	  CELERY_RESULT_BACKEND=$(TEST_REDIS_URL) $(VENV)/bin/pytest tests/e2e/test_accessibility.py $(PYTEST_ARGS)

test-api-fuzz: install ## schemathesis against the API schema on a live server with demo data (fails on any 5xx or schema violation)
	$(PY) scripts/api_fuzz.py "$(TEST_DATABASE_URL)"

bench: install ## Benchmarks on PostgreSQL, the webhook one with a real worker over Redis (prints figures)
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/bench_*.py; do DATABASE_URL=$(TEST_DATABASE_URL) BENCH_REDIS_URL=$(TEST_REDIS_URL) $(TEST_ENV) $(PY) $$b; done

clean: ## Remove the virtualenv, the local database and caches
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .ruff_cache .mypy_cache .coverage
