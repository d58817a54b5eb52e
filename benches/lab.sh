#!/usr/bin/env bash
# Clinical-extraction quality: coded observations (canonical name, value and flag) and clinical
# fields read by `varde analyze` against ground truth — synthetic lab reports in bokmål and
# English (benches/lab/generate.py; each a text PDF and a 300 dpi scan, four table layouts).
# Prints a markdown table; see docs/BENCHMARKS.md. Usage: benches/lab.sh [score.py options]
#   VARDE=path       the binary (default: the debug build in $CARGO_TARGET_DIR, not rebuilt)
#   VARDE_LAB_GT=dir the generated set (default /var/tmp/varde-lab-gt; made if absent)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/varde-target}"
VARDE="${VARDE:-$CARGO_TARGET_DIR/debug/varde}"
GT="${VARDE_LAB_GT:-/var/tmp/varde-lab-gt}"
python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet "pillow==11.*"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt-get -o DPkg::Lock::Timeout=900 install -y -qq fonts-dejavu-core >/dev/null
if [ ! -f "$GT/truth.jsonl" ]; then
    echo "generating the lab ground truth in $GT…" >&2
    python3 benches/lab/generate.py "$GT"
fi
export OMP_THREAD_LIMIT=1
python3 benches/lab/score.py "$GT" --varde "$VARDE" "$@"
