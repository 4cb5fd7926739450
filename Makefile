# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Test processes (pytest-xdist): one per core. JOBS=0 runs the tests in pytest's own process.
JOBS ?= auto

.PHONY: demo serve test test-fast lint lock messages clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found (Django 6.1 needs it)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/base.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: requirements/dev.lock $(VENV)/.base node_modules/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	touch $@

# axe-core for the browser tests' accessibility checks (package-lock.json pins it). Without
# npm the checks are skipped locally and fail in CI.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts --silent && touch $@; \
	else echo "npm not found: the accessibility checks of the browser tests will be skipped"; fi

## make demo: install, then `chibo demo`: migrate, generate demo data, serve on http://$(HOST)
demo: $(VENV)/.base
	$(BIN)/chibo demo --addr $(HOST)

serve: $(VENV)/.base
	$(BIN)/chibo migrate --noinput
	$(BIN)/chibo runserver $(HOST)

## make test: install dev dependencies and run the whole suite (SQLite unless DATABASE_URL is set)
test: $(VENV)/.dev
	$(BIN)/pytest -n $(JOBS) $(ARGS)

## make test-fast: the suite without the slow tests, on test databases kept between runs
## (made again when the migrations change; ARGS=--create-db to force it)
test-fast: $(VENV)/.dev
	$(BIN)/pytest -n $(JOBS) -m "not slow" --reuse-db $(ARGS)

lint: $(VENV)/.dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy chibo

## make lock: re-pin requirements/*.lock from requirements/*.in
lock: $(VENV)/.dev
	$(BIN)/pip install --quiet uv
	cd requirements && ../$(BIN)/uv pip compile --python-version 3.12 --quiet base.in -o base.lock
	cd requirements && ../$(BIN)/uv pip compile --python-version 3.12 --quiet dev.in -o dev.lock

## make messages: refresh the Vietnamese catalogue from the code, then compile it (needs gettext)
messages: $(VENV)/.dev
	cd chibo && ../$(BIN)/chibo makemessages -l vi --no-obsolete --ignore "*/tests/*"
	cd chibo && ../$(BIN)/chibo compilemessages -l vi

clean:
	rm -rf $(VENV) node_modules data/chibo.sqlite3 data/test-db
