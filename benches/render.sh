#!/usr/bin/env bash
# Rendered-OCR benchmark (issue 10): `varde analyze` on a 10-page JBIG2 scan against the way
# OCRmyPDF and Paperless read it, `pdftoppm -r 300` then `tesseract` on each page, in one run.
# Usage: benches/render.sh [runs]   (VARDE=path overrides the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
if [ -z "${VARDE:-}" ]; then
    cargo build --release --quiet --bin varde
    VARDE="$CARGO_TARGET_DIR/release/varde"
fi
for tool in pdftoppm:poppler-utils qpdf:qpdf bc:bc; do
    command -v "${tool%%:*}" >/dev/null || apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${tool##*:}" >/dev/null
done
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
J=tests/corpus/pdf-valid/ocrmypdf-jbig2.pdf
qpdf --empty --pages $J $J $J $J $J $J $J $J $J $J -- "$WORK/jbig2-10.pdf"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
reference() {
    pdftoppm -r 300 -gray "$WORK/jbig2-10.pdf" "$WORK/page"
    for p in "$WORK"/page-*.pgm; do OMP_THREAD_LIMIT=1 tesseract "$p" - -l nor+eng >/dev/null 2>&1; done
    rm -f "$WORK"/page-*.pgm
}
: > "$WORK/v"; : > "$WORK/r"
for _ in $(seq "$RUNS"); do
    secs "$VARDE" --json analyze "$WORK/jbig2-10.pdf" >> "$WORK/v"
    secs reference >> "$WORK/r"
done
V=$(median < "$WORK/v"); R=$(median < "$WORK/r")
printf 'varde analyze, 10 JBIG2 pages        median %.2f s\n' "$V"
printf 'pdftoppm -r 300 + tesseract, 1 thread median %.2f s   ratio varde/reference %.3f\n' "$R" "$(echo "$V / $R" | bc -l)"
"$VARDE" --json analyze "$WORK/jbig2-10.pdf" | python3 -c 'import json,sys; a=json.load(sys.stdin); print("pages", a["pages"], "ocr ms", a["timings_ms"]["ocr"], "extract ms", a["timings_ms"]["extract"], "reads", sorted({r["reason"] for r in a["page_reads"]}))'
