#!/usr/bin/env bash
# Start the Rasa action server (custom actions in actions/) through actions/server.py: it listens
# on 127.0.0.1 (ACTIONS_HOST) and answers /webhook only to Rasa (ACTION_WEBHOOK_SECRET).
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/secrets.sh"
cd "$ROOT"
require_secrets ACTION_WEBHOOK_SECRET ACTION_SERVER_TOKEN
exec .venv-bot/bin/python -m actions.server --port "$ACTIONS_PORT"
