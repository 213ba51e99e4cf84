#!/usr/bin/env bash
# Install a font that renders Vietnamese for the server-side PDFs (api/documents/fonts.py looks in
# /usr/share/fonts): Debian's fonts-dejavu-core. Idempotent: one line when it is already there.
# Without any such font the PDF routes answer 503 and the printable pages still work.
set -euo pipefail

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [[ -f "$FONT" ]]; then
    echo "install_fonts: $FONT already installed"
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
echo "install_fonts: installing Debian package 'fonts-dejavu-core'…"
$SUDO apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null; }
[[ -f "$FONT" ]] || { echo "install_fonts: ERROR: $FONT still missing" >&2; exit 1; }
echo "install_fonts: fonts-dejavu-core installed"
