# The two commands a new user needs: `make demo` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test system-deps test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Serve the app on SQLite with the demo register and demo accounts loaded.
demo: $(STAMP)
	RECRUITWATCH_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/recruitwatch demo
	RECRUITWATCH_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/recruitwatch serve --host $(HOST) --port $(PORT)

## Lint, then the whole suite on SQLite and again on PostgreSQL (127.0.0.1:5432).
test: $(STAMP) system-deps lint test-sqlite test-postgres

system-deps:
	bash scripts/ensure-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Browser tests run in a pytest process of their own: Playwright's sync API owns the main thread's
# event loop, which the async tests need. They are about pages, not the database: they run once,
# in the SQLite run.
test-sqlite: $(STAMP)
	RECRUITWATCH_TEST_DB=sqlite $(BIN)/pytest -q -m "not browser"
	RECRUITWATCH_TEST_DB=sqlite $(BIN)/pytest -q -m browser tests/browser

test-postgres: $(STAMP)
	RECRUITWATCH_TEST_DB=postgres $(BIN)/pytest -q -m "not browser"

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-* .pytest_cache .ruff_cache .mypy_cache
