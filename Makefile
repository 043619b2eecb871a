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

# The suite (slow and browser tests aside) with the clock frozen at each hour where a
# Pacific site's day and the UTC day part; `make test` spreads tests over the same hours.
CLOCK_TIMES := 00:30 07:59 16:30 23:59
test-clock: install
	@$(VENV)/bin/python -m compileall -q divert
	@set -e; for t in $(CLOCK_TIMES); do \
		echo "== clock frozen at $$t UTC"; \
		DIVERT_TEST_CLOCK=$$t $(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not slow and not browser" $(PYTEST_ARGS); \
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
