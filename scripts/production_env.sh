# Production profile: sourced by `make run-prod` and the production tests. Every value can be
# overridden from the environment; secrets (passwords, tokens) only ever come from there.
export ENVIRONMENT="${ENVIRONMENT:-production}"
export RASA_ENDPOINTS="${RASA_ENDPOINTS:-endpoints.production.yml}"
export RASA_PORT="${RASA_PORT:-5005}" RASA_REPLICA_PORT="${RASA_REPLICA_PORT:-5006}"
export RASA_URLS="${RASA_URLS:-http://127.0.0.1:$RASA_PORT,http://127.0.0.1:$RASA_REPLICA_PORT}"
export TRACKER_DB_HOST="${TRACKER_DB_HOST:-127.0.0.1}" TRACKER_DB_NAME="${TRACKER_DB_NAME:-tgpl_tracker}"
export TRACKER_DB_LOGIN_DB="${TRACKER_DB_LOGIN_DB:-postgres}"
export TRACKER_DB_USER="${TRACKER_DB_USER:-postgres}" TRACKER_DB_PASSWORD="${TRACKER_DB_PASSWORD:-}"
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
export DATABASE_URL="${DATABASE_URL:-postgresql+psycopg2://postgres@127.0.0.1:5432/test}"
# Rasa's Redis ticket lock: a replica that dies holding a conversation's lock blocks that
# conversation until the lock expires (Rasa's default is 60 s). One message takes well under a
# second, and the api sends one user's messages one at a time, so 10 s is a safe bound.
export TICKET_LOCK_LIFETIME="${TICKET_LOCK_LIFETIME:-10}"
# The Zalo worker runs in a process of its own (scripts/start_zalo_worker.sh, woken by PostgreSQL
# NOTIFY): the api's event loop then only acknowledges webhooks (ack p99 under load).
export ZALO_WORKER_MODE="${ZALO_WORKER_MODE:-external}"
# One TensorFlow thread per Rasa replica: two replicas share two cores without oversubscribing them.
export TF_INTER_OP_PARALLELISM_THREADS="${TF_INTER_OP_PARALLELISM_THREADS:-1}"
export TF_INTRA_OP_PARALLELISM_THREADS="${TF_INTRA_OP_PARALLELISM_THREADS:-1}"
