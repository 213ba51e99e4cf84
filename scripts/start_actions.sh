#!/usr/bin/env bash
# Start the Rasa action server (custom actions in actions/).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
exec .venv-bot/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT"
