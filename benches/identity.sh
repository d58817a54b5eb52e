#!/usr/bin/env bash
# Identity-extraction quality: MRZ and identity fields read by `varde analyze` against ground
# truth — 120 synthetic documents (TD3 passports, TD1/TD2 ID cards, MRV-A visas, driving licences;
# each a text PDF and a 300 dpi scan, benches/identity/generate.py) and the nine real specimen
# scans in tests/corpus/identity/ (benches/identity/real-truth.json). Prints markdown tables; see
# docs/BENCHMARKS.md. Usage: benches/identity.sh [score.py options, e.g. --limit 20]
#   VARDE=path            the binary (default: the debug build in $CARGO_TARGET_DIR, not rebuilt)
#   VARDE_IDENTITY_GT=dir the generated set (default /var/tmp/varde-identity-gt; made if absent)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/varde-target}"
VARDE="${VARDE:-$CARGO_TARGET_DIR/debug/varde}"
GT="${VARDE_IDENTITY_GT:-/var/tmp/varde-identity-gt}"
python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet "pillow==11.*"
[ -f /usr/share/fonts/opentype/ocr-b/OCRB.otf ] || apt-get -o DPkg::Lock::Timeout=900 install -y -qq fonts-ocr-b >/dev/null
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt-get -o DPkg::Lock::Timeout=900 install -y -qq fonts-dejavu-core >/dev/null
if [ ! -f "$GT/truth.jsonl" ]; then
    echo "generating the identity ground truth in $GT…" >&2
    python3 benches/identity/generate.py "$GT"
fi
export OMP_THREAD_LIMIT=1
python3 benches/identity/score.py "$GT" --varde "$VARDE" "$@"
