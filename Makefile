# Thin entry points; see README.md. `make` bootstraps uv with pip when it is missing.
PY ?= python3
UV := $(PY) -m uv
DEMO_DIR ?= demo-output
export HANDISTAT_DATA_DIR ?= $(DEMO_DIR)/data

RELIABILITY_DIR ?= $(DEMO_DIR)/reliability

.PHONY: bootstrap setup demo test test-slow test-spark test-postgres reliability lint format bench bench-api serve clean

bootstrap:
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet --disable-pip-version-check uv

setup: bootstrap
	@$(UV) sync --frozen --quiet

demo: setup
	@DEMO_DIR=$(DEMO_DIR) UV="$(UV)" bash scripts/demo.sh

test: setup
	$(UV) run pytest -n 2 -q

test-slow: setup
	$(UV) run pytest -q -m "slow or bigdata"

test-spark: bootstrap
	@command -v java >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null)
	$(UV) sync --frozen --group spark --quiet
	$(UV) run --group spark pytest -q -m spark

# The catalogue tests and the service tests on a throw-away PostgreSQL (Debian's package).
test-postgres: setup
	bash scripts/with-postgres.sh $(UV) run pytest -n 2 -q -p no:randomly -m "postgres or not (slow or bigdata or spark or browser)" \
	  tests/stores tests/intake tests/api/test_deliveries.py tests/approval tests/release tests/accounts

# Kill harness, 98-upload load and the hostile corpus; writes docs/reliability.md.
reliability: setup
	@mkdir -p $(RELIABILITY_DIR)
	HANDISTAT_RELIABILITY_OUT=$(RELIABILITY_DIR)/kill.json $(UV) run pytest -q -p no:randomly -m slow tests/reliability/test_kill_harness.py
	HANDISTAT_RELIABILITY_OUT=$(RELIABILITY_DIR)/load.json $(UV) run pytest -q -p no:randomly -m slow tests/reliability/test_load_98.py
	@if [ -d tests/security ]; then $(UV) run pytest -q -p no:randomly tests/security --junitxml=$(RELIABILITY_DIR)/security.xml; fi
	$(UV) run python scripts/reliability_report.py $(RELIABILITY_DIR) docs/reliability.md
	@cat docs/reliability.md

lint: setup
	$(UV) run ruff check src tests benchmarks
	$(UV) run ruff format --check src tests benchmarks
	$(UV) run mypy

format: setup
	$(UV) run ruff format src tests benchmarks
	$(UV) run ruff check --fix src tests benchmarks

bench: setup
	$(UV) run python -m benchmarks.run
	@$(MAKE) --no-print-directory bench-api

# R-PERF-4: HANDBU01 through `handistat serve --workers 2` under wrk, next to a bare endpoint.
bench-api: setup
	@command -v wrk >/dev/null 2>&1 || bash scripts/system-deps.sh
	$(UV) run python -m benchmarks.api

serve: setup
	$(UV) run handistat serve

clean:
	rm -rf $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
