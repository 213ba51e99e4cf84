"""Fault tests: the production profile (two Rasa replicas, PostgreSQL tracker and case store, Redis
lock store) running as separate processes (`tests.harness.system.LocalSystem`), with the fake
Zalo OA API; tests kill and restart its pieces. `make faults` runs them (also part of `make test`).

Retry delays are shortened (ZALO_RETRY_*), so that a test does not wait minutes for a backoff;
the behaviour is the production one.
"""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Iterator

import pytest
import sqlalchemy

from knowledge.case_code import CODE_PATTERN
from tests.fakes.zalo_api import FakeZaloApi
from tests.harness.system import LocalSystem, port_open
from tests.harness.zalo import Citizen, zalo_env

OA_SECRET = "faults-oa-secret-" + secrets.token_hex(8)
APP_SECRET = "faults-app-secret"
CODE = CODE_PATTERN  # knowledge.case_code: random TGPL-<year>-XXXXXX (and old sequential codes)
FAST_RETRIES = {
    "ZALO_RETRY_BASE_SECONDS": "1",
    "ZALO_RETRY_MAX_SECONDS": "4",
    "ZALO_SEND_BACKOFF_SECONDS": "0.2",
    "ZALO_WORKER_LEASE_SECONDS": "30",
    "ZALO_WORKER_POLL_SECONDS": "0.5",
}


@pytest.fixture(scope="session")
def fake_zalo() -> Iterator[FakeZaloApi]:
    server = FakeZaloApi(app_secret=APP_SECRET).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def prod_system(tmp_path_factory, fake_zalo: FakeZaloApi) -> Iterator[LocalSystem]:
    system = LocalSystem(
        tmp_path_factory.mktemp("faults"),
        profile="production",
        extra_env=zalo_env(fake_zalo, oa_secret=OA_SECRET, app_secret=APP_SECRET) | FAST_RETRIES,
    )
    try:
        system.start_all()
        yield system
    finally:
        system.stop()


@pytest.fixture
def system(prod_system: LocalSystem) -> Iterator[LocalSystem]:
    """The running system, whole again after each test (a test may kill any part of it)."""
    yield prod_system
    ensure_postgres()
    for name in prod_system.services:
        prod_system.start(name)
    prod_system.wait_healthy(timeout=300)


@pytest.fixture
def citizen(system: LocalSystem, fake_zalo: FakeZaloApi) -> Citizen:
    return Citizen(system.api_url, fake_zalo, OA_SECRET, user_id="7" + secrets.token_hex(9)[:18])


def ensure_postgres() -> None:
    if not port_open(5432):
        subprocess.run(["bash", "scripts/ensure_services.sh"], check=False, stdout=subprocess.DEVNULL)


def cluster() -> str:
    """The local PostgreSQL cluster version (Debian's layout: /etc/postgresql/<version>/main)."""
    out = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True, check=True).stdout
    return out.split()[0]


def postgres(action: str) -> None:
    """`pg_ctlcluster <version> main <action>` (stop / start / restart), as the service owner does."""
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster(), "main", action],
                   check=True, timeout=120, capture_output=True)


def query(system: LocalSystem, sql: str, **params: object) -> list[tuple]:
    engine = sqlalchemy.create_engine(system.database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sqlalchemy.text(sql), params)]
    finally:
        engine.dispose()


def case_codes_for_phone(system: LocalSystem, phone: str) -> list[str]:
    """Codes of the cases with this phone: names, phones and descriptions are encrypted at rest,
    so the match goes through the blind index computed with the system's own keys."""
    from api.cases.crypto import keyring_from_settings
    from api.core.config import Settings

    keyring = keyring_from_settings(Settings(
        _env_file=None, environment="development", case_encryption_keys=system.case_keys,
        case_blind_index_key=system.blind_key,
    ))
    rows = query(system, "select code from cases where phone_index = :p", p=keyring.phone_index(phone))
    return [row[0] for row in rows]


def wait_for(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f}s")
        time.sleep(0.5)
