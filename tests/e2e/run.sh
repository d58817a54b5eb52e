#!/usr/bin/env bash
# Runs the end-to-end scenarios in the real Varde window: a virtual X display (Xvfb), tauri-driver
# in front of WebKitWebDriver, and the built desktop app and CLI. `make test` calls this.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
export VARDE_DESKTOP_BIN="${VARDE_DESKTOP_BIN:-$(realpath "$target/debug/varde-desktop")}"
export VARDE_CLI_BIN="${VARDE_CLI_BIN:-$(realpath "$target/debug/varde")}"
export E2E_SCREENSHOT_DIR="${E2E_SCREENSHOT_DIR:-$target/e2e-screenshots}"
for bin in "$VARDE_DESKTOP_BIN" "$VARDE_CLI_BIN"; do
    [ -x "$bin" ] || { echo "e2e: $bin is not built" >&2; exit 1; }
done
# The pipeline's OCR engine needs this set when its worker starts (see .cargo/config.toml).
export OMP_THREAD_LIMIT=1
# No accessibility bus under Xvfb: keep GTK from waiting for one.
export NO_AT_BRIDGE=1
exec xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24 -nolisten tcp" \
    node tests/e2e/desktop.e2e.mjs
