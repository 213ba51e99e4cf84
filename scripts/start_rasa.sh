#!/usr/bin/env bash
# Start the Rasa server on the trained model (REST channel + HTTP API on loopback).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
echo "Rasa: đang nạp mô hình hội thoại (thường mất 50–80 giây) / loading the model..."
exec .venv-bot/bin/rasa run --enable-api -i "${RASA_INTERFACE:-127.0.0.1}" --port "$RASA_PORT" \
  --model "$MODEL_DIR/assistant.tar.gz" --endpoints "${RASA_ENDPOINTS:-endpoints.yml}" --credentials credentials.yml
