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

build: $(STAMP) toolchains
	$(BIN)/connectors build --out dist

test: $(STAMP) toolchains
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) dist build *.egg-info
