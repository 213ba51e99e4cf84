# Shared settings for the scripts; sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export TF_CPP_MIN_LOG_LEVEL=2
export RASA_PORT="${RASA_PORT:-5005}" ACTIONS_PORT="${ACTIONS_PORT:-5055}" API_PORT="${API_PORT:-8000}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}"
export RASA_URLS="${RASA_URLS:-http://127.0.0.1:$RASA_PORT}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:$ACTIONS_PORT}"
export API_URL="${API_URL:-http://127.0.0.1:$API_PORT}"
MODEL_DIR="${MODEL_DIR:-$ROOT/models}"
# The action server's token for the case API. Development default only: outside
# ENVIRONMENT=development the api refuses this weak value, so production must set its own.
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-dev-only-action-server-token}"
# Key signing the web chat's conversation ids (api/core/chat_sessions.py). DEVELOPMENT DEFAULT
# ONLY, public in this repository: outside ENVIRONMENT=development the api refuses it (web chat 503).
export CHAT_SESSION_SECRET="${CHAT_SESSION_SECRET:-dev-only-chat-session-secret}"
# Rasa's HTTP API and REST channel (RASA_AUTH_TOKEN, sent by the api) and the action server's
# /webhook (ACTION_WEBHOOK_SECRET, sent by Rasa). DEVELOPMENT DEFAULTS ONLY, public in this
# repository: outside ENVIRONMENT=development the start scripts refuse them (scripts/secrets.sh).
export RASA_AUTH_TOKEN="${RASA_AUTH_TOKEN:-dev-only-rasa-auth-token}"
export ACTION_WEBHOOK_SECRET="${ACTION_WEBHOOK_SECRET:-dev-only-action-webhook-secret}"
# Keys of the case store's encryption at rest (api/cases/crypto.py). DEVELOPMENT DEFAULTS ONLY,
# public in this repository: outside ENVIRONMENT=development the api refuses to start with them.
export CASE_ENCRYPTION_KEYS="${CASE_ENCRYPTION_KEYS:-ZGV2LW9ubHkta2V5LWNhc2UtZW5jcnlwdGlvbi0wMDE=}"
export CASE_BLIND_INDEX_KEY="${CASE_BLIND_INDEX_KEY:-dev-only-case-blind-index-key-do-not-use-in-production}"
