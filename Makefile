# article-qa: `make run` sets everything up and opens the chat UI; `make test` sets up and runs the tests.
# Re-running either is quick: the environment and the models are only (re)built when missing or changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# pip picks the CPU build of torch where it is configured to (it is on this project's machines);
# elsewhere pass the CPU wheel index of your choice, e.g. make run TORCH_PIP_ARGS="--index-url URL".
TORCH_PIP_ARGS ?=
# Real news for the eval slice in `make test`: evaluation data only, read where it lies, never copied here.
NEWS_DEV ?= ../shared/data/news-dev

.PHONY: run test test-fast lint setup models check clean browser embed-server
PACKAGES := index rag ui api eval bench cli tests

run: models
	$(BIN)/article-qa ui

# The unit tests alone (fakes, no models, servers or browsers): seconds.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not integration and not slow"

# ruff (lint and format) and mypy over the packages and the tests.
lint: $(STAMP)
	$(BIN)/ruff check $(PACKAGES)
	$(BIN)/ruff format --check $(PACKAGES)
	$(BIN)/mypy $(PACKAGES)

test: lint models browser embed-server
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here" >&2; exit 1; fi; \
	exit $$rc
	@echo "eval: the 43 sample questions with the real models (fails below 0.85 accuracy: 37 right; 39 were)"
	$(BIN)/article-qa eval eval/datasets/samples.yaml --corpus articles --min-accuracy 0.85
	@if [ -f "$(NEWS_DEV)/qa.yaml" ]; then \
	  echo "eval: 20 of the 80 news-dev questions, spread over the set (fails below 0.7 accuracy: 14 right; 16 were)"; \
	  $(BIN)/article-qa eval $(NEWS_DEV)/qa.yaml --corpus $(NEWS_DEV)/corpus --spread 20 --min-accuracy 0.7; \
	else echo "eval: no news-dev set at $(NEWS_DEV) (evaluation data, kept outside the repository): skipped"; fi

# The browser tests drive Debian's chromium through Playwright (Playwright's own download is not used).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Infinity, the embeddings server the remote-embedder and two-process tests start on 127.0.0.1, in an
# environment of its own: its pins (sentence-transformers < 4, numpy < 2) clash with this project's.
INFINITY := .venv-infinity
INFINITY_STAMP := $(INFINITY)/.installed
embed-server: $(INFINITY_STAMP)

$(INFINITY_STAMP): tests/infinity-requirements.txt
	test -x $(INFINITY)/bin/python || $(PYTHON) -m venv $(INFINITY)
	$(INFINITY)/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(INFINITY)/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0 $(TORCH_PIP_ARGS)
	$(INFINITY)/bin/uv pip install --quiet --python $(INFINITY)/bin/python --compile-bytecode -r tests/infinity-requirements.txt
	touch $@

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/python -m pip install --quiet --disable-pip-version-check torch==2.13.0 $(TORCH_PIP_ARGS)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -c constraints.txt -e ".[test]"
	touch $(STAMP)

models: $(STAMP)
	$(BIN)/article-qa models pull

check: $(STAMP)
	$(BIN)/article-qa models check

clean:
	rm -rf $(VENV) $(INFINITY) data
