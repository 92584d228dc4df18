# make site: build the whole site from catalog/ into site/.  make test: run every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: site serve test lint validate generate clean search-quality bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Pinned versions come from requirements.lock; the project itself is installed editable.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

site: $(VENV)/.installed
	$(BIN)/lvyin build

serve: $(VENV)/.installed
	$(BIN)/lvyin serve

validate: $(VENV)/.installed
	$(BIN)/lvyin validate

generate: $(VENV)/.installed
	$(BIN)/lvyin generate --out out/docs

# axe-core, injected into pages by the accessibility tests (pinned in package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: lint node_modules/.installed
	$(BIN)/python -m pytest

# Style and types first: ruff (lint, import order) and mypy (strict for the core packages, see pyproject.toml).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy

# Recall@5 and MRR of tests/search_queries.yaml: our search against Pagefind out of the box.
search-quality: $(VENV)/.installed-test
	$(BIN)/python benchmarks/search_quality.py

# Scale benchmark (issue 6): synthetic catalogues of N lectures, every build stage measured.
# make bench (N = 1,000, 10,000, 100,000) or make bench N="1000 10000"; results in benchmarks/results.md.
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py $(foreach n,$(N),-n $(n))

clean:
	rm -rf site out .pytest_cache .lvyin-cache
