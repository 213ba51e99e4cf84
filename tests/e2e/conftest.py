"""The whole system as a user starts it: Rasa, the action server and the api under honcho.

Runs on ports of its own so that it does not collide with a system already running, with a case
store of its own and a known admin token for the reviewer's checks. Needs the trained model and
the knowledge index (`make setup` builds both).

`E2E_PROFILE=production` (`make test-e2e-prod`) runs the same tests against the production
profile, started as `make run-prod` starts it (`scripts/production_env.sh`, `Procfile.production`):
two Rasa replicas with the SQL tracker store on PostgreSQL and the Redis lock store, the case store
and the Zalo inbox/outbox on PostgreSQL, in databases of this run that are dropped afterwards.
Otherwise the embedded profile of `make run`: in-memory tracker, a temporary SQLite case store.

Secrets of their own for each run (Rasa's token, the action server's shared secret and service
token, the web chat's session key), as production requires; the rate limits keep their defaults.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.zalo_api import FakeZaloApi
from tests.harness.system import create_pg_database, drop_pg_database
from tests.harness.zalo import zalo_env

ROOT = Path(__file__).resolve().parents[2]
PROFILE = os.environ.get("E2E_PROFILE", "embedded")
PORTS = {"RASA_PORT": "15005", "RASA_REPLICA_PORT": "15006", "ACTIONS_PORT": "15055", "API_PORT": "18000"}
PROD_DATABASES = {"cases": "tgpl_e2e_cases", "tracker": "tgpl_e2e_tracker"}
API = f"http://127.0.0.1:{PORTS['API_PORT']}"
ADMIN_TOKEN = "e2e-admin-token-for-tests-only-0123456789"
STARTUP_SECONDS = 420
ZALO_OA_SECRET = "e2e-oa-secret-key"
ZALO_APP_SECRET = "e2e-app-secret"


@pytest.fixture(scope="session")
def fake_zalo() -> Iterator[FakeZaloApi]:
    """The Zalo OA API the running system sends its replies to."""
    server = FakeZaloApi(app_secret=ZALO_APP_SECRET).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def system(tmp_path_factory, fake_zalo: FakeZaloApi) -> Iterator[str]:
    work = tmp_path_factory.mktemp("e2e")
    log_path = work / "honcho.log"
    derived = {"RASA_URLS", "ACTION_SERVER_URL", "API_URL", "ACTION_ENDPOINT_URL",  # from the ports
               "DATABASE_URL", "TRACKER_DB_NAME", "RASA_ENDPOINTS", "ENVIRONMENT", "ACTION_SERVER_TOKEN",
               "RATE_LIMIT_PER_IP_PER_MINUTE"}
    env = {k: v for k, v in os.environ.items() if k not in derived} | PORTS | {
        "API_HOST": "127.0.0.1",
        "API_ADMIN_TOKEN": ADMIN_TOKEN,
    } | run_secrets() | zalo_env(fake_zalo, oa_secret=ZALO_OA_SECRET, app_secret=ZALO_APP_SECRET)
    if PROFILE == "production":
        subprocess.run(["bash", "scripts/ensure_services.sh"], cwd=ROOT, check=False)
        create_pg_database(PROD_DATABASES["cases"])
        drop_pg_database(PROD_DATABASES["tracker"])  # Rasa creates it when it starts
        env |= {
            "DATABASE_URL": f"postgresql+psycopg2://postgres@127.0.0.1:5432/{PROD_DATABASES['cases']}",
            "TRACKER_DB_NAME": PROD_DATABASES["tracker"],
        }
        command = ["bash", "-c", "source scripts/common.sh && source scripts/production_env.sh && exec "
                   ".venv/bin/honcho start -f Procfile.production rasa1 rasa2 actions api zalo"]
    else:
        env |= {"DATABASE_URL": f"sqlite:///{work / 'cases.db'}"}
        command = [str(ROOT / ".venv/bin/honcho"), "start", "-f", "Procfile", "rasa", "actions", "api"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            status: dict = {}
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    status = httpx.get(f"{API}/healthz", timeout=5).json()
                    if status.get("status") == "ok":
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(3)
            else:
                pytest.fail(f"system not healthy: {status}\n{log_path.read_text(errors='replace')[-4000:]}")
            yield API
        finally:
            _stop(process)
            if PROFILE == "production":
                for database in PROD_DATABASES.values():
                    drop_pg_database(database)


def run_secrets() -> dict[str, str]:
    """Strong secrets for one run (scripts/secrets.sh refuses the dev defaults in production)."""
    return {
        "ACTION_SERVER_TOKEN": "e2e-action-server-token-" + secrets.token_hex(12),
        "RASA_AUTH_TOKEN": "e2e-rasa-token-" + secrets.token_urlsafe(24),
        "ACTION_WEBHOOK_SECRET": "e2e-webhook-secret-" + secrets.token_urlsafe(24),
        "CHAT_SESSION_SECRET": "e2e-chat-session-secret-" + secrets.token_urlsafe(32),
    }


def _stop(process: subprocess.Popen) -> None:
    """Stop honcho and its children; a group that already exited is not an error."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# Every test here talks to the public api from 127.0.0.1, which the per-IP rate limit (60 a minute,
# its default: the harness does not change it) counts as one citizen. A test that needs a whole
# minute's budget for itself asks for `fresh_public_window`: it starts when the earlier tests' calls
# have left the window.
_last_test_ended = [0.0]
RATE_WINDOW_SECONDS = 61.0


@pytest.fixture(autouse=True)
def _note_when_a_test_ends() -> Iterator[None]:
    yield
    _last_test_ended[0] = time.monotonic()


@pytest.fixture
def fresh_public_window() -> None:
    time.sleep(max(0.0, _last_test_ended[0] + RATE_WINDOW_SECONDS - time.monotonic()))
