#!/usr/bin/env bash
# Install what the headless browser tests need (tests/pages, tests/assist, tests/e2e):
#   * Debian's Chromium (/usr/bin/chromium); never a browser downloaded through Playwright;
#   * the pinned npm package axe-core (tests/pages/node/package.json + package-lock.json), with
#     `npm ci` into tests/pages/node/node_modules (git-ignored), for tests/pages/axe.py.
# Idempotent: one line of output for each piece that is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AXE_DIR="$ROOT/tests/pages/node"

if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive

install_axe() {
    local pinned installed=""
    pinned=$(sed -n 's/.*"axe-core": *"\([^"]*\)".*/\1/p' "$AXE_DIR/package.json")
    if [[ -f "$AXE_DIR/node_modules/axe-core/package.json" ]]; then
        installed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$AXE_DIR/node_modules/axe-core/package.json" | head -1)
    fi
    if [[ "$installed" == "$pinned" && -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]]; then
        echo "install_browser: axe-core $installed already installed"
        return
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "install_browser: npm missing, installing Debian package 'npm'…"
        $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null 2>&1 \
            || { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null; }
    fi
    echo "install_browser: installing axe-core $pinned (npm ci --prefix tests/pages/node)…"
    npm ci --prefix "$AXE_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    echo "install_browser: axe-core $pinned installed"
}

install_axe

if [[ -x "$CHROMIUM" ]]; then
    echo "install_browser: $CHROMIUM already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

install() {
    $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

echo "install_browser: $CHROMIUM missing, installing Debian package 'chromium'…"
if ! install 2>/dev/null; then
    echo "install_browser: apt-get update…"
    $SUDO apt-get update -qq >/dev/null
    install
fi

if [[ ! -x "$CHROMIUM" ]]; then
    echo "install_browser: ERROR: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "install_browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
