#!/usr/bin/env bash
# Start the Zalo worker in its own process (production profile, ZALO_WORKER_MODE=external).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
exec .venv/bin/python -m api.zalo
