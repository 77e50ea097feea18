# article-qa: `make run` sets everything up and opens the chat UI; `make test` sets up and runs the tests.
# Re-running either is quick: the environment and the models are only (re)built when missing or changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# pip picks the CPU build of torch where it is configured to (it is on this project's machines);
# elsewhere pass the CPU wheel index of your choice, e.g. make run TORCH_PIP_ARGS="--index-url URL".
TORCH_PIP_ARGS ?=

.PHONY: run test setup models check clean

run: models
	$(BIN)/article-qa ui

test: models
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here" >&2; exit 1; fi; \
	exit $$rc
	@echo "eval: the first 12 sample questions with the real models (fails below 0.6 accuracy)"
	$(BIN)/article-qa eval eval/datasets/samples.yaml --corpus articles --limit 12 --min-accuracy 0.6

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
	rm -rf $(VENV) data
