#!/usr/bin/env bash
# Pipeline benchmarks (issue 3). Prints medians and ratios measured in one run; see
# docs/BENCHMARKS.md. Usage: benches/pipeline.sh [runs]   (needs `make setup` first)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bin varde
VARDE="$CARGO_TARGET_DIR/release/varde"
FIX="$CARGO_TARGET_DIR/bench-fixtures"
python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet "pillow==11.*"
for tool in bc:bc /usr/bin/time:time; do
    command -v "${tool%%:*}" >/dev/null || apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${tool##*:}" >/dev/null
done
[ -f "$FIX/a4-300dpi.png" ] || python3 benches/make_fixtures.py "$FIX"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

echo "== 1. varde analyze vs tesseract CLI, A4 300 dpi scan, nor+eng, $RUNS runs each (interleaved)"
: > /tmp/varde-bench-a; : > /tmp/varde-bench-t1; : > /tmp/varde-bench-td
for _ in $(seq "$RUNS"); do
    secs "$VARDE" --json analyze "$FIX/a4-300dpi.png" >> /tmp/varde-bench-a
    OMP_THREAD_LIMIT=1 secs tesseract "$FIX/a4-300dpi.png" - -l nor+eng >> /tmp/varde-bench-t1
    secs env -u OMP_THREAD_LIMIT tesseract "$FIX/a4-300dpi.png" - -l nor+eng >> /tmp/varde-bench-td
done
A=$(median < /tmp/varde-bench-a); T1=$(median < /tmp/varde-bench-t1); TD=$(median < /tmp/varde-bench-td)
printf 'varde analyze            median %.2f s\n' "$A"
printf 'tesseract (1 thread)     median %.2f s   ratio varde/tesseract %.3f\n' "$T1" "$(echo "$A / $T1" | bc -l)"
printf 'tesseract (OpenMP dflt)  median %.2f s   ratio varde/tesseract %.3f\n' "$TD" "$(echo "$A / $TD" | bc -l)"

echo "== 2. batch of 100 mixed documents (50 text PDFs, 50 A5 scans) through the worker pool"
run_batch() {
    local workers=$1 dir; dir=$(mktemp -d)
    export VARDE_DATA_DIR="$dir/data" VARDE_PASSWORD="bench passphrase 1" VARDE_NEW_PASSWORD="bench passphrase 2"
    "$VARDE" init --admin admin >/dev/null
    "$VARDE" --user admin user add clin --role clinician >/dev/null
    local id; id=$(VARDE_PASSWORD="bench passphrase 2" "$VARDE" --user clin --json case create --kind clinical \
        --subject-name "Bench Subject" --consent --policy-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    for f in "$FIX"/batch/*; do VARDE_PASSWORD="bench passphrase 2" "$VARDE" --user clin doc add "$id" "$f" >/dev/null; done
    secs "$VARDE" --user admin worker --workers "$workers"
    rm -rf "$dir"
}
W1=$(run_batch 1); W2=$(run_batch 2)
printf '1 worker   %.1f s  (%.2f docs/s)\n' "$W1" "$(echo "100 / $W1" | bc -l)"
printf '2 workers  %.1f s  (%.2f docs/s)   throughput ratio %.2f\n' "$W2" "$(echo "100 / $W2" | bc -l)" "$(echo "$W1 / $W2" | bc -l)"

echo "== 3. peak memory, 20-page scanned PDF (max RSS of varde analyze and its worker)"
/usr/bin/time -f '%M' -o /tmp/varde-bench-rss "$VARDE" --json analyze "$FIX/scan-20-pages.pdf" > /tmp/varde-bench-20.json
printf 'peak RSS %.0f MiB; %s pages, total %s ms\n' "$(echo "$(cat /tmp/varde-bench-rss) / 1024" | bc -l)" \
    "$(python3 -c 'import json; a=json.load(open("/tmp/varde-bench-20.json")); print(a["pages"])')" \
    "$(python3 -c 'import json; a=json.load(open("/tmp/varde-bench-20.json")); print(a["timings_ms"]["total"])')"

echo "== 4. classifier inference, model loaded once"
cargo bench --quiet --bench classify 2>/dev/null | grep -E "^classifier|time:"
