# make run  — create .venv, install, start the hub on SQLite with the demo organisation
# make test — install, lint, type-check and run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: run test test-pg lint browser-deps bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(RUNTIME) $@

run: $(RUNTIME)
	$(BIN)/sablier run

lint: $(DEV)
	$(BIN)/ruff check sablier tests bench
	$(BIN)/mypy sablier

# Debian's chromium for the browser test; Playwright drives it (no browser download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji fonts-dejavu-core >/dev/null; \
	  else echo "chromium not found and cannot install it: the browser test will skip"; fi; }

test: $(DEV) browser-deps lint
	$(BIN)/pytest

# The same suite on PostgreSQL (SABLIER_TEST_PG_URL), in a database created fresh for the run.
test-pg: $(DEV) browser-deps
	@test -n "$$SABLIER_TEST_PG_URL" || { echo "set SABLIER_TEST_PG_URL=postgresql://user@host:port/db"; exit 2; }
	SABLIER_DATABASE_URL="$$SABLIER_TEST_PG_URL" $(BIN)/pytest --create-db

bench: $(RUNTIME)
	@ls bench/*.py >/dev/null 2>&1 && for script in bench/*.py; do $(BIN)/python $$script --quick; done || true

messages: $(DEV)
	cd sablier && ../$(BIN)/django-admin makemessages -l fr --settings=sablier.django_settings && \
	  ../$(BIN)/django-admin compilemessages --settings=sablier.django_settings

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
