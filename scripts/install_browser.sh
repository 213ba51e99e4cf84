#!/usr/bin/env bash
# Install Debian's Chromium for the headless browser tests of the centre dashboard (tests/pages).
# Idempotent: does nothing (one line of output) when /usr/bin/chromium is already there.
# Never downloads a browser through Playwright: the tests drive this Debian binary.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    echo "install_browser: $CHROMIUM already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive

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
