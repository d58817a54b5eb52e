#!/usr/bin/env bash
# Desktop benchmarks (issue 4 targets): cold start to an interactive sign-in screen, resident
# memory of the whole app idle after sign-in, opening a case with 5 documents, and a filter
# change of the case list over 100,000 cases. Release build, real window under Xvfb.
#   benches/desktop.sh [RUNS]      (default 7; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --quiet --release -p varde-desktop --bin varde-desktop
cargo build --quiet --release --example seed_desktop_bench
export OMP_THREAD_LIMIT=1
# BENCH_DATA_DIR reuses a store seeded before (seeding takes about a minute).
if [ -z "${BENCH_DATA_DIR:-}" ]; then
    data="$(mktemp -d /tmp/varde-bench-XXXXXX)"
    trap 'rm -rf "$data"' EXIT
    echo "seeding $data with 100,000 cases and one case of 5 analysed documents…" >&2
    "$CARGO_TARGET_DIR/release/examples/seed_desktop_bench" "$data" 100000 >/dev/null
    export BENCH_DATA_DIR="$data"
fi
export BENCH_RUNS="${1:-7}"
export VARDE_DESKTOP_BIN="$(realpath "$CARGO_TARGET_DIR/release/varde-desktop")"
export NO_AT_BRIDGE=1
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24 -nolisten tcp" node benches/desktop.mjs
