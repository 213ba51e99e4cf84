"""The real app with the Zalo channel on: a temporary SQLite file, a fake Rasa (httpx MockTransport
injected through `create_app(http=...)`) and the fake Zalo API (a real local HTTP server, reached
through the worker's own httpx client)."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from api.core.config import Settings
from api.core.db import Database
from api.main import create_app
from api.zalo.models import ZaloInbox, ZaloOutbox
from api.zalo.signature import SIGNATURE_HEADER, signature_header
from tests.fakes.zalo_api import FakeZaloApi

FIXTURES = Path(__file__).parent / "fixtures"
OA_SECRET = "test-oa-secret-key"
APP_ID = "4291763606161179100"
APP_SECRET = "test-app-secret"
USER = "8731456120345678901"  # the sender of the fixtures (beyond 2**53: must stay a string)
WAIT_SECONDS = 15.0
PG_URL = os.environ.get("ZALO_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


def wait_until(condition: Callable[[], Any], timeout: float = WAIT_SECONDS, what: str = "condition") -> Any:
    """Poll *condition* until it is truthy (no fixed sleeps in the tests)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.01)


ACTIONS_HOST = "actions"


class FakeRasa:
    """Rasa's REST channel. `down` refuses connections; `gate` (cleared) holds every answer.

    It also plays the action server's `GET /health` (host `actions`): `actions_down` refuses it,
    and then Rasa, like the real one whose custom actions fail, answers a message with `[]`.
    """

    def __init__(self) -> None:
        self.down = False
        self.actions_down = False
        self.action_probes = 0
        self.gate = threading.Event()
        self.gate.set()
        self.received: list[dict] = []
        self.refused = 0
        self.delay = 0.0  # seconds each answer takes
        self.status = 200  # e.g. 400: Rasa rejects the message
        self.reply: Callable[[dict], list[dict]] = lambda body: [
            {"recipient_id": body["sender"], "text": f"Trả lời: {body['message']}"}
        ]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == ACTIONS_HOST:
            return self._health(request)
        if request.url.path != "/webhooks/rest/webhook":
            return httpx.Response(200, text="ok")
        if self.down:
            self.refused += 1
            raise httpx.ConnectError("connection refused", request=request)
        body = json.loads(request.content)
        self.received.append(body)
        while not self.gate.is_set():  # cancellable, unlike a blocking wait
            await asyncio.sleep(0.01)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return httpx.Response(self.status, json={"error": "bad request"})
        if self.actions_down:  # the custom action failed: Rasa logs it and answers nothing
            return httpx.Response(200, json=[])
        return httpx.Response(200, json=self.reply(body))

    def _health(self, request: httpx.Request) -> httpx.Response:
        self.action_probes += 1
        if self.actions_down:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"status": "ok"})

    def messages_from(self, user_id: str) -> list[str]:
        return [b["message"] for b in self.received if b["sender"] == f"zalo:{user_id}"]


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def signed(body: dict, *, secret: str = OA_SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body, ensure_ascii=False).encode()
    header = signature_header(app_id=body["app_id"], raw_body=raw, timestamp=body["timestamp"], secret=secret)
    return raw, {SIGNATURE_HEADER: header, "Content-Type": "application/json"}


def event(name: str = "user_send_text", *, text: str | None = None, user: str | None = None,
          msg_id: str | None = None, age_seconds: float = 0.0) -> dict:
    """A fixture with a fresh timestamp (and by default a fresh msg_id)."""
    body = load_fixture(name)
    body["timestamp"] = str(int((time.time() - age_seconds) * 1000))
    message = body.get("message")
    if isinstance(message, dict) and "msg_id" in message:
        message["msg_id"] = msg_id or secrets.token_hex(16)
    if text is not None:
        body["message"]["text"] = text
    if user is not None:
        if "follower" in body:
            body["follower"]["id"] = user
        else:
            body["sender"]["id"] = user
    return body


class ZaloApp:
    """Starts/stops/restarts the app on one SQLite file; posts signed events; reads the tables."""

    def __init__(self, tmp_path: Path, zalo: FakeZaloApi, rasa: FakeRasa, db_url: str | None = None) -> None:
        self.zalo = zalo
        self.rasa = rasa
        self.db_url = db_url or f"sqlite:///{tmp_path / 'data' / 'cases.db'}"
        self.base_settings: dict[str, Any] = {
            "rasa_urls": "http://rasa-a:5005",
            "action_server_url": f"http://{ACTIONS_HOST}:5055",
            "knowledge_data_dir": tmp_path / "no-index",
            "database_url": self.db_url,
            "zalo_app_id": APP_ID,
            "zalo_oa_secret_key": OA_SECRET,
            "zalo_app_secret": APP_SECRET,
            "zalo_access_token": "access-0",
            "zalo_refresh_token": "refresh-0",
            "zalo_api_base": zalo.url,
            "zalo_oauth_base": zalo.url,
            "zalo_worker_poll_seconds": 0.05,
            "zalo_retry_base_seconds": 0.05,
            "zalo_retry_max_seconds": 0.3,
            "zalo_send_backoff_seconds": 0.01,
        }
        self.client: TestClient | None = None
        self._db: Database | None = None

    def start(self, **overrides: Any) -> TestClient:
        assert self.client is None
        settings = Settings(**(self.base_settings | overrides))
        http = httpx.AsyncClient(transport=httpx.MockTransport(self.rasa.handle))
        self.client = TestClient(create_app(settings, http=http))
        self.client.__enter__()
        return self.client

    def stop(self) -> None:
        if self.client is not None:
            self.client.__exit__(None, None, None)
            self.client = None

    def restart(self, **overrides: Any) -> TestClient:
        self.stop()
        return self.start(**overrides)

    def post(self, body: dict, *, secret: str = OA_SECRET, headers: dict | None = None) -> httpx.Response:
        assert self.client is not None
        raw, signed_headers = signed(body, secret=secret)
        headers = signed_headers if headers is None else headers
        return self.client.post("/webhooks/zalo", content=raw, headers=headers)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.db_url, migrate=False)
        return self._db

    def inbox(self) -> list[ZaloInbox]:
        with self.db.session() as session:
            return list(session.scalars(select(ZaloInbox).order_by(ZaloInbox.id)))

    def outbox(self) -> list[ZaloOutbox]:
        with self.db.session() as session:
            return list(session.scalars(select(ZaloOutbox).order_by(ZaloOutbox.id)))

    def settled(self) -> bool:
        """Nothing left to do: every inbox item answered and every reply sent."""
        inbox, outbox = self.inbox(), self.outbox()
        return all(r.status == "done" for r in inbox) and all(r.status == "sent" for r in outbox)

    def close(self) -> None:
        self.stop()
        if self._db is not None:
            self._db.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A fresh schema at head on the test PostgreSQL (dropped at the end), or None if unreachable."""
    schema = f"zalo_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception:  # noqa: BLE001 - PostgreSQL unreachable: skip those variants
        yield None
        return
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    database = Database(url)
    assert database.ensure_ready(), database.error
    database.dispose()
    yield url
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def fake_zalo() -> Iterator[FakeZaloApi]:
    with FakeZaloApi(access_token="access-0", refresh_token="refresh-0", app_secret=APP_SECRET) as zalo:
        yield zalo


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def zapp(tmp_path: Path, fake_zalo: FakeZaloApi, fake_rasa: FakeRasa) -> Iterator[ZaloApp]:
    app = ZaloApp(tmp_path, fake_zalo, fake_rasa)
    yield app
    fake_rasa.gate.set()
    app.close()
