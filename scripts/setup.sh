#!/usr/bin/env bash
# Installs what Varde needs on a Debian 12 / Ubuntu machine. Idempotent, and quick when all is
# there: it only calls apt when a package is missing. Run by `make run` and `make test`.
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }

# Debian packages: a C toolchain and OpenSSL headers for the bundled SQLCipher build; Tesseract
# with Norwegian and English data and its C API for OCR; Python to unpack ONNX Runtime's wheel;
# WebKitGTK and GTK for the desktop window; Xvfb and WebKitWebDriver for its end-to-end tests;
# `file` for the .deb bundler; PostgreSQL for the audit server's tests (they run their own
# throw-away cluster; the package's own stays down), Chromium and ChromeDriver for its console's,
# and the openssl command for their self-signed test certificates.
APT_PACKAGES=(build-essential pkg-config libssl-dev
    tesseract-ocr tesseract-ocr-nor tesseract-ocr-eng libtesseract-dev libleptonica-dev
    python3 python3-pip python3-venv
    libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
    file xvfb xauth webkit2gtk-driver fonts-dejavu-core fonts-ocr-b imagemagick
    postgresql chromium chromium-driver openssl)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
    say "cargo was not found: install the Rust toolchain (https://rustup.rs) and run this again"
    exit 1
fi

# ONNX Runtime for the document classifier: the shared library shipped inside the `onnxruntime`
# wheel on PyPI (no binary download at build or run time). Varde finds it here without settings.
ORT_VERSION=1.31.1
ORT_DIR="$(cd "$(dirname "$0")/.." && pwd)/.deps/onnxruntime"
ORT_LIB="$ORT_DIR/libonnxruntime.so.$ORT_VERSION"
if [ ! -s "$ORT_LIB" ]; then
    say "fetching ONNX Runtime $ORT_VERSION from the onnxruntime wheel on PyPI"
    mkdir -p "$ORT_DIR"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download --quiet --no-deps --only-binary=:all: "onnxruntime==$ORT_VERSION" -d "$tmp"
    python3 - "$tmp" "$ORT_LIB" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/onnxruntime-*.whl")[0]
name = "onnxruntime/capi/libonnxruntime.so." + sys.argv[2].rsplit(".so.", 1)[1]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2] + ".part", "wb") as out:
    out.write(z.read(name))
PY
    mv "$ORT_LIB.part" "$ORT_LIB"
fi

# Node.js builds the review UI (Vite needs Node 20.19 or newer).
if ! command -v node >/dev/null 2>&1 || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    say "Node.js 20.19 or newer is needed for the UI (found: $(node --version 2>/dev/null || echo none))"
    exit 1
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# npm packages of the UI, at the versions in package-lock.json; only when the lock file changed.
# `npm install` rather than `npm ci`: the Tauri CLI lists a binary package per platform as
# optional, and a registry that lacks some of those (other operating systems) makes `npm ci`
# refuse the lock, while `install` skips them and installs exactly the locked versions.
if [ ! -f "$ROOT/ui/node_modules/.package-lock.json" ] || [ "$ROOT/ui/package-lock.json" -nt "$ROOT/ui/node_modules/.package-lock.json" ]; then
    say "installing the UI's npm packages"
    (cd "$ROOT/ui" && npm install --no-audit --no-fund --loglevel=error)
fi

# tauri-driver: the WebDriver front of the desktop app for its end-to-end tests.
TAURI_DRIVER_VERSION=2.1.0
if [ ! -x "$ROOT/.deps/tauri-driver/bin/tauri-driver" ]; then
    say "building tauri-driver $TAURI_DRIVER_VERSION (once)"
    CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/tauri-driver-build" \
        cargo install --quiet --locked tauri-driver --version "$TAURI_DRIVER_VERSION" --root "$ROOT/.deps/tauri-driver"
fi

# An independent FHIR implementation for the tests that validate Varde's FHIR exports: the
# `fhir.resources` models (R4B) from PyPI, in a project-local virtual environment.
FHIR_RESOURCES_VERSION=8.3.0
FHIR_VENV="$ROOT/.deps/fhir-venv"
if ! "$FHIR_VENV/bin/python" -c "import fhir.resources, sys; sys.exit(fhir.resources.__version__ != '$FHIR_RESOURCES_VERSION')" 2>/dev/null; then
    say "installing fhir.resources $FHIR_RESOURCES_VERSION into .deps/fhir-venv"
    rm -rf "$FHIR_VENV"
    python3 -m venv "$FHIR_VENV"
    "$FHIR_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "fhir.resources==$FHIR_RESOURCES_VERSION"
fi
