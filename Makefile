# Every target sets up .venv itself: a fresh clone needs only Python 3.11 and pip.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: serve build test check bench schema fmt clean help

help:
	@echo "make serve   serve the site at http://$(HOST) with live reload"
	@echo "make build   build the site into site/ (strict)"
	@echo "make test    run the whole test suite"
	@echo "make check   ruff and mypy (strict on src/)"
	@echo "make bench   build benchmark at 250, 1000 and 4000 entries"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr $(HOST) --livereload --dirty

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_build.py --sizes 250 1000 4000 --worst --json benchmarks/results.json

schema: $(VENV)/.installed
	$(BIN)/dltheory-site schema

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
