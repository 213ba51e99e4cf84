#!/usr/bin/env bash
# Start the FastAPI api (chat gateway, Zalo webhook, staff and operator pages).
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/secrets.sh"
cd "$ROOT"
# the api authenticates to Rasa with RASA_AUTH_TOKEN; ACTION_SERVER_TOKEN is the action server's
# operator and service token (its calls skip the per-IP limit): no public default in production
require_secrets RASA_AUTH_TOKEN ACTION_SERVER_TOKEN CHAT_SESSION_SECRET  # the last one signs web chat ids
exec .venv/bin/uvicorn api.main:create_app --factory --host "${API_HOST:-0.0.0.0}" --port "$API_PORT" \
  --no-access-log ${API_WORKERS:+--workers "$API_WORKERS"}
