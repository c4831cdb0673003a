# Passerelle: `make run` serves the API with demo data; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?= --durations=15
# `make run` is a demo: a certificate is earned after this many contact hours (default 10)
DEMO_CERTIFICATE_HOURS ?= 0.25

.PHONY: run test lint check-python migrate demo test-sqlite test-postgres bench clean

# What running needs (`make run`), and the development tools on top (`make test`).
$(VENV)/.installed-run: pyproject.toml
	@$(MAKE) --no-print-directory check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed: $(VENV)/.installed-run
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Passerelle needs Python 3.11 or newer (set PYTHON=python3.11)")'

migrate: $(VENV)/.installed-run
	$(BIN)/alembic upgrade head

demo: migrate
	$(BIN)/python -m app.demo --base-url http://localhost:$(PORT)

run: demo
	PASSERELLE_CERTIFICATE_MIN_HOURS=$${PASSERELLE_CERTIFICATE_MIN_HOURS:-$(DEMO_CERTIFICATE_HOURS)} \
		$(BIN)/python -m app.serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The SQLite run always; the PostgreSQL (+ Redis) run too when PASSERELLE_TEST_POSTGRES_URL
# is set, and then it is required. pytest exits 5 when it collects no test: that fails too.
# The two runs share nothing (a temporary SQLite file; a database of its own on PostgreSQL;
# free ports), so they run side by side, each one's output printed whole when it ends.
test: lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: $(VENV)/.installed
	PASSERELLE_TEST_DATABASE_URL= PASSERELLE_TEST_BROKER_URL=memory:// \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed
	@if [ -n "$$PASSERELLE_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL run: $${PASSERELLE_TEST_POSTGRES_URL%%@*}@... broker $${PASSERELLE_TEST_REDIS_URL:-memory://}"; \
		PASSERELLE_TEST_DATABASE_URL="$$PASSERELLE_TEST_POSTGRES_URL" \
		PASSERELLE_TEST_BROKER_URL="$${PASSERELLE_TEST_REDIS_URL:-memory://}" \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	else \
		echo "== PostgreSQL run skipped: set PASSERELLE_TEST_POSTGRES_URL to run it"; \
	fi

bench: $(VENV)/.installed
	$(BIN)/python -m bench.scheduling --repeat 5
	$(BIN)/python -m bench.attendance
	$(BIN)/python -m bench.matching --sizes 200,1000,3000
	$(BIN)/python -m bench.responsiveness --classes 3000

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache passerelle.db passerelle.db-*
