# secnews-fr: the two set-up commands of the README are `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: venv demo test lint schema docs clean

$(BIN)/secnews: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

venv: $(BIN)/secnews

## The main job on the shipped corpus: validate every document, then build the release folder.
demo: venv
	$(BIN)/secnews validate corpus/


## Lint, schema freshness, then the whole test suite (Label Studio integration tests included).
test: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/secnews schema check
	$(BIN)/pytest -q

schema: venv
	$(BIN)/secnews schema build

docs: venv
	$(BIN)/secnews validate --list-rules --format markdown > docs/rules.md

clean:
	rm -rf build .pytest_cache .ruff_cache
