# Two commands matter: `make serve` and `make test`. Both build .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATASET := data

.PHONY: serve test lint typecheck unit notebooks bench load stats docs clean audit

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
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
	$(BIN)/mypy tools/audit_deps.py

LINTER := tools/cypher-lint
$(LINTER)/node_modules/.package-lock.json: $(LINTER)/package-lock.json
	npm ci --prefix $(LINTER) --no-audit --no-fund

# axe-core, which the accessibility browser tests inject into each page
AXE := tools/axe
$(AXE)/node_modules/.package-lock.json: $(AXE)/package-lock.json
	npm ci --prefix $(AXE) --no-audit --no-fund

unit: $(STAMP) $(LINTER)/node_modules/.package-lock.json $(AXE)/node_modules/.package-lock.json
	$(BIN)/pytest

# Every notebook runs top to bottom on the venv's own kernel (JUPYTER_PATH puts it first).
notebooks: $(STAMP)
	JUPYTER_PATH=$(CURDIR)/$(VENV)/share/jupyter $(BIN)/pytest --nbmake --nbmake-timeout=600 notebooks/

test: lint typecheck unit notebooks

# Known vulnerabilities, yanked releases and security deprecations among the installed Python
# distributions and the npm lock, as the registries publish them today (docs/security.md).
# Not part of `make test`: its verdict changes when an advisory appears, with no change here,
# and it needs the registries; CI runs both.
audit: $(STAMP)
	$(BIN)/python tools/audit_deps.py

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

docs: $(STAMP)
	$(BIN)/python -m schema.docs > docs/data-model.md
