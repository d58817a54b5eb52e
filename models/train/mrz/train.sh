#!/usr/bin/env bash
# Reproduce models/mrz-glyphs.onnx (+ .json, metrics.json, the model card section of models/README.md) from scratch.
# System packages (Debian 12): apt-get install -y fonts-ocr-b tesseract-ocr tesseract-ocr-eng
# Python packages: models/train/requirements.txt, installed into a venv (default /var/tmp/varde-train-venv, created if
# missing); PYTHON=/path/to/python uses an existing environment instead.
# Options are passed on: --quick (smoke run into a temp dir), --no-tesseract, --jobs N.
set -euo pipefail
cd "$(dirname "$0")/../../.."
VENV="${VARDE_TRAIN_VENV:-/var/tmp/varde-train-venv}"
if [ -z "${PYTHON:-}" ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r models/train/requirements.txt
  fi
  PY="$VENV/bin/python"
else
  PY="$PYTHON"
fi
[ -f /usr/share/fonts/opentype/ocr-b/OCRB.otf ] || { echo "OCR-B font missing (apt-get install fonts-ocr-b)"; exit 1; }
command -v tesseract >/dev/null || { echo "tesseract not found (apt-get install tesseract-ocr tesseract-ocr-eng), or pass --no-tesseract"; exit 1; }
export OMP_THREAD_LIMIT=1 PYTHONHASHSEED=0 OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
exec "$PY" models/train/mrz/train_mrz.py "$@"
