"""The web chat page's two reads (issue 14): the first screen and the conversation so far."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import httpx
import pytest
import yaml

from api.core.chat_sessions import COOKIE_NAME
from api.schemas import Button
from api.webchat.history import MAX_MESSAGES, history_from_events
from api.webchat.welcome import DOMAIN_FILE
from tests.api.conftest import FakeRasa
from tests.harness.chat import FIRST_SCREEN_TOPICS


@dataclass
class TrackerRasa(FakeRasa):
    """Also answers Rasa's tracker endpoint with the events it is given."""

    events: dict[str, list[dict]] = field(default_factory=dict)
    tracker_requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/conversations/") and request.url.host not in str(self.down_hosts):
            self.tracker_requests.append(request)
            sender = request.url.path.split("/")[2]
            return httpx.Response(200, json={"sender_id": sender, "events": self.events.get(sender, [])})
        return super().handle(request)


@pytest.fixture
def fake_rasa() -> TrackerRasa:
    return TrackerRasa()


def test_welcome_is_the_bots_own_greeting_with_the_six_topics_privacy_and_the_sourced_hotline(make_client):
    body = make_client().get("/api/v1/chat/welcome").json()
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    greet = domain["responses"]["utter_greet"][0]
    assert body["greeting"][0]["text"] == unicodedata.normalize("NFC", greet["text"].strip())
    assert [b["title"] for b in body["greeting"][0]["buttons"]] == FIRST_SCREEN_TOPICS
    assert "Đồng ý" in body["privacy"]
    assert body["hotline"]["number"] == "1800.1233" and body["hotline"]["tel"] == "18001233"
    assert body["hotline"]["free"] is True


def test_history_without_a_conversation_is_empty_and_asks_rasa_nothing(make_client, fake_rasa):
    response = make_client().get("/api/v1/chat/history")
    assert response.status_code == 200 and response.json() == {"messages": [], "notice": None}
    assert response.headers["cache-control"] == "no-store"
    assert fake_rasa.tracker_requests == []


def test_history_of_the_cookies_conversation_with_times_and_tapped_titles(make_client, fake_rasa):
    client = make_client(rasa_auth_token="rasa-token-for-tests")
    client.post("/api/v1/chat", json={"text": "xin chao"})  # the server issues the conversation
    sender = fake_rasa.received[0][1]["sender"]
    fake_rasa.events[sender] = [
        {"event": "action", "name": "action_session_start", "timestamp": 1_780_000_000.0},
        {"event": "user", "text": "/request_legal_aid", "timestamp": 1_780_000_001.5},  # a first-screen chip
        {
            "event": "bot",
            "text": "Bạn cho tôi biết họ và tên nhé.",
            "timestamp": 1_780_000_002.0,
            "data": {"buttons": None},
        },
        {"event": "user", "text": "Nguyễn Văn An", "timestamp": 1_780_000_010.0},
        {
            "event": "bot",
            "text": "Bạn có đồng ý không?",
            "timestamp": 1_780_000_011.0,
            "data": {"buttons": [{"title": "Đồng ý", "payload": "/affirm"}]},
        },
        {"event": "user", "text": "/affirm", "timestamp": 1_780_000_020.0},
        {"event": "user", "text": "/internal_command", "timestamp": 1_780_000_021.0},
    ]
    body = client.get("/api/v1/chat/history").json()
    assert [(m["role"], m["text"]) for m in body["messages"]] == [
        ("user", "Gửi yêu cầu"),
        ("bot", "Bạn cho tôi biết họ và tên nhé."),
        ("user", "Nguyễn Văn An"),
        ("bot", "Bạn có đồng ý không?"),
        ("user", "Đồng ý"),
    ]
    assert body["messages"][0]["at"].startswith("2026-05-28T")
    assert body["messages"][3]["buttons"] == [{"title": "Đồng ý", "payload": "/affirm"}]
    request = fake_rasa.tracker_requests[-1]
    assert request.url.raw_path.startswith(f"/conversations/{sender}/tracker".encode())
    assert request.url.params["token"] == "rasa-token-for-tests"


def test_history_with_a_forged_cookie_is_empty_with_a_notice_and_clears_it(make_client, fake_rasa):
    client = make_client()
    client.cookies.set(COOKIE_NAME, "c1.forged", path="/api/v1/chat")
    response = client.get("/api/v1/chat/history")
    assert response.status_code == 200
    assert response.json()["messages"] == [] and "Không mở lại được" in response.json()["notice"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert fake_rasa.tracker_requests == []


def test_history_when_rasa_is_down_is_a_503_in_vietnamese(make_client, fake_rasa):
    client = make_client()
    client.post("/api/v1/chat", json={"text": "xin chao"})
    fake_rasa.down_hosts = {"rasa-a:5005"}
    response = client.get("/api/v1/chat/history")
    assert response.status_code == 503 and "tin nhắn trước" in response.json()["detail"]


def test_history_starts_after_a_restart_and_keeps_the_latest_messages():
    events = [{"event": "user", "text": "cũ", "timestamp": 1.0}, {"event": "restart", "timestamp": 2.0}]
    events += [{"event": "bot", "text": f"tin {i}", "timestamp": 3.0 + i} for i in range(MAX_MESSAGES + 5)]
    messages = history_from_events(events, [Button(title="x", payload="/x")])
    assert len(messages) == MAX_MESSAGES and messages[-1].text == f"tin {MAX_MESSAGES + 4}"
    assert all(m.text != "cũ" for m in messages)


def test_the_chat_page_may_use_the_microphone_of_its_own_origin_only(make_client):
    response = make_client().get("/")
    assert "microphone=(self)" in response.headers["permissions-policy"]
    assert "camera=()" in response.headers["permissions-policy"]


def test_a_bots_case_code_is_given_apart_in_the_one_format_of_the_vocabulary() -> None:
    """The page boxes `case_code` (api/static/chat.js keeps no code pattern of its own); new random
    and old sequential codes both; a code the citizen typed is not boxed."""
    events = [
        {"event": "user", "text": "TGPL-2026-7KX94Q", "timestamp": 1.0},
        {"event": "bot", "text": "Đã ghi nhận. Mã hồ sơ của bạn: TGPL-2026-7KX94Q.", "timestamp": 2.0},
        {"event": "bot", "text": "Hồ sơ TGPL-2026-000042 đang được xử lý.", "timestamp": 3.0},
        {"event": "bot", "text": "Luật số 11/2017/QH14, năm 2026.", "timestamp": 4.0},
    ]
    codes = [m.model_dump()["case_code"] for m in history_from_events(events)]
    assert codes == [None, "TGPL-2026-7KX94Q", "TGPL-2026-000042", None]
