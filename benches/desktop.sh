#!/usr/bin/env bash
# Desktop benchmarks (issue 4 targets): cold start to an interactive sign-in screen, resident
# memory of the whole app idle after sign-in, opening a case with 5 documents, and a filter
# change of the case list over 100,000 cases, and the first page preview of a 20-page scanned
# PDF (issue 10). Release build, real window under Xvfb.
#   benches/desktop.sh [RUNS]      (default 7; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
# BENCH_PROFILE=debug measures the debug build (its PDF, image and OCR dependencies are
# optimised in every profile), when a release build would take too long.
PROFILE="${BENCH_PROFILE:-release}"
flag=$([ "$PROFILE" = release ] && echo --release || true)
cargo build --quiet $flag -p varde-desktop --bin varde-desktop
cargo build --quiet $flag --example seed_desktop_bench
export OMP_THREAD_LIMIT=1
# BENCH_DATA_DIR reuses a store seeded before (seeding takes about a minute).
if [ -z "${BENCH_DATA_DIR:-}" ]; then
    data="$(mktemp -d /tmp/varde-bench-XXXXXX)"
    trap 'rm -rf "$data"' EXIT
    echo "seeding $data with 100,000 cases and one case of 5 analysed documents…" >&2
    fix="$CARGO_TARGET_DIR/bench-fixtures"
    python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet "pillow==11.*"
    [ -f "$fix/scan-20-pages.pdf" ] || python3 benches/make_fixtures.py "$fix"
    "$CARGO_TARGET_DIR/$PROFILE/examples/seed_desktop_bench" "$data" "${BENCH_CASES:-100000}" "$fix/scan-20-pages.pdf" >/dev/null
    export BENCH_DATA_DIR="$data"
fi
export BENCH_RUNS="${1:-7}"
export VARDE_DESKTOP_BIN="$(realpath "$CARGO_TARGET_DIR/$PROFILE/varde-desktop")"
export NO_AT_BRIDGE=1
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24 -nolisten tcp" node benches/desktop.mjs
