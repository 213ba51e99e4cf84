"""POST /webhooks/zalo end to end: signed fixture events → inbox → fake Rasa → outbox → fake Zalo API."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import delete, select, update

from api.zalo.models import ZaloInbox, ZaloOutbox, ZaloToken, ZaloUser
from api.zalo.signature import SIGNATURE_HEADER
from api.zalo.worker import NON_TEXT_REPLY, WELCOME_TEXT
from tests.fakes.zalo_api import FakeZaloApi
from tests.zalo.conftest import USER, FakeRasa, ZaloApp, event, signed, wait_until

GROUP_BUTTONS = [
    {"title": "Hộ nghèo", "payload": '/inform{"group":"ho_ngheo"}'},
    {"title": "Hộ cận nghèo", "payload": '/inform{"group":"ho_can_ngheo"}'},
    {"title": "Người khuyết tật", "payload": '/inform{"group":"nguoi_khuyet_tat"}'},
]


def test_valid_signature_gets_exactly_one_reply(zapp: ZaloApp) -> None:
    zapp.start()
    body = event(text="Tôi thuộc hộ nghèo, có được trợ giúp không?")
    response = zapp.post(body)
    assert response.status_code == 200 and response.json() == {"status": "queued"}
    wait_until(lambda: zapp.zalo.messages, what="a reply at the fake Zalo API")
    wait_until(zapp.settled, what="inbox and outbox settled")
    assert zapp.rasa.received == [
        {"sender": f"zalo:{USER}", "message": "Tôi thuộc hộ nghèo, có được trợ giúp không?"}
    ]
    assert zapp.zalo.texts_to(USER) == ["Trả lời: Tôi thuộc hộ nghèo, có được trợ giúp không?"]
    assert zapp.zalo.messages[0].access_token == "access-0"
    (row,) = zapp.inbox()
    assert row.status == "done" and row.text is None  # the citizen's text is not kept once answered
    assert all(r.text is None for r in zapp.outbox())


@pytest.mark.parametrize(
    "headers",
    [
        {},  # missing
        {SIGNATURE_HEADER: "mac=" + "0" * 64},  # wrong
        {SIGNATURE_HEADER: "sha256=abc"},  # malformed
    ],
    ids=["missing", "wrong", "malformed"],
)
def test_missing_or_wrong_signature_is_401_and_nothing_stored_or_sent(zapp: ZaloApp, headers: dict) -> None:
    zapp.start()
    response = zapp.post(event(), headers=headers | {"Content-Type": "application/json"})
    assert response.status_code == 401
    assert "Chữ ký không hợp lệ" in response.json()["detail"]
    assert zapp.inbox() == []
    assert zapp.rasa.received == [] and zapp.zalo.messages == []


def test_signature_made_with_another_secret_is_401(zapp: ZaloApp) -> None:
    zapp.start()
    assert zapp.post(event(), secret="not-the-oa-secret").status_code == 401
    assert zapp.inbox() == []


def test_body_changed_after_signing_is_401(zapp: ZaloApp) -> None:
    zapp.start()
    raw, headers = signed(event(text="a"))
    tampered = raw.replace(b'"a"', b'"b"')
    assert zapp.client is not None
    assert zapp.client.post("/webhooks/zalo", content=tampered, headers=headers).status_code == 401
    assert zapp.inbox() == []


def test_stale_timestamp_is_401_as_a_replay(zapp: ZaloApp) -> None:
    zapp.start(zalo_max_event_age_seconds=300)
    response = zapp.post(event(age_seconds=301))
    assert response.status_code == 401
    assert "replayed" in response.json()["detail"]
    assert zapp.inbox() == [] and zapp.zalo.messages == []
    assert zapp.post(event(age_seconds=250)).status_code == 200  # inside the window


def test_duplicate_msg_id_is_answered_once_even_after_a_restart(zapp: ZaloApp) -> None:
    zapp.start()
    body = event(text="xin chào", msg_id="e3b0c44298fc1c149afbf4c8996fb924")
    assert zapp.post(body).json() == {"status": "queued"}
    assert zapp.post(body).json() == {"status": "duplicate"}  # Zalo retried
    wait_until(zapp.settled, what="first reply sent")
    zapp.restart()  # same SQLite file
    retry = dict(body, timestamp=str(int(time.time() * 1000)))  # a later retry, re-signed
    response = zapp.post(retry)
    assert response.status_code == 200 and response.json() == {"status": "duplicate"}
    # the worker of the restarted app is idle: a fresh message goes through after the duplicate
    zapp.post(event(text="câu thứ hai"))
    wait_until(lambda: len(zapp.zalo.messages) == 2, what="the second reply")
    wait_until(zapp.settled)
    assert zapp.zalo.texts_to(USER) == ["Trả lời: xin chào", "Trả lời: câu thứ hai"]
    assert zapp.rasa.messages_from(USER) == ["xin chào", "câu thứ hai"]
    assert len(zapp.inbox()) == 2


def test_expired_token_is_refreshed_stored_and_one_reply_delivered(zapp: ZaloApp) -> None:
    zapp.zalo.expire_access_token()
    zapp.start()
    zapp.post(event(text="hỏi"))
    wait_until(zapp.settled, what="reply delivered after the refresh")
    assert zapp.zalo.expired_answers == 1
    assert len(zapp.zalo.refreshes) == 1
    refresh = zapp.zalo.refreshes[0]
    assert refresh.secret_key == "test-app-secret"
    assert refresh.form == {"refresh_token": "refresh-0", "app_id": "4291763606161179100",
                            "grant_type": "refresh_token"}
    delivered = [(m.text, m.access_token) for m in zapp.zalo.messages]
    assert delivered == [("Trả lời: hỏi", zapp.zalo.access_token)]
    with zapp.db.session() as session:
        stored = session.scalars(select(ZaloToken)).one()
    assert (stored.access_token, stored.refresh_token) == (zapp.zalo.access_token, zapp.zalo.refresh_token)
    # after a restart the stored pair is used (the configured one is spent), no new refresh
    zapp.restart()
    zapp.post(event(text="lần nữa"))
    wait_until(lambda: len(zapp.zalo.messages) == 2)
    assert len(zapp.zalo.refreshes) == 1 and zapp.zalo.expired_answers == 1


def test_rasa_down_webhook_still_200_and_reply_delivered_after_rasa_returns(zapp: ZaloApp) -> None:
    zapp.rasa.down = True
    zapp.start()
    response = zapp.post(event(text="có ai không?"))
    assert response.status_code == 200
    wait_until(lambda: zapp.rasa.refused >= 3, what="retries while Rasa is down")
    (row,) = zapp.inbox()
    assert row.status in ("pending", "processing") and row.attempts >= 1
    assert zapp.zalo.messages == []
    zapp.rasa.down = False
    wait_until(zapp.settled, what="the reply once Rasa is back")
    assert zapp.zalo.texts_to(USER) == ["Trả lời: có ai không?"]
    assert zapp.rasa.messages_from(USER) == ["có ai không?"]


def test_rasa_down_across_a_restart_loses_nothing(zapp: ZaloApp) -> None:
    zapp.rasa.down = True
    zapp.start()
    zapp.post(event(text="tin nhắn khi Rasa tắt"))
    wait_until(lambda: zapp.rasa.refused >= 1)
    zapp.stop()
    zapp.rasa.down = False
    zapp.start()
    wait_until(zapp.settled, what="the reply after the restart")
    assert zapp.zalo.texts_to(USER) == ["Trả lời: tin nhắn khi Rasa tắt"]


def test_zalo_api_failing_for_a_while_is_recorded_and_the_reply_delivered_later(zapp: ZaloApp) -> None:
    zapp.zalo.fail_sends(1000, status=500)
    zapp.start()
    zapp.post(event(text="alo"))
    failed = wait_until(
        lambda: [r for r in zapp.outbox() if r.status == "failed" and r.attempts >= 2],
        what="the send recorded as failed",
    )
    assert failed[0].last_error == "HTTP 500" and failed[0].next_attempt_at is not None
    assert zapp.zalo.messages == []
    zapp.zalo.fail_sends(0)
    wait_until(zapp.settled, what="delivered once the Zalo API recovers")
    assert zapp.zalo.texts_to(USER) == ["Trả lời: alo"]
    (row,) = zapp.outbox()
    assert row.status == "sent" and row.attempts >= 3



def test_a_reply_that_can_never_be_delivered_ends_dead_and_does_not_block_the_next(zapp: ZaloApp) -> None:
    zapp.zalo.fail_sends(1000, status=500)
    zapp.start(zalo_send_max_attempts=2)
    zapp.post(event(text="một"))
    dead = wait_until(lambda: [r for r in zapp.outbox() if r.status == "dead"], what="the reply given up")
    assert dead[0].attempts == 2 and dead[0].last_error == "HTTP 500" and dead[0].text is None
    zapp.zalo.fail_sends(0)
    zapp.post(event(text="hai"))
    wait_until(lambda: zapp.zalo.messages)
    assert zapp.zalo.texts_to(USER) == ["Trả lời: hai"]


def test_a_message_rasa_keeps_rejecting_ends_dead_and_does_not_block_the_user(zapp: ZaloApp) -> None:
    zapp.rasa.status = 400
    zapp.start()
    zapp.post(event(text="tin hỏng"))
    dead = wait_until(lambda: [r for r in zapp.inbox() if r.status == "dead"], what="the item given up")
    assert dead[0].attempts == 10 and dead[0].last_error == "HTTPStatusError" and dead[0].text is None
    zapp.rasa.status = 200
    zapp.post(event(text="tin tốt"))
    wait_until(lambda: zapp.zalo.messages)
    assert zapp.zalo.texts_to(USER) == ["Trả lời: tin tốt"]

def test_buttons_become_numbered_options_and_2_is_the_second_payload(zapp: ZaloApp) -> None:
    def reply(body: dict) -> list[dict]:
        if body["message"] == "tôi muốn được trợ giúp":
            return [{"text": "Bạn thuộc nhóm nào?", "buttons": GROUP_BUTTONS}]
        return [{"text": f"Đã ghi nhận {body['message']}"}]

    zapp.rasa.reply = reply
    zapp.start()
    zapp.post(event(text="tôi muốn được trợ giúp"))
    wait_until(lambda: zapp.zalo.messages)
    assert zapp.zalo.texts_to(USER) == [
        "Bạn thuộc nhóm nào?\n1. Hộ nghèo\n2. Hộ cận nghèo\n3. Người khuyết tật\n(Trả lời bằng số để chọn)"
    ]
    zapp.restart()  # the offered buttons are persisted
    zapp.post(event(text="2"))
    wait_until(lambda: len(zapp.zalo.messages) == 2)
    assert zapp.rasa.messages_from(USER) == ["tôi muốn được trợ giúp", '/inform{"group":"ho_can_ngheo"}']
    # the last reply offered no buttons: a number is now just text
    zapp.post(event(text="2"))
    wait_until(lambda: len(zapp.zalo.messages) == 3)
    assert zapp.rasa.messages_from(USER)[-1] == "2"


def test_follow_gets_the_welcome_message(zapp: ZaloApp) -> None:
    zapp.start()
    body = event("follow")
    follower = body["follower"]["id"]
    assert zapp.post(body).status_code == 200
    wait_until(lambda: zapp.zalo.messages)
    wait_until(zapp.settled)
    assert zapp.zalo.texts_to(follower) == [WELCOME_TEXT]
    assert zapp.rasa.received == []


@pytest.mark.parametrize("name", ["user_send_sticker", "user_send_image"])
def test_non_text_messages_get_a_polite_text(zapp: ZaloApp, name: str) -> None:
    zapp.start()
    assert zapp.post(event(name)).status_code == 200
    wait_until(lambda: zapp.zalo.messages)
    wait_until(zapp.settled)
    assert zapp.zalo.texts_to(USER) == [NON_TEXT_REPLY]
    assert NON_TEXT_REPLY.startswith("Hiện tôi chỉ đọc được tin nhắn chữ")
    assert zapp.rasa.received == []


@pytest.mark.parametrize("name", ["unfollow", "user_seen_message"])
def test_unfollow_and_seen_are_acknowledged_and_ignored(zapp: ZaloApp, name: str) -> None:
    zapp.start()
    response = zapp.post(event(name))
    assert response.status_code == 200 and response.json() == {"status": "ignored"}
    assert zapp.inbox() == [] and zapp.zalo.messages == [] and zapp.rasa.received == []


def test_webhook_answers_at_once_while_rasa_is_slow(zapp: ZaloApp) -> None:
    zapp.rasa.gate.clear()  # Rasa holds every answer until released
    zapp.start()
    zapp.post(event(text="khởi động"))  # warm-up (first request work)
    wait_until(lambda: zapp.rasa.received, what="Rasa to receive the first message")
    started = time.monotonic()
    response = zapp.post(event(text="câu hỏi khi Rasa chậm", user="1234567890123456789"))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 2.0, f"webhook took {elapsed:.2f}s"  # sanity bound: the ack does not wait for Rasa
    assert zapp.zalo.messages == []
    zapp.rasa.gate.set()
    wait_until(lambda: len(zapp.zalo.messages) == 2)
    assert zapp.zalo.texts_to("1234567890123456789") == ["Trả lời: câu hỏi khi Rasa chậm"]


def test_messages_of_one_user_in_order_other_users_concurrently(zapp: ZaloApp) -> None:
    zapp.rasa.gate.clear()
    zapp.start(zalo_worker_concurrency=4)
    for i in range(1, 4):
        zapp.post(event(text=f"tin {i}"))
    # one user: only the first message reaches Rasa while it is held ...
    wait_until(lambda: zapp.rasa.messages_from(USER) == ["tin 1"])
    other = "2000000000000000001"
    zapp.post(event(text="người khác", user=other))
    # ... while another user's conversation is handled concurrently
    wait_until(lambda: zapp.rasa.messages_from(other) == ["người khác"], what="the other user in parallel")
    assert zapp.rasa.messages_from(USER) == ["tin 1"]
    zapp.rasa.gate.set()
    wait_until(lambda: len(zapp.zalo.texts_to(USER)) == 3)
    wait_until(zapp.settled)
    assert zapp.rasa.messages_from(USER) == ["tin 1", "tin 2", "tin 3"]
    assert zapp.zalo.texts_to(USER) == ["Trả lời: tin 1", "Trả lời: tin 2", "Trả lời: tin 3"]


def test_item_left_in_progress_by_a_crash_is_taken_again_at_start_up(zapp: ZaloApp) -> None:
    zapp.rasa.down = True
    zapp.start()
    zapp.post(event(text="trước sự cố"))
    wait_until(lambda: zapp.rasa.refused >= 1)
    zapp.stop()
    with zapp.db.session() as session:  # as if the process died while handling it
        session.execute(update(ZaloInbox).values(status="processing", claim_token="dead-worker"))
        session.commit()
    zapp.rasa.down = False
    zapp.start()
    wait_until(zapp.settled, what="the orphaned item answered")
    assert zapp.zalo.texts_to(USER) == ["Trả lời: trước sự cố"]


def test_long_reply_is_split_below_2000_characters(zapp: ZaloApp) -> None:
    long_text = " ".join(["Điều 7 Luật Trợ giúp pháp lý quy định người được trợ giúp pháp lý."] * 60)
    zapp.rasa.reply = lambda body: [{"text": long_text}]
    zapp.start()
    zapp.post(event(text="điều 7"))
    wait_until(zapp.settled)
    parts = zapp.zalo.texts_to(USER)
    assert len(parts) >= 2 and all(len(p) <= 2000 for p in parts)
    assert " ".join(parts) == long_text


def test_not_configured_answers_503_and_no_worker(zapp: ZaloApp) -> None:
    client = zapp.start(zalo_oa_secret_key=None)
    response = zapp.post(event())
    assert response.status_code == 503
    assert "Kênh Zalo chưa được cấu hình" in response.json()["detail"]
    assert client.app.state.zalo_worker is None  # type: ignore[attr-defined]
    assert zapp.inbox() == []


def test_citizen_text_never_logged(zapp: ZaloApp, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret_text = "Nguyễn Văn An 0912345678 bị nợ lương"
    zapp.rasa.down = True
    zapp.start()
    zapp.post(event(text=secret_text))
    wait_until(lambda: zapp.rasa.refused >= 1)
    zapp.rasa.down = False
    wait_until(zapp.settled)
    zapp.post(event(text="x"), headers={SIGNATURE_HEADER: "mac=00"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Zalo" in logged  # the channel does log ...
    assert secret_text not in logged and "0912345678" not in logged and USER not in logged  # ... but not this


def test_two_api_processes_on_postgresql_answer_each_message_once_and_in_order(
    tmp_path, fake_zalo: FakeZaloApi, fake_rasa: FakeRasa, pg_url: str | None
) -> None:
    """Two apps (each with its own worker and event loop) share one PostgreSQL database."""
    if pg_url is None:
        pytest.skip("PostgreSQL unreachable")
    first = ZaloApp(tmp_path / "a", fake_zalo, fake_rasa, db_url=pg_url)
    second = ZaloApp(tmp_path / "b", fake_zalo, fake_rasa, db_url=pg_url)
    with first.db.session() as session:
        for model in (ZaloInbox, ZaloOutbox, ZaloUser, ZaloToken):
            session.execute(delete(model))
        session.commit()
    fake_rasa.delay = 0.01
    try:
        first.start(zalo_worker_concurrency=3)
        second.start(zalo_worker_concurrency=3)
        users = [str(3 * 10**18 + n) for n in range(6)]
        for i in range(4):
            for n, user in enumerate(users):
                app = first if (i + n) % 2 else second
                assert app.post(event(text=f"{n}-{i}", user=user)).json() == {"status": "queued"}
        duplicate = event(text="trùng", user=users[0])
        assert first.post(duplicate).json() == {"status": "queued"}
        assert second.post(duplicate).json() == {"status": "duplicate"}
        wait_until(lambda: len(fake_zalo.messages) == 25, what="25 replies")
        wait_until(first.settled)
        for n, user in enumerate(users):
            expected = [f"{n}-{i}" for i in range(4)] + (["trùng"] if n == 0 else [])
            assert fake_rasa.messages_from(user) == expected
            assert fake_zalo.texts_to(user) == [f"Trả lời: {text}" for text in expected]
    finally:
        first.close()
        second.close()
