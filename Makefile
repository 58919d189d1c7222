# Two commands matter: `make serve` and `make test`. Both build .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATASET := data

.PHONY: serve test lint typecheck unit bench load stats docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

load: $(STAMP)
	$(BIN)/repgraph load --replace $(DATASET)

serve: load
	$(BIN)/repgraph serve

stats: $(STAMP)
	$(BIN)/repgraph stats

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

LINTER := tools/cypher-lint
$(LINTER)/node_modules/.package-lock.json: $(LINTER)/package-lock.json
	npm ci --prefix $(LINTER) --no-audit --no-fund

unit: $(STAMP) $(LINTER)/node_modules/.package-lock.json
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

docs: $(STAMP)
	$(BIN)/python -m schema.docs > docs/data-model.md
