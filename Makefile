# Two entry points do all set-up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test clean toolchains

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Pinned Node toolchains that verify the generated artifacts; each platform adds its own
# prerequisite to `toolchains`. Installed once into ignored folders and reused by the tests.
toolchains:
toolchains: toolchains/zapier/node_modules/.installed

toolchains/zapier/node_modules/.installed: toolchains/zapier/package-lock.json
	cd toolchains/zapier && npm ci --no-audit --no-fund --loglevel=error
	touch $@

build: $(STAMP) toolchains
	$(BIN)/connectors build --out dist

test: $(STAMP) toolchains
	$(BIN)/pytest -q

# Make's custom-app JSON schemas (a third party's data, never committed): the Make checks read
# them from MAKE_SCHEMAS_DIR. Fetch the pinned commit's files when the directory is missing.
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

clean:
	rm -rf $(VENV) dist build *.egg-info
