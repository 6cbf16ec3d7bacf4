# secnews-fr: the two set-up commands of the README are `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: venv demo test lint schema docs clean

$(BIN)/secnews: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,scale]'
	@touch $@

venv: $(BIN)/secnews

RELEASE ?= 0.1.0

## The main job on the shipped corpus: validate it, check split leakage, rebuild the release from the
## documents (byte-identical to the committed record, or it fails), verify it and load it with `datasets`.
demo: venv
	$(BIN)/secnews validate corpus/
	$(BIN)/secnews splits --check
	rm -rf build/release-$(RELEASE)
	$(BIN)/secnews release $(RELEASE) --out build/release-$(RELEASE) --no-datasheet
	$(BIN)/secnews release --verify build/release-$(RELEASE)
	$(BIN)/python scripts/release-summary build/release-$(RELEASE)


## Lint, schema freshness, then the whole test suite (Label Studio integration tests included).
test: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/secnews schema check
	$(BIN)/pytest -q

schema: venv
	$(BIN)/secnews schema build

docs: venv
	$(BIN)/secnews validate --list-rules --format markdown > docs/rules.md

clean:
	rm -rf build .pytest_cache .ruff_cache
