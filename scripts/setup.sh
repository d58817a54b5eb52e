#!/usr/bin/env bash
# Installs what Varde needs on a Debian 12 / Ubuntu machine. Idempotent, and quick when all is
# there: it only calls apt when a package is missing. Run by `make run` and `make test`.
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }

# Debian packages: a C toolchain and OpenSSL headers for the bundled SQLCipher build.
APT_PACKAGES=(build-essential pkg-config libssl-dev)

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
