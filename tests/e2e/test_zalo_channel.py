"""Zalo channel end to end: a signed webhook reaches the real Rasa, actions and index, and exactly
one reply, citing the law, arrives at the (fake) Zalo OA API. Unsigned events are refused."""

from __future__ import annotations

import time

import httpx

from tests.e2e.conftest import ZALO_OA_SECRET
from tests.fakes.zalo_api import FakeZaloApi
from tests.harness.zalo import signed_headers, text_event


def _post(api: str, raw: bytes, *, signed: bool = True) -> httpx.Response:
    headers = signed_headers(raw, ZALO_OA_SECRET) if signed else {"content-type": "application/json"}
    return httpx.post(f"{api}/webhooks/zalo", content=raw, headers=headers, timeout=10)


def _texts_to(zalo: FakeZaloApi, user_id: str) -> list[str]:
    return [m.text for m in zalo.messages if m.user_id == user_id]


def test_signed_question_gets_exactly_one_reply_citing_article_7(system, fake_zalo):
    user = "8731456120345678901"
    raw = text_event(user, "nha toi ho ngheo co duoc tro giup phap ly ko", "e2e-msg-1")
    started = time.monotonic()
    response = _post(system, raw)
    assert response.status_code == 200 and time.monotonic() - started < 2.0
    assert _post(system, raw).status_code == 200  # Zalo's retry of the same msg_id

    fake_zalo.wait_for(lambda z: any("Điều 7" in t for t in _texts_to(z, user)), timeout=90)
    time.sleep(3)  # a duplicate reply, if any, would arrive now
    texts = _texts_to(fake_zalo, user)
    citing = [t for t in texts if "Điều 7" in t and "11/2017/QH14" in t]
    assert len(citing) == 1, texts


def test_unsigned_event_is_refused_and_nothing_is_sent(system, fake_zalo):
    user = "8731456120345600000"
    response = _post(system, text_event(user, "xin chao", "e2e-msg-unsigned"), signed=False)
    assert response.status_code == 401
    time.sleep(3)
    assert _texts_to(fake_zalo, user) == []
