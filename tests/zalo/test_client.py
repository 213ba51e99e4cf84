"""ZaloClient: retries with backoff, refreshes an expired token once, gives up on permanent errors."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from api.zalo.client import FileTokenStore, TokenPair, ZaloClient, ZaloSendError


class FakeZalo:
    def __init__(self, script: list) -> None:
        self.script = list(script)
        self.sent: list[dict] = []
        self.refreshes: list[dict] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v4/oa/access_token":
            self.refreshes.append({"secret_key": request.headers.get("secret_key"), "body": request.content})
            return httpx.Response(200, json={"access_token": "new-access", "refresh_token": "new-refresh"})
        step = self.script.pop(0) if self.script else ("ok",)
        if step[0] == "http":
            return httpx.Response(step[1])
        if step[0] == "expired":
            return httpx.Response(200, json={"error": -216, "message": "Access token is invalid"})
        if step[0] == "error":
            return httpx.Response(200, json={"error": step[1], "message": "x"})
        self.sent.append({"token": request.headers["access_token"], "body": json.loads(request.content)})
        return httpx.Response(200, json={"error": 0, "message": "Success"})


def _client(fake: FakeZalo, tmp_path) -> tuple[ZaloClient, FileTokenStore]:
    store = FileTokenStore(tmp_path / "token.json", TokenPair("old-access", "old-refresh"))
    client = ZaloClient(
        http=httpx.AsyncClient(transport=httpx.MockTransport(fake.handle)),
        api_base="http://zalo", oauth_base="http://oauth", app_id="app", app_secret="s3cret",
        tokens=store, attempts=3, backoff_seconds=0.001,
    )
    return client, store


def test_sends_text_to_the_user(tmp_path):
    fake = FakeZalo([("ok",)])
    client, _ = _client(fake, tmp_path)
    asyncio.run(client.send_text("123", "Xin chào"))
    assert fake.sent == [{"token": "old-access", "body": {"recipient": {"user_id": "123"},
                                                          "message": {"text": "Xin chào"}}}]


def test_expired_token_is_refreshed_stored_and_the_send_retried_once(tmp_path):
    fake = FakeZalo([("expired",), ("ok",)])
    client, store = _client(fake, tmp_path)
    asyncio.run(client.send_text("123", "a"))
    assert [s["token"] for s in fake.sent] == ["new-access"]
    assert fake.refreshes[0]["secret_key"] == "s3cret"
    assert b"grant_type=refresh_token" in fake.refreshes[0]["body"]
    assert store.load() == TokenPair("new-access", "new-refresh")


def test_server_errors_are_retried(tmp_path):
    fake = FakeZalo([("http", 500), ("http", 502), ("ok",)])
    client, _ = _client(fake, tmp_path)
    asyncio.run(client.send_text("123", "a"))
    assert len(fake.sent) == 1


def test_gives_up_after_all_attempts(tmp_path):
    fake = FakeZalo([("http", 500)] * 3)
    client, _ = _client(fake, tmp_path)
    with pytest.raises(ZaloSendError):
        asyncio.run(client.send_text("123", "a"))
    assert fake.sent == []


def test_permanent_error_is_not_retried(tmp_path):
    fake = FakeZalo([("error", -213), ("ok",)])
    client, _ = _client(fake, tmp_path)
    with pytest.raises(ZaloSendError, match="-213"):
        asyncio.run(client.send_text("123", "a"))
    assert fake.sent == []
