"""A fake Rasa behind httpx.MockTransport, injected into the real app."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi.testclient import TestClient

from api.core.config import Settings
from api.main import create_app


@dataclass
class FakeRasa:
    """Answers the REST channel like Rasa; records what it received."""

    reply: Callable[[dict], list[dict]] = lambda body: [{"recipient_id": body["sender"], "text": "Xin chào!"}]
    down_hosts: set[str] = field(default_factory=set)
    received: list[tuple[str, dict]] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        host = f"{request.url.host}:{request.url.port}"
        if host in self.down_hosts:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/webhooks/rest/webhook":
            body = json.loads(request.content)
            self.received.append((host, body))
            return httpx.Response(200, json=self.reply(body))
        if request.url.path in ("/", "/health"):
            return httpx.Response(200, text="ok")
        return httpx.Response(404)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def make_client(fake_rasa: FakeRasa, tmp_path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def _make(**overrides) -> TestClient:
        values = {
            "rasa_urls": "http://rasa-a:5005",
            "action_server_url": "http://actions:5055",
            "knowledge_data_dir": tmp_path / "no-index",
            "database_url": f"sqlite:///{tmp_path}/cases.db",
        } | overrides
        settings = Settings(**values)
        http = httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa.handle))
        client = TestClient(create_app(settings, http=http))
        client.__enter__()
        clients.append(client)
        return client

    yield _make
    for client in clients:
        client.__exit__(None, None, None)
