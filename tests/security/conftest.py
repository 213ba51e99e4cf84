"""The real app with small limits: a temporary SQLite case store, a fake Rasa (httpx MockTransport)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.core.config import Settings
from api.main import create_app

ADMIN_TOKEN = "adm_" + secrets.token_urlsafe(24)
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CHAT_SECRET = "chat_" + secrets.token_urlsafe(32)  # production refuses a missing one (web chat 503)


def fake_rasa(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/webhooks/rest/webhook":
        body = json.loads(request.content)
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": "Xin chào!"}])
    return httpx.Response(200, text="ok")


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def _make(**overrides) -> TestClient:
        values = {
            "rasa_urls": "http://rasa-a:5005",
            "action_server_url": "http://actions:5055",
            "knowledge_data_dir": tmp_path / "no-index",
            "database_url": f"sqlite:///{tmp_path}/cases.db",
            "environment": "production",
            "api_admin_token": ADMIN_TOKEN,
            "chat_session_secret": CHAT_SECRET,
        } | overrides
        http = httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa))
        client = TestClient(create_app(Settings(**values), http=http))
        client.__enter__()
        clients.append(client)
        return client

    yield _make
    for client in clients:
        client.__exit__(None, None, None)


def case_body(**overrides) -> dict:
    return {
        "channel": "web",
        "full_name": "Nguyễn Thị Hoa",
        "phone": "0912 345 678",
        "province": "Lào Cai",
        "commune": "Xã Bảo Hà",
        "eligibility_group": "khoan_2_ho_ngheo",
        "topic": "đất đai",
        "description": "Gia đình tôi bị lấn chiếm đất ruộng, tôi muốn được trợ giúp pháp lý.",
        "consent": True,
    } | overrides
