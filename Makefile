# Testimony Archive: `make run` serves the demo archive, `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# The newest Python >= 3.12 found: pyenv's (following .python-version), then the PATH's.
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3; do \
	path=$$(command -v $$candidate 2>/dev/null) || continue; \
	$$path -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$path; break; }; \
	done)

.PHONY: help install run test coverage test-coverage coverage-report lint format bench clean

help:
	@echo "make run      create .venv, install, migrate, load the demo archive, serve on http://127.0.0.1:8000"
	@echo "make test     the whole test suite"
	@echo "make coverage the suite under coverage: a report of archive/, and htmlcov/index.html"
	@echo "make lint     ruff, ruff format --check, mypy, makemigrations --check"
	@echo "make bench    benchmarks (printing numbers)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "Testimony Archive needs Python 3.12 or newer; none was found on PATH." >&2; \
		echo "Install one (e.g. pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 run" >&2; \
		exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
		echo "$(PYTHON) is older than Python 3.12." >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py rebuild_search_index
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

coverage: install
	$(VENV)/bin/coverage erase
	$(MAKE) --no-print-directory test-coverage
	$(MAKE) --no-print-directory coverage-report

# The suite under coverage, its data added to what earlier runs left (.ci/run runs it on
# SQLite, then on PostgreSQL, and reports on both).
test-coverage: install
	$(VENV)/bin/coverage run -m pytest $(PYTEST_ARGS)

# The files under 100 % (weakest first), htmlcov/, and a failure under the floors.
coverage-report: install
	@if compgen -G ".coverage.*" >/dev/null; then $(VENV)/bin/coverage combine --quiet; fi
	$(VENV)/bin/coverage html --quiet
	$(VENV)/bin/coverage report
	$(PY) .ci/coverage_floor.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy archive tests
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run.py
	$(PY) bench/media.py
	$(PY) bench/search.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage .coverage.*
