"""Web chat conversation ids are issued by the server, signed and expiring (issue 11, finding 8).

The id is a bearer credential (whoever sends it continues the conversation and reads its intake
summary): a client may not choose it, forge it or keep using it forever.
"""

from __future__ import annotations

import base64
import time

import pytest

from api.core.chat_sessions import COOKIE_NAME, ChatSessionError, ChatSessions, secret_problem

SECRET = "test-chat-session-secret-0123456789abcdef"
OTHER_SECRET = "another-chat-session-secret-9876543210fedcba"


def _sessions(secret: str = SECRET) -> ChatSessions:
    return ChatSessions.from_secret(secret, idle_hours=24, max_hours=168)


def _set_cookie(response) -> str:
    return response.headers["set-cookie"]


def test_a_message_without_id_starts_a_server_issued_conversation(make_client, fake_rasa):
    response = make_client(chat_session_secret=SECRET).post("/api/v1/chat", json={"text": "xin chao"})
    assert response.status_code == 200
    token = response.json()["conversation_id"]
    sender = fake_rasa.received[0][1]["sender"]
    # Rasa hears web:<128 random bits>, never an id of another channel
    assert sender.startswith("web:")
    assert len(base64.urlsafe_b64decode(sender.removeprefix("web:") + "==")) == 16
    assert sender.removeprefix("web:") in token
    cookie = _set_cookie(response)
    assert cookie.startswith(f"{COOKIE_NAME}={token};")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "SameSite=Strict" in cookie and "Path=/api/v1/chat" in cookie
    assert "secure" not in attributes  # the dev site is plain http
    assert 0 < int(cookie.split("Max-Age=")[1].split(";")[0]) <= 24 * 3600


def test_the_cookie_is_secure_when_the_public_url_is_https(make_client):
    client = make_client(chat_session_secret=SECRET, public_url="https://tgpl.example.vn")
    response = client.post("/api/v1/chat", json={"text": "xin chao"})
    assert "; Secure" in _set_cookie(response)


def test_every_new_conversation_has_its_own_id(make_client, fake_rasa):
    client = make_client(chat_session_secret=SECRET)
    for _ in range(20):
        client.cookies.clear()
        assert client.post("/api/v1/chat", json={"text": "xin chao"}).status_code == 200
    senders = {body["sender"] for _, body in fake_rasa.received}
    assert len(senders) == 20


def test_the_conversation_continues_with_the_returned_id_or_the_cookie(make_client, fake_rasa):
    client = make_client(chat_session_secret=SECRET)
    first = client.post("/api/v1/chat", json={"text": "toi can tgpl"}).json()["conversation_id"]
    assert client.post("/api/v1/chat", json={"text": "nguyen van binh"}).status_code == 200  # cookie
    client.cookies.clear()
    again = client.post("/api/v1/chat", json={"text": "0912345678", "conversation_id": first})
    assert again.status_code == 200  # the token in the body, for API clients without cookies
    senders = [body["sender"] for _, body in fake_rasa.received]
    assert len(set(senders)) == 1 and senders[0].startswith("web:")


def test_another_replica_with_the_same_secret_accepts_the_id(make_client, fake_rasa):
    token = make_client(chat_session_secret=SECRET).post("/api/v1/chat", json={"text": "chao"}).json()[
        "conversation_id"
    ]
    replica = make_client(chat_session_secret=SECRET)
    assert replica.post("/api/v1/chat", json={"text": "chao", "conversation_id": token}).status_code == 200
    stranger = make_client(chat_session_secret=OTHER_SECRET)
    refused = stranger.post("/api/v1/chat", json={"text": "chao", "conversation_id": token})
    assert refused.status_code == 401
    assert len({body["sender"] for _, body in fake_rasa.received}) == 1


def test_a_client_chosen_sender_id_is_refused(make_client, fake_rasa):
    response = make_client(chat_session_secret=SECRET).post(
        "/api/v1/chat", json={"sender_id": "web:my-own-id", "text": "xin chao"}
    )
    assert response.status_code == 422
    assert "máy chủ cấp" in response.json()["detail"]
    assert fake_rasa.received == []


def _forged_tokens() -> list[str]:
    genuine = _sessions()
    session = genuine.new()
    token = genuine.token(session)
    parts = token.split(".")
    other_id = _sessions().new().id
    return [
        "abc",  # invented
        "web:8a9f0c2e-1111",  # an old page's Math.random id
        "zalo:8731456120345678901",  # another channel's conversation
        ".".join([parts[0], other_id, *parts[2:]]),  # someone else's id under this MAC
        ".".join([*parts[:3], f"{int(parts[3], 16) + 3600:x}", parts[4]]),  # stretched lifetime
        _sessions(OTHER_SECRET).token(session),  # signed with another key
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # altered MAC
    ]


@pytest.mark.parametrize("forged", _forged_tokens())
def test_an_invented_or_forged_id_is_refused_with_401(make_client, fake_rasa, forged):
    client = make_client(chat_session_secret=SECRET)
    response = client.post("/api/v1/chat", json={"text": "xin chao", "conversation_id": forged})
    assert response.status_code == 401
    assert "không hợp lệ" in response.json()["detail"]
    assert fake_rasa.received == []
    assert _set_cookie(response).startswith(f"{COOKIE_NAME}=;") and "Max-Age=0" in _set_cookie(response)


def test_a_forged_cookie_is_refused_then_a_new_conversation_starts(make_client, fake_rasa):
    client = make_client(chat_session_secret=SECRET)
    client.cookies.set(COOKIE_NAME, "c1.invented")
    assert client.post("/api/v1/chat", json={"text": "0912345678"}).status_code == 401
    client.cookies.clear()  # what the browser does with the Max-Age=0 cookie
    assert client.post("/api/v1/chat", json={"text": "0912345678"}).status_code == 200


@pytest.mark.parametrize(
    ("issued_ago_hours", "seen_ago_hours"),
    [(25, 25), (24 * 8, 1)],  # unused for more than a day; older than a week although in use
)
def test_an_expired_id_is_refused(make_client, fake_rasa, issued_ago_hours, seen_ago_hours):
    sessions = _sessions()
    now = time.time()
    session = sessions.touch(sessions.new(now - issued_ago_hours * 3600), now - seen_ago_hours * 3600)
    response = make_client(chat_session_secret=SECRET).post(
        "/api/v1/chat", json={"text": "xin chao", "conversation_id": sessions.token(session)}
    )
    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]
    assert fake_rasa.received == []


def test_each_answer_refreshes_the_idle_expiry(make_client):
    sessions = _sessions()
    now = time.time()
    old = sessions.token(sessions.new(now - 23 * 3600))  # 23 h idle: still valid
    response = make_client(chat_session_secret=SECRET).post(
        "/api/v1/chat", json={"text": "xin chao", "conversation_id": old}
    )
    assert response.status_code == 200
    refreshed = sessions.verify(response.json()["conversation_id"], now=now + 12 * 3600)
    assert refreshed.id == sessions.verify(old).id
    with pytest.raises(ChatSessionError, match="expired"):
        sessions.verify(old, now=now + 2 * 3600)


@pytest.mark.parametrize(
    "secret", [None, "", "dev-only-chat-session-secret", "changeme", "short-secret-1234"]
)
def test_production_refuses_a_missing_or_weak_secret(make_client, fake_rasa, secret):
    client = make_client(environment="production", chat_session_secret=secret)
    response = client.post("/api/v1/chat", json={"text": "xin chao"})
    assert response.status_code == 503
    assert "chưa được cấu hình" in response.json()["detail"]
    assert fake_rasa.received == []


def test_production_with_a_strong_secret_serves_the_web_chat(make_client):
    client = make_client(environment="production", chat_session_secret=SECRET)
    assert client.post("/api/v1/chat", json={"text": "xin chao"}).status_code == 200


def test_secret_strength_rules():
    assert secret_problem(SECRET) is None
    assert secret_problem("dev-only-chat-session-secret-long-enough") is not None
    assert secret_problem("a" * 40) is not None
    assert "32" in (secret_problem("x1y2z3w4v5u6t7s8") or "")
