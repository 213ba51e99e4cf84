"""ZALO_WORKER_MODE=external (production profile): the api only stores and acknowledges webhooks,
and a worker in another process (`python -m api.zalo`), woken by PostgreSQL NOTIFY, answers."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from api.clients.action_server import ActionServerHealth
from api.core.config import Settings
from api.core.db import Database
from api.zalo.listener import InboxListener
from api.zalo.worker import build_zalo_worker
from tests.zalo.conftest import USER, ZaloApp, event


@pytest.fixture
def external_app(tmp_path, fake_zalo, fake_rasa, pg_url):
    if pg_url is None:
        pytest.fail("PostgreSQL is needed at ZALO_TEST_PG_URL (scripts/ensure_services.sh starts it)")
    app = ZaloApp(tmp_path, fake_zalo, fake_rasa, db_url=pg_url)
    app.start(zalo_worker_mode="external")
    yield app
    fake_rasa.gate.set()
    app.close()


async def _wait(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.02)


def test_the_api_stores_and_the_external_worker_answers(external_app, fake_rasa, fake_zalo):
    assert external_app.client.app.state.zalo_worker is None  # nothing answers inside the api

    async def scenario() -> None:
        notified: list[float] = []
        listener = InboxListener(external_app.db_url, lambda: notified.append(time.monotonic()))
        listener.start()
        await _wait(lambda: len(notified) == 1)  # the catch-up call once listening

        response = await asyncio.to_thread(external_app.post, event(text="xin chao", msg_id="ext-1"))
        assert response.status_code == 200 and response.json() == {"status": "queued"}
        await _wait(lambda: len(notified) == 2)  # NOTIFY from the webhook's transaction
        assert [row.status for row in external_app.inbox()] == ["pending"]
        await listener.stop()

        # the worker process: its own settings, database and clients
        settings = Settings(**(external_app.base_settings | {"zalo_worker_poll_seconds": 30.0}))
        http = httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa.handle))
        db = Database(settings.database_url, migrate=False)
        worker = build_zalo_worker(db, settings, http, ActionServerHealth(settings.action_server_url, http))
        listener = InboxListener(settings.database_url, worker.notify)
        worker.start()
        listener.start()
        try:
            await _wait(lambda: any(m.user_id == USER for m in fake_zalo.messages))
            # a second event is picked up at once (NOTIFY), not at the 30 s poll
            started = time.monotonic()
            await asyncio.to_thread(external_app.post, event(text="cam on", msg_id="ext-2"))
            await _wait(lambda: len([m for m in fake_zalo.messages if m.user_id == USER]) >= 2, timeout=5)
            assert time.monotonic() - started < 5
        finally:
            await listener.stop()
            await worker.stop()
            await http.aclose()
            db.dispose()

    asyncio.run(scenario())
    assert [row.status for row in external_app.inbox()] == ["done", "done"]


def test_external_mode_on_sqlite_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    from api.zalo import __main__ as worker_main

    monkeypatch.setattr(worker_main, "get_settings", lambda: Settings(
        database_url=f"sqlite:///{tmp_path / 'c.db'}", zalo_oa_secret_key="s", zalo_worker_mode="external"))
    with pytest.raises(SystemExit, match="PostgreSQL"):
        asyncio.run(worker_main.run())
