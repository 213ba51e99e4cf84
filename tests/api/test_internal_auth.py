"""The api's side of the internal service boundary (issue 11, findings 2 and 3).

* The api sends Rasa's token: `Authorization: Bearer` to the REST channel (web chat and the Zalo
  worker use the same client), Rasa's `?token=` to its HTTP API (`/model/parse`, hotline console).
  A Rasa that refuses the token is "unavailable" (503), not a 500.
* The action server's calls carry its service token (ACTION_SERVER_TOKEN) and are not counted
  by the per-IP limit; every other caller, including one with a wrong token, is.
* `POST /api/v1/answer` takes the question in the body (the action server's way: nothing typed
  in a URL).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from api.assist.intent import ReplicaHealth, parse_intent
from api.clients.rasa import RasaClient
from api.core.config import Settings
from api.main import create_app
from tests.assist.fakes import FakeIndex, parse_reply

RASA_TOKEN = "rasa-" + secrets.token_urlsafe(24)
SERVICE_TOKEN = "act-" + secrets.token_urlsafe(24)
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


class Recorder:
    """A fake Rasa (REST channel, `/model/parse`) that checks the token like the real one."""

    def __init__(self, token: str = RASA_TOKEN) -> None:
        self.token = token
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/webhooks/rest/webhook":
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return httpx.Response(401, json={"error": "not authenticated"})
            body = json.loads(request.content)
            return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": "Xin chào!"}])
        if request.url.path == "/model/parse":
            if request.url.params.get("token") != self.token:
                return httpx.Response(401, json={"reason": "NotAuthenticated"})
            return httpx.Response(200, json=parse_reply())
        return httpx.Response(200, text="ok")


@pytest.fixture
def app_client(tmp_path) -> Iterator[Callable[..., tuple[TestClient, Recorder]]]:
    clients: list[TestClient] = []

    def _make(recorder: Recorder | None = None, **overrides) -> tuple[TestClient, Recorder]:
        recorder = recorder or Recorder()
        values = {
            "rasa_urls": "http://rasa-a:5005",
            "action_server_url": "",  # no health check before each message
            "knowledge_data_dir": tmp_path / "no-index",
            "database_url": f"sqlite:///{tmp_path}/cases.db",
            "rasa_auth_token": RASA_TOKEN,
            "action_server_token": SERVICE_TOKEN,
            "environment": "production",
            "chat_session_secret": "chat-" + secrets.token_urlsafe(32),
        } | overrides
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder.handle))
        client = TestClient(create_app(Settings(**values), http=http))
        client.__enter__()
        clients.append(client)
        return client, recorder

    yield _make
    for client in clients:
        client.__exit__(None, None, None)


def _chat(client: TestClient, text: str = "xin chào") -> httpx.Response:
    return client.post("/api/v1/chat", json={"text": text})


# --- the api → Rasa -----------------------------------------------------------------------------


def test_rasa_client_sends_the_token_to_the_rest_channel() -> None:
    recorder = Recorder()
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder.handle))
    settings = Settings(rasa_urls="http://rasa-a:5005,http://rasa-b:5005", rasa_auth_token=RASA_TOKEN)
    rasa = RasaClient.from_settings(settings, http)
    replies = asyncio.run(rasa.send("zalo:123", "xin chào"))
    assert replies == [{"recipient_id": "zalo:123", "text": "Xin chào!"}]
    sent = recorder.requests[-1]
    assert sent.headers["authorization"] == f"Bearer {RASA_TOKEN}"
    assert RASA_TOKEN not in str(sent.url)  # a header, not a URL a log could show


def test_a_refused_token_is_rasa_unavailable_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    from api.clients.rasa import RasaUnavailableError

    recorder = Recorder(token="another-token-" + secrets.token_hex(8))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder.handle))
    settings = Settings(rasa_urls="http://rasa-a:5005", rasa_auth_token=RASA_TOKEN)
    rasa = RasaClient.from_settings(settings, http)
    with pytest.raises(RasaUnavailableError):
        asyncio.run(rasa.send("web:1", "xin chào"))
    assert "RASA_AUTH_TOKEN" in caplog.text and RASA_TOKEN not in caplog.text


def test_hotline_intent_parse_sends_rasas_token() -> None:
    recorder = Recorder()
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder.handle))
    intent = asyncio.run(parse_intent(
        http, ["http://rasa-a:5005"], "nhà tôi hộ nghèo", timeout=1.0, health=ReplicaHealth(),
        token=RASA_TOKEN,
    ))
    assert intent.source == "rasa" and intent.name == "ask_legal_aid_eligibility"
    without = asyncio.run(parse_intent(
        http, ["http://rasa-a:5005"], "nhà tôi hộ nghèo", timeout=1.0, health=ReplicaHealth(),
    ))
    assert without.source == "unavailable"  # the real Rasa refuses a call without its token


# --- the action server → the api: service token, per-IP limit -----------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/api/v1/answer", {"json": {"q": "hộ nghèo có được trợ giúp pháp lý không"}}),
        ("GET", "/api/v1/search", {"params": {"q": "hộ nghèo"}}),
        ("POST", "/api/v1/cases/status", {"json": {"code": "TGPL-2026-000001", "phone_last4": "5678"}}),
    ],
    ids=["answer", "search", "status"],
)
def test_service_token_calls_are_not_counted_per_ip(app_client, method: str, path: str, kwargs: dict) -> None:
    client, _ = app_client(rate_limit_per_ip_per_minute=3)
    served = [client.request(method, path, headers=SERVICE, **kwargs).status_code for _ in range(12)]
    assert 429 not in served, served
    public = [client.request(method, path, **kwargs).status_code for _ in range(4)]
    assert public[:3].count(429) == 0 and public[3] == 429  # the public bucket was untouched, and works


def test_a_wrong_token_of_the_same_length_is_counted_like_no_token(app_client) -> None:
    client, _ = app_client(rate_limit_per_ip_per_minute=3)
    wrong = SERVICE_TOKEN[:-1] + ("A" if SERVICE_TOKEN[-1] != "A" else "B")
    headers = {"Authorization": f"Bearer {wrong}"}
    body = {"json": {"q": "hộ nghèo"}}
    statuses = [client.post("/api/v1/answer", headers=headers, **body).status_code for _ in range(4)]
    assert statuses[3] == 429, statuses
    assert client.post("/api/v1/answer", headers={"Authorization": SERVICE_TOKEN}, **body).status_code == 429
    assert client.post("/api/v1/answer", headers=SERVICE, **body).status_code != 429


def test_public_chat_is_still_counted_while_the_service_calls_pass(app_client) -> None:
    client, _ = app_client(rate_limit_per_ip_per_minute=2)
    assert [_chat(client).status_code for _ in range(2)] == [200, 200]
    assert client.post("/api/v1/answer", headers=SERVICE, json={"q": "hộ nghèo"}).status_code != 429
    assert _chat(client).status_code == 429
    # the token spares only the paths the action server calls: the chat is counted whatever the token
    assert client.post("/api/v1/chat", json={"text": "xin chào"}, headers=SERVICE).status_code == 429


def test_a_weak_service_token_grants_nothing_in_production(app_client) -> None:
    weak = "short-token"
    client, _ = app_client(rate_limit_per_ip_per_minute=2, action_server_token=weak)
    headers = {"Authorization": f"Bearer {weak}"}
    statuses = [client.post("/api/v1/answer", headers=headers, json={"q": "x"}).status_code for _ in range(3)]
    assert statuses[2] == 429, statuses


# --- POST /api/v1/answer -------------------------------------------------------------------------


def test_answer_takes_the_question_in_the_body(app_client) -> None:
    client, _ = app_client()
    index = FakeIndex()
    client.app.state.app_state.knowledge.index = index
    question = "nha toi ho ngheo co duoc tro giup phap ly khong"
    posted = client.post("/api/v1/answer", json={"q": question}, headers=SERVICE)
    assert posted.status_code == 200, posted.text
    assert "Điều 7" in posted.json()["text"] and index.queries == [question]
    got = client.get("/api/v1/answer", params={"q": question})
    assert got.json() == posted.json()  # the same answer as the GET
    assert client.post("/api/v1/answer", json={"q": "   "}).status_code == 422
    assert client.post("/api/v1/answer", json={"q": "x" * 501}).status_code == 422
