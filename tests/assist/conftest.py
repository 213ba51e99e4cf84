"""Fixtures of the assist api tests: the real app with a fake Rasa, a fake index and staff tokens."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient

from api.cases.security import Role, create_token
from api.core.config import Settings
from api.core.db import Database
from api.main import create_app
from tests.assist.fakes import FakeIndex, FakeRasa

ADMIN_TOKEN = "adm_" + secrets.token_urlsafe(24)
RASA_A, RASA_B = "rasa-a:5005", "rasa-b:5005"


@dataclass
class Assist:
    client: TestClient
    rasa: FakeRasa
    index: FakeIndex | None
    operator: str
    database_url: str

    def post(self, text: object, token: str | None = "operator", **kwargs) -> httpx.Response:
        secret = self.operator if token == "operator" else token
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return self.client.post("/api/v1/assist", json={"text": text}, headers=headers, **kwargs)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def make_assist(fake_rasa: FakeRasa, tmp_path) -> Iterator[Callable[..., Assist]]:
    clients: list[TestClient] = []

    def _make(*, index: FakeIndex | None = None, **overrides) -> Assist:
        database_url = f"sqlite:///{tmp_path}/cases.db"
        values = {
            "_env_file": None,
            "environment": "production",
            "rasa_urls": f"http://{RASA_A},http://{RASA_B}",
            "action_server_url": "http://actions:5055",
            "knowledge_data_dir": tmp_path / "no-index",
            "database_url": database_url,
            "api_admin_token": ADMIN_TOKEN,
        } | overrides
        http = httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa.handle))
        client = TestClient(create_app(Settings(**values), http=http))
        client.__enter__()
        clients.append(client)
        if index is not None:
            client.app.state.app_state.knowledge.index = index
        database = Database(database_url, migrate=False)
        with database.session() as session:
            _, operator = create_token(session, name="Tổng đài 1900 - ca sáng", role=Role.operator)
        database.dispose()
        return Assist(client, fake_rasa, index, operator, database_url)

    yield _make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def assist(make_assist: Callable[..., Assist]) -> Assist:
    return make_assist(index=FakeIndex())
