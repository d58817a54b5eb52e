#!/usr/bin/env bash
# Runs the end-to-end scenarios: first in the real Varde window (a virtual X display (Xvfb),
# tauri-driver in front of WebKitWebDriver, and the built desktop app and CLI), then the audit
# server's web console in headless Chromium through chromedriver (no display needed), with the
# built varde-server and CLI. `make test` calls this; it fails if either part fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
export VARDE_DESKTOP_BIN="${VARDE_DESKTOP_BIN:-$(realpath "$target/debug/varde-desktop")}"
export VARDE_CLI_BIN="${VARDE_CLI_BIN:-$(realpath "$target/debug/varde")}"
export VARDE_SERVER_BIN="${VARDE_SERVER_BIN:-$(realpath "$target/debug/varde-server")}"
export E2E_SCREENSHOT_DIR="${E2E_SCREENSHOT_DIR:-$target/e2e-screenshots}"
for bin in "$VARDE_DESKTOP_BIN" "$VARDE_CLI_BIN" "$VARDE_SERVER_BIN"; do
    [ -x "$bin" ] || { echo "e2e: $bin is not built" >&2; exit 1; }
done
# The pipeline's OCR engine needs this set when its worker starts (see .cargo/config.toml).
export OMP_THREAD_LIMIT=1
# No accessibility bus under Xvfb: keep GTK from waiting for one.
export NO_AT_BRIDGE=1
# Both parts run even when the first fails, so that one run reports everything.
status=0
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24 -nolisten tcp" \
    node tests/e2e/desktop.e2e.mjs || status=1
node tests/e2e/console.e2e.mjs || status=1
exit "$status"
