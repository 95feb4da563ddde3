# Every target sets up .venv itself: a fresh clone needs only Python 3.11 and pip.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: serve build offline test check bench schema lock new validate fmt report clean help

help:
	@echo "make serve   serve the site at http://$(HOST) with live reload"
	@echo "make build   build the site into site/ (strict)"
	@echo "make offline a copy to open from a folder: site-offline/ and site-offline.zip"
	@echo "make test    run the whole test suite"
	@echo "make check   ruff and mypy (strict on src/)"
	@echo "make bench   build benchmark at 250, 1000 and 4000 entries (installs Zensical in .venv-zensical)"
	@echo "make lock    refresh requirements/*.txt (newest versions, with hashes)"
	@echo "make new ID=jacot2018neural   write entries/ID.yaml, a draft to fill in"
	@echo "make new ARXIV=1806.07572     the same, filled from arXiv (or DOI=10.x/y from Crossref)"
	@echo "make fmt     put every entry in canonical form"
	@echo "make validate  check the taxonomy and every entry"
	@echo "make report BASE=origin/main  Markdown summary of what this branch changes"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions, checked by hash), then the
# project itself without dependencies. `make lock` refreshes the lock files.
$(VENV)/.installed: pyproject.toml requirements/runtime.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr $(HOST) --livereload --dirty

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

# Opened from disk: links end in index.html, search runs without a server.
offline: $(VENV)/.installed
	rm -rf site-offline site-offline.zip
	$(BIN)/mkdocs build --strict -f mkdocs.offline.yml
	$(BIN)/python -m zipfile -c site-offline.zip site-offline/

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# Zensical builds what `generate` writes, for comparison; it goes in a venv of its own
# (`$ZENSICAL` names another command). If it cannot be installed, its columns stay blank.
ZENSICAL_VENV ?= .venv-zensical
$(ZENSICAL_VENV)/bin/zensical:
	$(PYTHON) -m venv $(ZENSICAL_VENV) && $(ZENSICAL_VENV)/bin/python -m pip install --quiet zensical \
		|| echo "make bench: Zensical could not be installed; its columns stay blank" >&2

bench: $(VENV)/.installed-test $(if $(ZENSICAL),,$(ZENSICAL_VENV)/bin/zensical)
	$(if $(ZENSICAL),,ZENSICAL=$(abspath $(ZENSICAL_VENV))/bin/zensical) \
		$(BIN)/python benchmarks/bench_build.py --sizes 250 1000 4000 --worst --json benchmarks/results.json

# The contributor's commands; the CLI itself is .venv/bin/dltheory-site.
new: $(VENV)/.installed
	$(if $(ID)$(ARXIV)$(DOI),,$(error give ID=..., ARXIV=... or DOI=..., e.g. make new ID=jacot2018neural))
	$(BIN)/dltheory-site new $(ID) $(if $(ARXIV),--arxiv $(ARXIV)) $(if $(DOI),--doi $(DOI))

fmt: $(VENV)/.installed
	$(BIN)/dltheory-site fmt

validate: $(VENV)/.installed
	$(BIN)/dltheory-site validate

report: $(VENV)/.installed
	$(BIN)/dltheory-site report --base $(or $(BASE),origin/main)

schema: $(VENV)/.installed
	$(BIN)/dltheory-site schema

# Newest versions allowed by pyproject.toml, pinned with their hashes; the test lock
# is constrained by the runtime one, so both install the same shared versions.
PIP_COMPILE = $(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(PIP_COMPILE) -o requirements/runtime.txt pyproject.toml
	$(PIP_COMPILE) --extra test -c requirements/runtime.txt -o requirements/test.txt pyproject.toml

clean:
	rm -rf site site-offline site-offline.zip .pytest_cache .mypy_cache .ruff_cache
