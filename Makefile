# secnews-fr: the two set-up commands of the README are `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: venv demo test lint schema docs clean bench fuzz

$(BIN)/secnews: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,scale]'
	@touch $@

venv: $(BIN)/secnews

RELEASE ?= 1.0.2

## The main job on the shipped corpus: validate it, check split leakage, rebuild the newest release from the
## documents (byte-identical to the committed record, or it fails), verify it and load it with `datasets`;
## the older release lines are verified against their records (they cannot be rebuilt from today's corpus).
demo: venv
	$(BIN)/secnews validate corpus/
	$(BIN)/secnews splits --check
	rm -rf build/release-$(RELEASE)
	$(BIN)/secnews release $(RELEASE) --out build/release-$(RELEASE) --no-datasheet
	$(BIN)/secnews release --verify build/release-$(RELEASE)
	$(BIN)/python scripts/release-summary build/release-$(RELEASE)
	$(BIN)/secnews release --verify releases/0.1.0
	$(BIN)/secnews release --verify releases/1.0.0
	$(BIN)/secnews release --verify releases/1.0.1
	$(BIN)/secnews report build/report --quiet


## Lint, schema freshness, then the whole test suite (Label Studio integration tests included).
test: venv
	$(BIN)/ruff check src tests benchmarks corpus/worksheets scripts
	$(BIN)/ruff format --check src tests benchmarks corpus/worksheets scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/secnews schema check
	$(BIN)/pytest -q

## The performance figures of the README (issue 15), each next to its baseline in the same run, as
## ratios; slow (tens of minutes on 2 cores), never part of `make test`. BENCH_N scales the corpora.
BENCH_N ?= 100000
bench: venv
	$(BIN)/python benchmarks/validate.py --docs $(BENCH_N) --disk --jobs 2
	$(BIN)/python benchmarks/validate_profile.py
	$(BIN)/python benchmarks/ls_import.py
	$(BIN)/python benchmarks/convert.py --n $(BENCH_N)
	$(BIN)/python benchmarks/release.py --n $(BENCH_N)
	$(BIN)/python benchmarks/release.py --n $(BENCH_N) --validated
	$(BIN)/python benchmarks/release_profile.py
	$(BIN)/python benchmarks/preannotate.py --repeat 3
	$(BIN)/python benchmarks/preannotate.py --profile benchmarks/results/preannotate-profile.txt
	$(BIN)/python benchmarks/preannotate_steady.py
## Long property-based fuzzing of timex_fr and the Label Studio and BRAT readers (make test runs a
## few hundred examples of the same tests); inputs that once failed are kept in tests/reliability/data.
FUZZ_EXAMPLES ?= 100000
fuzz: venv
	SECNEWS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -p no:cacheprovider tests/reliability/test_fuzz.py --hypothesis-show-statistics

schema: venv
	$(BIN)/secnews schema build

docs: venv
	$(BIN)/secnews validate --list-rules --format markdown > docs/rules.md

clean:
	rm -rf build .pytest_cache .ruff_cache
