#!/usr/bin/env bash
# Start the FastAPI api (chat gateway, Zalo webhook, staff and operator pages).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
exec .venv/bin/uvicorn api.main:create_app --factory --host "${API_HOST:-0.0.0.0}" --port "$API_PORT" \
  --no-access-log ${API_WORKERS:+--workers "$API_WORKERS"}
