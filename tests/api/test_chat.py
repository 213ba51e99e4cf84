"""POST /api/v1/chat: forwarding to Rasa, validation in Vietnamese, failures without traces."""

from __future__ import annotations

import unicodedata

import pytest


def test_chat_forwards_text_and_returns_replies_with_buttons(make_client, fake_rasa):
    fake_rasa.reply = lambda body: [
        {"recipient_id": body["sender"], "text": "Chào bạn!"},
        {"recipient_id": body["sender"], "text": "Bạn muốn hỏi gì?",
         "buttons": [{"title": "Hòa giải", "payload": "/ask_mediation"}]},
        {"recipient_id": body["sender"], "image": "http://x/y.png"},
    ]
    response = make_client().post("/api/v1/chat", json={"text": "xin chao"})
    assert response.status_code == 200
    body = response.json()
    sender = fake_rasa.received[0][1]["sender"]
    assert sender.startswith("web:")
    assert body == {
        "conversation_id": body["conversation_id"],
        "messages": [
            {"text": "Chào bạn!", "buttons": [], "case_code": None},
            {
                "text": "Bạn muốn hỏi gì?",
                "buttons": [{"title": "Hòa giải", "payload": "/ask_mediation"}],
                "case_code": None,
            },
        ],
    }
    assert fake_rasa.received == [("rasa-a:5005", {"sender": sender, "message": "xin chao"})]


def test_chat_normalises_decomposed_vietnamese_to_nfc(make_client, fake_rasa):
    decomposed = unicodedata.normalize("NFD", "Hòa giải ở cơ sở")
    make_client().post("/api/v1/chat", json={"text": decomposed})
    assert fake_rasa.received[0][1]["message"] == unicodedata.normalize("NFC", "Hòa giải ở cơ sở")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "trống"),
        ({"text": "   "}, "trống"),
        ({"text": "x" * 2001}, "quá dài"),
        ({}, "Thiếu trường"),
        ({"conversation_id": "x" * 300, "text": "xin chao"}, "conversation_id"),
    ],
)
def test_invalid_messages_get_422_in_vietnamese(make_client, fake_rasa, body, fragment):
    response = make_client().post("/api/v1/chat", json=body)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert fake_rasa.received == []


def test_text_of_exactly_2000_characters_is_accepted(make_client):
    response = make_client().post("/api/v1/chat", json={"text": "a" * 2000})
    assert response.status_code == 200


def test_malformed_json_gets_422_in_vietnamese(make_client):
    response = make_client().post(
        "/api/v1/chat", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_rasa_unreachable_gives_503_apology_without_trace(make_client, fake_rasa):
    fake_rasa.down_hosts = {"rasa-a:5005"}
    response = make_client(rasa_startup_grace_seconds=0).post(
        "/api/v1/chat", json={"text": "xin chao"}
    )
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert detail.startswith("Xin lỗi")
    assert "Traceback" not in response.text and "ConnectError" not in response.text


def test_rasa_still_loading_says_it_is_starting(make_client, fake_rasa):
    fake_rasa.down_hosts = {"rasa-a:5005"}
    response = make_client(rasa_startup_grace_seconds=600).post(
        "/api/v1/chat", json={"text": "xin chao"}
    )
    assert response.status_code == 503
    assert "khởi động" in response.json()["detail"]


def test_a_down_replica_is_skipped(make_client, fake_rasa):
    fake_rasa.down_hosts = {"rasa-a:5005"}
    client = make_client(rasa_urls="http://rasa-a:5005,http://rasa-b:5005")
    for _ in range(3):
        assert client.post("/api/v1/chat", json={"text": "chao"}).status_code == 200
    assert {host for host, _ in fake_rasa.received} == {"rasa-b:5005"}


ACTIONS = "actions:5055"
ACTIONS_DOWN_TEXT = (
    "Xin lỗi, hệ thống đang tạm gián đoạn nên tôi chưa xử lý được tin nhắn này. Những thông tin bạn "
    "đã cung cấp vẫn được giữ nguyên; bạn vui lòng gửi lại tin nhắn sau ít phút."
)


def test_action_server_down_gives_503_apology_and_rasa_is_not_called(make_client, fake_rasa):
    fake_rasa.down_hosts = {ACTIONS}
    response = make_client().post("/api/v1/chat", json={"text": "0912345678"})
    assert response.status_code == 503
    assert response.json()["detail"] == ACTIONS_DOWN_TEXT
    assert int(response.headers["Retry-After"]) > 0
    assert fake_rasa.received == []  # the phone number was not sent to be swallowed


def test_message_goes_through_once_the_action_server_is_back(make_client, fake_rasa):
    client = make_client(action_server_check_cache_seconds=0)
    fake_rasa.down_hosts = {ACTIONS}
    assert client.post("/api/v1/chat", json={"text": "0912345678"}).status_code == 503
    fake_rasa.down_hosts = set()
    response = client.post("/api/v1/chat", json={"text": "0912345678"})
    assert response.status_code == 200
    assert response.json()["messages"] == [{"text": "Xin chào!", "buttons": [], "case_code": None}]
    assert [body["message"] for _, body in fake_rasa.received] == ["0912345678"]


def test_empty_reply_while_the_action_server_went_down_gives_503(make_client, fake_rasa):
    def swallowed(body: dict) -> list[dict]:  # the action server dies while Rasa runs the form
        fake_rasa.down_hosts = {ACTIONS}
        return []

    fake_rasa.reply = swallowed
    response = make_client(action_server_check_cache_seconds=60).post(
        "/api/v1/chat", json={"text": "0912345678"}
    )
    assert response.status_code == 503  # re-checked without the cache
    assert response.json()["detail"] == ACTIONS_DOWN_TEXT
    assert len(fake_rasa.received) == 1


def test_empty_reply_with_the_action_server_up_is_an_empty_answer(make_client, fake_rasa):
    fake_rasa.reply = lambda body: []
    response = make_client().post("/api/v1/chat", json={"text": "/stop"})
    assert response.status_code == 200
    assert response.json()["messages"] == []


def test_no_action_server_url_means_no_check(make_client, fake_rasa):
    fake_rasa.down_hosts = {ACTIONS}
    response = make_client(action_server_url="").post("/api/v1/chat", json={"text": "chao"})
    assert response.status_code == 200 and len(fake_rasa.received) == 1


def test_chat_page_keeps_an_unsent_message_in_the_input(make_client):
    script = make_client().get("/chat/static/chat.js").text
    assert "keepUnsent(text, shown)" in script and "r.status === 503" in script
