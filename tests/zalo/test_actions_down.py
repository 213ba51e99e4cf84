"""Action server down: the Zalo message is held (not swallowed by Rasa), the user gets one apology,
and the conversation (e.g. the intake form) goes on once the action server is back."""

from __future__ import annotations

from api.cases.models import utcnow
from api.zalo.worker import ACTIONS_DOWN_MAX_DELAY_SECONDS, ACTIONS_DOWN_TEXT
from tests.zalo.conftest import USER, ZaloApp, event, wait_until


def _inbox_row(zapp: ZaloApp, index: int = 0):  # type: ignore[no-untyped-def]
    rows = zapp.inbox()
    return rows[index] if len(rows) > index else None


def _retried(zapp: ZaloApp, times: int, index: int = 0) -> bool:
    row = _inbox_row(zapp, index)
    return row is not None and row.attempts >= times


def test_apology_sent_once_message_held_and_answered_when_actions_return(zapp: ZaloApp) -> None:
    zapp.rasa.actions_down = True
    zapp.start()
    assert zapp.post(event(text="0912345678")).status_code == 200
    wait_until(lambda: zapp.zalo.messages, what="the apology")
    wait_until(lambda: _retried(zapp, 4), what="several retries while the action server is down")
    assert zapp.zalo.texts_to(USER) == [ACTIONS_DOWN_TEXT]  # one apology, not one per retry
    assert zapp.rasa.received == []  # the message was never handed to Rasa to be swallowed
    row = _inbox_row(zapp)
    assert row.status in ("pending", "processing") and row.last_error == "action server down"
    assert row.text == "0912345678"  # kept until answered
    zapp.rasa.actions_down = False
    wait_until(zapp.settled, what="the answer once the action server is back")
    assert zapp.rasa.messages_from(USER) == ["0912345678"]
    assert zapp.zalo.texts_to(USER) == [ACTIONS_DOWN_TEXT, "Trả lời: 0912345678"]
    assert {r.inbox_id for r in zapp.outbox()} == {row.id}
    assert _inbox_row(zapp).text is None


def _intake_form(state: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """A tiny intake form: name → phone → province, one question per answer."""
    questions = ["Họ và tên của bạn là gì?", "Số điện thoại của bạn là gì?", "Bạn ở tỉnh/thành nào?"]

    def reply(body: dict) -> list[dict]:
        answers = state.setdefault(body["sender"], [])
        if body["message"] != "gửi yêu cầu":
            answers.append(body["message"])
        if len(answers) < len(questions):
            return [{"text": questions[len(answers)]}]
        return [{"text": "Đã ghi nhận: " + ", ".join(answers)}]

    return reply


def test_intake_form_continues_in_order_after_the_action_server_returns(zapp: ZaloApp) -> None:
    filled: dict[str, list[str]] = {}
    zapp.rasa.reply = _intake_form(filled)
    zapp.start(action_server_check_cache_seconds=0)  # every message checks: none reaches Rasa while down
    zapp.post(event(text="gửi yêu cầu"))
    wait_until(lambda: len(zapp.zalo.messages) == 1)
    zapp.post(event(text="Nguyễn Văn An"))
    wait_until(lambda: len(zapp.zalo.messages) == 2)
    zapp.rasa.actions_down = True
    zapp.post(event(text="0912345678"))
    zapp.post(event(text="Lào Cai"))  # a second message while down: waits behind the first
    wait_until(lambda: len(zapp.zalo.messages) == 3, what="the apology")
    wait_until(lambda: _retried(zapp, 3, index=2), what="retries of the held message")
    assert _inbox_row(zapp, 3).attempts == 0  # never claimed ahead of the earlier message
    assert zapp.rasa.messages_from(USER) == ["gửi yêu cầu", "Nguyễn Văn An"]
    zapp.rasa.actions_down = False
    wait_until(zapp.settled, what="the form finished")
    assert zapp.rasa.messages_from(USER) == ["gửi yêu cầu", "Nguyễn Văn An", "0912345678", "Lào Cai"]
    assert zapp.zalo.texts_to(USER) == [
        "Họ và tên của bạn là gì?",
        "Số điện thoại của bạn là gì?",
        ACTIONS_DOWN_TEXT,
        "Bạn ở tỉnh/thành nào?",
        "Đã ghi nhận: Nguyễn Văn An, 0912345678, Lào Cai",
    ]


def test_empty_reply_because_the_action_server_just_died_is_retried(zapp: ZaloApp) -> None:
    def dies_now(body: dict) -> list[dict]:
        zapp.rasa.actions_down = True  # the action server dies while Rasa runs the action
        return []

    zapp.rasa.reply = dies_now
    zapp.start(action_server_check_cache_seconds=60)  # only the uncached re-check can see it
    zapp.post(event(text="0912345678"))
    wait_until(lambda: zapp.zalo.messages, what="the apology")
    assert zapp.zalo.texts_to(USER) == [ACTIONS_DOWN_TEXT]
    assert _inbox_row(zapp).status in ("pending", "processing")
    zapp.rasa.reply = lambda body: [{"text": f"Trả lời: {body['message']}"}]
    zapp.rasa.actions_down = False
    wait_until(zapp.settled, what="the message sent again and answered")
    assert zapp.rasa.messages_from(USER) == ["0912345678", "0912345678"]
    assert zapp.zalo.texts_to(USER) == [ACTIONS_DOWN_TEXT, "Trả lời: 0912345678"]


def test_empty_reply_with_the_action_server_up_is_done_without_any_text(zapp: ZaloApp) -> None:
    zapp.rasa.reply = lambda body: []
    zapp.start()
    zapp.post(event(text="/stop"))
    wait_until(lambda: zapp.inbox() and zapp.settled(), what="the item done")
    assert zapp.zalo.messages == [] and zapp.outbox() == []
    assert zapp.rasa.messages_from(USER) == ["/stop"]


def test_retry_delay_is_capped_while_the_action_server_is_down(zapp: ZaloApp) -> None:
    zapp.rasa.actions_down = True
    zapp.start(zalo_retry_base_seconds=100, zalo_retry_max_seconds=300)
    zapp.post(event(text="alo"))
    wait_until(lambda: _retried(zapp, 1), what="the first failure recorded")
    wait_until(lambda: zapp.zalo.messages, what="the apology (sent at once)")
    due_in = (_inbox_row(zapp).next_attempt_at - utcnow()).total_seconds()
    assert ACTIONS_DOWN_MAX_DELAY_SECONDS - 5 < due_in <= ACTIONS_DOWN_MAX_DELAY_SECONDS  # not 100 s


def test_follow_and_stickers_need_no_action_server(zapp: ZaloApp) -> None:
    zapp.rasa.actions_down = True
    zapp.start()
    zapp.post(event("follow"))
    zapp.post(event("user_send_sticker"))
    wait_until(lambda: len(zapp.zalo.messages) == 2)
    wait_until(zapp.settled)
    assert ACTIONS_DOWN_TEXT not in [m.text for m in zapp.zalo.messages]
