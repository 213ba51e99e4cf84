#!/usr/bin/env bash
# Start the local PostgreSQL and Redis (Debian packages) when they are installed but not running.
# Used by the production profile and the test command; does nothing where they already answer.
set -uo pipefail
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if ! pg_up && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  echo "→ Khởi động PostgreSQL / starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! redis_up && command -v redis-server >/dev/null; then
  echo "→ Khởi động Redis / starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
for _ in $(seq 1 30); do pg_up && redis_up && break; sleep 1; done
pg_up && echo "✓ PostgreSQL 127.0.0.1:5432" || echo "⚠ PostgreSQL không chạy / not running"
redis_up && echo "✓ Redis 127.0.0.1:6379" || echo "⚠ Redis không chạy / not running"
