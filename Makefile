# Varde: `make run` shows Varde working, `make test` runs every check. Both install what is missing.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: setup run test bench bench-pipeline fmt

setup:
	@./scripts/setup.sh

## Runs Varde: for now the CLI walks a case through the whole workflow in a throw-away store.
run: setup
	$(CARGO) run --quiet --bin varde -- demo

## Every check CI runs: formatting, lints, all tests.
test: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

## Speed targets; record results in docs/BENCHMARKS.md.
bench: setup
	$(CARGO) bench --bench core --bench classify

bench-pipeline: setup
	./benches/pipeline.sh

fmt:
	$(CARGO) fmt --all
