#!/usr/bin/env bash
# Reproduce models/doc-classifier.onnx (+ .json, README metrics) from scratch.
# Measured on the 2-core dev machine: 4.4 min when quiet, 7.3-7.6 min while another engineer's cargo build/test ran.
# System packages (Debian 12):
#   apt-get -o DPkg::Lock::Timeout=900 install -y tesseract-ocr tesseract-ocr-nor tesseract-ocr-eng \
#     fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-freefont-ttf fonts-crosextra-carlito fonts-crosextra-caladea
# Python packages: pip install -r models/train/requirements.txt   (a venv is fine: PYTHON=/path/to/venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python3}"
command -v tesseract >/dev/null || { echo "tesseract not found (apt-get install tesseract-ocr tesseract-ocr-nor tesseract-ocr-eng)"; exit 1; }
tesseract --list-langs 2>/dev/null | grep -qx nor || { echo "tesseract-ocr-nor missing"; exit 1; }
export OMP_THREAD_LIMIT=1 PYTHONHASHSEED=0
exec "$PY" models/train/train.py "$@"
