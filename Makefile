# Varde: `make run` starts the desktop app, `make test` runs every check. Both install what is
# missing first (scripts/setup.sh).
SHELL := /bin/bash
CARGO ?= cargo
NPM ?= npm
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

.PHONY: setup ui run demo test test-e2e bundle check-bundle bench bench-pipeline bench-desktop bench-server bench-sync screenshots fmt

setup:
	@./scripts/setup.sh

## The review UI (TypeScript), built into ui/dist and embedded in the desktop binary.
ui: setup
	$(NPM) --prefix ui run --silent build

## Starts the Varde desktop app on this user's data directory.
run: ui
	$(CARGO) run --quiet -p varde-desktop

## The CLI walks a case through the whole workflow in a throw-away store.
demo: setup
	$(CARGO) run --quiet --bin varde -- demo

## Every check CI runs: formatting, lints, UI and core tests, the end-to-end tests in the real window.
test: ui
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(NPM) --prefix ui test --silent
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc
	$(MAKE) --no-print-directory test-e2e

test-e2e: ui
	$(CARGO) build --quiet -p varde-desktop --bin varde-desktop -p varde --bin varde -p varde-server --bin varde-server
	./tests/e2e/run.sh

## A .deb for Debian 12 carrying ONNX Runtime, the model and the Tesseract language data.
bundle: ui
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb
	@ls -1 $(TARGET_DIR)/release/bundle/deb/*.deb

## Installs that .deb here (root) and walks the main end-to-end scenario with the installed app.
check-bundle:
	./scripts/check-deb.sh

## Refreshes docs/screenshots from an end-to-end run.
screenshots: ui
	$(CARGO) build --quiet -p varde-desktop --bin varde-desktop -p varde --bin varde
	E2E_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots ./tests/e2e/run.sh

## Speed targets; record results in docs/BENCHMARKS.md.
bench: setup
	$(CARGO) bench --bench core --bench classify

## The audit server on loopback, SQLite and PostgreSQL: ingest, 50 devices, proofs at 1M entries.
bench-server: setup
	$(CARGO) bench -p varde-server --bench ingest

## A workstation offline for 100,000 entries catches up; case list latency meanwhile.
bench-sync: setup
	$(CARGO) build --release -p varde-server
	$(CARGO) bench --bench sync_catchup

bench-pipeline: setup
	./benches/pipeline.sh

bench-desktop: ui
	./benches/desktop.sh

fmt:
	$(CARGO) fmt --all
