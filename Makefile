# Reciprocal: `make run` serves the platform with demo data; `make test` runs the whole suite.
# Both do all their own set-up on a fresh Debian machine (see scripts/).
VENV ?= .venv
export RECIPROCAL_DATA_DIR ?= $(CURDIR)/instance

.PHONY: run test setup lint runners clean

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check platform tests bench runners scripts
	$(VENV)/bin/mypy platform/reciprocal/core platform/reciprocal/models

runners: setup
	@bash scripts/ensure-docker.sh
	$(VENV)/bin/reciprocal runners build

clean:
	rm -rf instance .pytest_cache .ruff_cache
