# Two commands for a newcomer: `make demo` and `make test`. Needs only python3 (3.11+) and make.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv

.PHONY: install demo test test-clock quick lint format bench fault browsers clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Bytecode compiled once at install: where PYTHONDONTWRITEBYTECODE is set, every process would
# otherwise compile statsmodels, scipy, Django and the rest from source on each start.
$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

install: $(VENV)/.synced

# Debian's chromium for the browser tests (Playwright's own download does not work offline).
browsers:
	@scripts/ensure-system-packages

demo: install
	$(VENV)/bin/divert demo

# The whole suite, slow statistical checks included, shared between the cores (pytest-xdist;
# each worker has its own database). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: install browsers
	@$(VENV)/bin/python -m compileall -q divert
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# `make test` runs each test at one of four hours where a Pacific site's day and the UTC day
# part (tests/conftest.py). This runs the suite (slow and browser tests aside) again with every
# test moved to each other hour in turn: with `make test`, each test at all four.
# CLOCK_SHIFTS="1 3" leaves shift 2 to another run (CI's PostgreSQL suite).
CLOCK_SHIFTS ?= 1 2 3
test-clock: install
	@$(VENV)/bin/python -m compileall -q divert
	@set -e; for s in $(CLOCK_SHIFTS); do \
		echo "== every test moved $$s hour(s) along"; \
		DIVERT_TEST_CLOCK_SHIFT=$$s $(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not slow and not browser" $(PYTEST_ARGS); \
	done

# Everything but the slow statistical checks, for quick iteration.
quick: install
	$(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# PostgreSQL for the benchmarks and the fault test: BENCH_POSTGRES_URL (a database of their own).
bench: install
	$(VENV)/bin/python -m benchmarks

# PostgreSQL connections killed, then refused, under load: 503s that recover, no stuck worker.
fault: install
	$(VENV)/bin/python -m benchmarks.pg_fault

clean:
	rm -rf $(VENV) $(TOOLS) var/static .pytest_cache
