#!/usr/bin/env bash
# Start the Rasa server on the trained model: HTTP API and the token-checked REST channel
# (bot/channels.py) on loopback. Both need RASA_AUTH_TOKEN; the action endpoint gets
# ACTION_WEBHOOK_SECRET (endpoints*.yml).
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/secrets.sh"
cd "$ROOT"
require_secrets RASA_AUTH_TOKEN ACTION_WEBHOOK_SECRET
echo "Rasa: đang nạp mô hình hội thoại (thường mất 50–80 giây) / loading the model..."
# --auth-token is added inside the Python process, from the environment: a command-line argument
# would be readable by every local user (ps, /proc/<pid>/cmdline).
exec .venv-bot/bin/python -c \
  'import os, sys; from rasa.__main__ import main; sys.argv = ["rasa", *sys.argv[1:], "--auth-token", os.environ["RASA_AUTH_TOKEN"]]; main()' \
  run --enable-api -i "${RASA_INTERFACE:-127.0.0.1}" --port "$RASA_PORT" \
  --model "$MODEL_DIR/assistant.tar.gz" --endpoints "${RASA_ENDPOINTS:-endpoints.yml}" --credentials credentials.yml
