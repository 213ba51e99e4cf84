"""The pure redaction and retention rules of bot/conversation_privacy.py, on events shaped as Rasa
stores them (tests/bot/intake_events.py)."""

from __future__ import annotations

import json

import pytest

from bot.conversation_privacy import (
    PLACEHOLDER,
    Retention,
    Throttle,
    closed_intakes,
    redact,
    redactions,
    retained_events,
    touches_intake_boundary,
)
from tests.bot import intake_events as ev


def leaked(events: list[dict]) -> list[str]:
    dumped = json.dumps(events, ensure_ascii=False)
    return [secret for secret in ev.SECRETS if secret in dumped]


def intents(events: list[dict]) -> list[str | None]:
    return [e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"]


@pytest.mark.parametrize("ending", [ev.submitted, ev.cancelled], ids=["submitted", "cancelled"])
def test_a_closed_intake_keeps_nothing_typed_for_it(ending):
    events = ev.intake_until_confirmation() + ending()
    assert leaked(events)  # the raw conversation holds them all
    clean = redact(events)
    assert leaked(clean) == []
    # the dialogue is intact: same events in the same order, same intents and actions
    assert [e["event"] for e in clean] == [e["event"] for e in events]
    assert intents(clean) == intents(events)
    assert [e.get("name") for e in clean] == [e.get("name") for e in events]
    assert PLACEHOLDER in {e.get("text") for e in clean if e["event"] == "user"}
    assert redactions(clean) == {}  # nothing left: a second pass changes nothing


def test_a_refused_consent_keeps_nothing_typed():
    events = ev.refused_consent()
    assert leaked(events)
    assert leaked(redact(events)) == []


def test_an_open_or_failed_intake_is_left_alone():
    open_intake = ev.intake_until_confirmation()
    assert redactions(open_intake) == {}
    failed = open_intake + ev.submit_failed()  # "Gửi lại" needs the answers
    assert closed_intakes(failed) == [] and redactions(failed) == {}
    retried = failed + ev.retried()  # the retry went through: now the intake is over
    assert leaked(redact(retried)) == []


def test_the_case_code_and_what_came_before_stay():
    before = [ev.action("action_listen"), ev.user("ly hon thi nop don o dau", "ask_law"),
              ev.action("action_answer_question"), ev.bot("Bạn nộp đơn tại Tòa án nhân dân cấp khu vực.")]
    events = before + ev.intake_until_confirmation() + ev.submitted()
    clean = redact(events)
    assert clean[:len(before)] == before
    assert any(ev.CODE in (e.get("text") or "") for e in clean if e["event"] == "bot")
    assert [e["value"] for e in clean if e["event"] == "slot" and e["name"] == "case_code"] == [ev.CODE]


def test_the_phone_or_name_typed_outside_the_intake_is_redacted_too():
    before = [ev.action("action_listen"),
              ev.user("so cua toi la 0912 345 678, ten Nguyễn Văn Bình", "inform"),
              ev.action("action_fallback"), ev.bot("Xin lỗi, tôi chưa hiểu")]
    after = [ev.user("cam on, Nguyen Van Binh day", "thank"), ev.action("utter_thank"), ev.bot("Không có gì")]
    clean = redact(before + ev.intake_until_confirmation() + ev.submitted() + after)
    assert clean[1]["text"] == PLACEHOLDER and clean[1]["parse_data"]["text"] == PLACEHOLDER
    assert clean[-3]["text"] == PLACEHOLDER
    assert clean[-1]["text"] == "Không có gì"


def test_entities_of_redacted_messages_go():
    events = ev.intake_until_confirmation() + ev.submitted()
    events[1]["parse_data"]["entities"] = [{"entity": "answer", "value": ev.NAME, "start": 0, "end": 3}]
    assert redact(events)[1]["parse_data"]["entities"] == []


def test_a_second_request_in_the_same_conversation_keeps_its_answers_until_it_closes():
    first = ev.intake_until_confirmation("n1") + ev.submitted()
    second = ev.intake_until_confirmation("n2")  # the same person, typing the same name again
    events = redact(first + second)
    tail = events[len(first):]
    slots = {e["name"]: e["value"] for e in tail if e["event"] == "slot" and e["value"] is not None}
    # the open intake's slot values are untouched: the form and the next submit read them
    assert slots["intake_full_name"] == ev.NAME and slots["intake_phone"] == ev.PHONE
    assert slots["intake_description"] == ev.DESCRIPTION
    assert leaked(redact(events + ev.submitted())) == []


def test_an_intake_started_again_closes_the_abandoned_one():
    abandoned = ev.intake_until_confirmation("n1")
    again = [ev.user("toi muon gui yeu cau tro giup phap ly", "request_legal_aid"),
             ev.action("utter_request_legal_aid"), ev.action("action_intake_start"), *ev.reset(),
             ev.slot("intake_nonce", "n2")]
    start = len(abandoned) + 2  # the new action_intake_start
    assert closed_intakes(abandoned + again) == [(4, start - 1)]
    assert leaked(redact(abandoned + again)) == []


def test_slot_state_after_redaction_is_the_reset_state():
    rasa = pytest.importorskip("rasa.shared.core.trackers")
    from rasa.shared.core.domain import Domain

    domain = Domain.from_yaml("slots:\n" + "".join(
        f"  {name}:\n    type: any\n    mappings: []\n" for name in (*ev.INTAKE_SLOTS, "intake_nonce",
                                                                     "case_code", "requested_slot")))
    tracker = rasa.DialogueStateTracker.from_dict("web:x", redact(ev.intake_until_confirmation()
                                                                  + ev.submitted()), domain.slots)
    assert tracker.get_slot("case_code") == ev.CODE
    assert all(tracker.get_slot(name) is None for name in ev.INTAKE_SLOTS)
    assert tracker.active_loop_name is None


def test_only_saves_with_an_intake_action_need_a_redaction_pass():
    assert touches_intake_boundary(ev.submitted()) and touches_intake_boundary(ev.cancelled())
    chat = [ev.user("xin chao", "greet"), ev.action("utter_greet"), ev.bot("Chào")]
    assert not touches_intake_boundary(chat)


# --- retention --------------------------------------------------------------------------------

DAY = 86400.0
NOW = 1_900_000_000.0


def stamped(event: dict, when: float) -> dict:
    return {**event, "timestamp": when}


def test_retention_defaults_and_environment():
    assert Retention.from_env({}).days == 30 and Retention.from_env({}).check_seconds == 3600
    custom = Retention.from_env({"CONVERSATION_RETENTION_DAYS": "7",
                                 "CONVERSATION_RETENTION_CHECK_SECONDS": "60"})
    assert custom.days == 7 and custom.check_seconds == 60
    assert custom.cutoff(NOW) == NOW - 7 * DAY
    for bad in ("0", "-1", "abc", "nan"):
        with pytest.raises(ValueError, match="CONVERSATION_RETENTION_DAYS"):
            Retention.from_env({"CONVERSATION_RETENTION_DAYS": bad})


def test_a_conversation_silent_for_longer_than_the_retention_goes():
    cutoff = Retention(days=30).cutoff(NOW)
    old = [stamped(ev.user("xin chao", "greet"), NOW - 31 * DAY), stamped(ev.bot("Chào"), NOW - 31 * DAY)]
    assert retained_events(old, cutoff) is None
    recent = [stamped(ev.user("xin chao", "greet"), NOW - 29 * DAY)]
    assert retained_events(recent, cutoff) == recent


def test_old_sessions_of_a_conversation_in_use_go():
    cutoff = Retention(days=30).cutoff(NOW)
    old_session = [stamped({"event": "session_started"}, NOW - 40 * DAY),
                   stamped(ev.user(ev.NAME_TYPED), NOW - 40 * DAY)]
    current = [stamped({"event": "session_started"}, NOW - DAY),
               stamped(ev.user("xin chao", "greet"), NOW - DAY)]
    assert retained_events(old_session + current, cutoff) == current
    # a current session that began before the cutoff is kept whole (the dialogue needs it)
    long_session = [stamped({"event": "session_started"}, NOW - 31 * DAY),
                    stamped(ev.user("a"), NOW - 31 * DAY), stamped(ev.user("b"), NOW)]
    assert retained_events(long_session, cutoff) == long_session


def test_throttle():
    now = [0.0]
    throttle = Throttle(60, clock=lambda: now[0])
    assert throttle.due() and not throttle.due()
    now[0] = 59
    assert not throttle.due()
    now[0] = 61
    assert throttle.due()
