"""Zalo signature check, event parsing and reply formatting."""

from __future__ import annotations

import json

import pytest

from api.zalo.events import ZaloEvent
from api.zalo.formatting import render, resolve_numbered_answer, split_text
from api.zalo.signature import SignatureError, signature_header, verify

SECRET = "test-oa-secret"
NOW_MS = 1_790_000_000_000


def _event(text: str = "xin chao", *, timestamp: int = NOW_MS) -> bytes:
    body = {
        "app_id": "4291763606161179100",
        "event_name": "user_send_text",
        "sender": {"id": 8_731_456_120_345_678_901},
        "recipient": {"id": "579745863508352884"},
        "message": {"text": text, "msg_id": "This is message id"},
        "timestamp": str(timestamp),
    }
    return json.dumps(body, ensure_ascii=False).encode()


def _header(raw: bytes, secret: str = SECRET) -> str:
    body = json.loads(raw)
    return signature_header(app_id=body["app_id"], raw_body=raw, timestamp=body["timestamp"], secret=secret)


def test_valid_signature_returns_body():
    raw = _event("nhà tôi hộ nghèo")
    body = verify(raw_body=raw, header=_header(raw), secret=SECRET, max_age_seconds=300, now_ms=NOW_MS)
    assert body["message"]["text"] == "nhà tôi hộ nghèo"


@pytest.mark.parametrize(
    "header",
    [None, "", "sha256=abc", "mac=", "mac=" + "0" * 64],
)
def test_missing_or_wrong_signature_is_refused(header):
    with pytest.raises(SignatureError):
        verify(raw_body=_event(), header=header, secret=SECRET, max_age_seconds=300, now_ms=NOW_MS)


def test_signature_with_another_secret_is_refused():
    raw = _event()
    with pytest.raises(SignatureError):
        verify(raw_body=raw, header=_header(raw, "other"), secret=SECRET, max_age_seconds=300, now_ms=NOW_MS)


def test_body_changed_after_signing_is_refused():
    raw = _event("a")
    tampered = raw.replace(b'"a"', b'"b"')
    with pytest.raises(SignatureError):
        verify(raw_body=tampered, header=_header(raw), secret=SECRET, max_age_seconds=300, now_ms=NOW_MS)


def test_old_timestamp_is_a_replay():
    raw = _event(timestamp=NOW_MS - 301_000)
    with pytest.raises(SignatureError, match="replay"):
        verify(raw_body=raw, header=_header(raw), secret=SECRET, max_age_seconds=300, now_ms=NOW_MS)


def test_event_ids_stay_strings():
    event = ZaloEvent.model_validate(json.loads(_event()))
    assert event.user_id == "8731456120345678901"
    assert event.dedup_key == "This is message id"


def test_buttons_become_numbered_options_and_numbers_map_back():
    texts, offered = render(
        [
            {"text": "Bạn thuộc nhóm nào?", "buttons": [
                {"title": "Hộ nghèo", "payload": '/inform{"group":"ho_ngheo"}'},
                {"title": "Hộ cận nghèo", "payload": '/inform{"group":"ho_can_ngheo"}'},
            ]},
        ]
    )
    assert texts == ["Bạn thuộc nhóm nào?\n1. Hộ nghèo\n2. Hộ cận nghèo\n(Trả lời bằng số để chọn)"]
    assert resolve_numbered_answer(" 2 ", offered) == '/inform{"group":"ho_can_ngheo"}'
    assert resolve_numbered_answer("3", offered) == "3"
    assert resolve_numbered_answer("2 người", offered) == "2 người"


def test_long_text_is_split_below_2000_characters_without_losing_words():
    text = " ".join(["trợ giúp pháp lý"] * 300)
    parts = split_text(text)
    assert len(parts) > 1 and all(len(p) <= 2000 for p in parts)
    assert " ".join(parts) == text
