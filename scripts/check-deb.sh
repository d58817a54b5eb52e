#!/usr/bin/env bash
# Installs the .deb `make bundle` made (needs root) and walks the main end-to-end scenario against
# the installed /usr/bin/varde-desktop: it must start on Debian 12 and analyse documents with the
# ONNX Runtime, model and Tesseract data it carries.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
deb="$(realpath "$(ls -1t "$target"/release/bundle/deb/*.deb | head -1)")"
echo "installing $deb" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# apt resolves the package's dependencies (WebKitGTK, GTK, libtesseract5) from Debian.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$deb" >/dev/null
dpkg -L varde | grep -E 'bin/varde-desktop|libonnxruntime|doc-classifier.onnx|mrz-glyphs.onnx|traineddata' >&2
cargo build --quiet --bin varde
VARDE_DESKTOP_BIN=/usr/bin/varde-desktop E2E_ONLY="first start to approval" \
    E2E_SCREENSHOT_DIR="$target/deb-e2e-screenshots" ./tests/e2e/run.sh
