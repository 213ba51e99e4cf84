"""Eligibility screening actions (Action.run with a real tracker, the pure rule engine)."""

from __future__ import annotations

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import collect_facts
from actions.screening_actions import (
    ActionAskEligibilityAnswer,
    ActionEligibilityResult,
    ActionStopForm,
    ValidateEligibilityForm,
    note_for,
)
from knowledge.rules import assess


def _user(turn) -> dict:
    """A user event: free text, or a button answer ("group=disability" / ("group=none", "k7_group"))."""
    if isinstance(turn, str) and "=" not in turn and turn != "unknown":
        return {"event": "user", "text": turn, "parse_data": {"intent": {"name": "inform"}, "entities": []}}
    value, key = (turn, None) if isinstance(turn, str) else turn
    entities = [{"entity": "answer", "value": value}]
    if key:
        entities.append({"entity": "question_key", "value": key})
    payload = {"answer": value, **({"question_key": key} if key else {})}
    return {
        "event": "user", "text": f"/inform{json.dumps(payload)}",
        "parse_data": {"intent": {"name": "inform"}, "entities": entities},
    }


def tracker(*turns, slots: dict | None = None) -> Tracker:
    events = [_user(t) for t in turns]
    latest = events[-1] if events else {"text": "", "parse_data": {}}
    return Tracker(
        sender_id="s1", slots={"requested_slot": "eligibility_answer", **(slots or {})},
        latest_message={"text": latest["text"], **latest.get("parse_data", {})},
        events=events, paused=False, followup_action=None,
        active_loop={"name": "eligibility_form"}, latest_action_name="action_listen",
    )


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def slot(events, name):
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else None


def validate(*turns, asked=()):
    t = tracker(*turns, slots={"eligibility_asked": list(asked)})
    text = t.latest_message["text"]
    return ValidateEligibilityForm().validate_eligibility_answer(text, CollectingDispatcher(), t, {})


def test_done_when_near_poor_without_diacritics_explains_and_asks_the_khoan_7_group():
    t = tracker("toi muon hoi minh co dc tro giup phap ly ko", "ho can ngheo")
    messages, events = run(ActionAskEligibilityAnswer(), t)
    note, question = messages
    assert "hộ cận nghèo chỉ được trợ giúp pháp lý khi là người bị buộc tội (khoản 6 Điều 7)" in note["text"]
    assert "khoản 7 Điều 7" in note["text"] and "?" not in note["text"]
    assert question["text"].endswith("Bạn có thuộc nhóm nào dưới đây không?")
    payloads = [b["payload"] for b in question["buttons"]]
    assert '/inform{"answer":"group=elderly"}' in payloads
    assert '/inform{"answer":"group=accused"}' in payloads
    assert payloads[-1] == '/inform{"answer":"group=none","question_key":"k7_group"}'
    assert slot(events, "eligibility_asked") == ["k7_group"]
    assert slot(events, "eligibility_facts") == {"near_poor_household": True}


def test_first_question_offers_the_group_buttons():
    messages, events = run(ActionAskEligibilityAnswer(), tracker("toi co dc tgpl ko"))
    assert len(messages) == 1
    assert len(messages[0]["buttons"]) == 16
    first = {"title": "Hộ nghèo", "payload": '/inform{"answer":"group=poor_household"}'}
    assert messages[0]["buttons"][0] == first
    assert slot(events, "eligibility_asked") == ["group"]


def test_fact_said_in_free_text_is_not_asked_again():
    t = tracker("tôi là hộ nghèo, có được trợ giúp pháp lý không")
    messages, _ = run(ActionAskEligibilityAnswer(), t)
    note, question = messages
    assert note["text"].startswith("Bạn thuộc diện được trợ giúp pháp lý theo khoản 2 Điều 7")
    assert question["text"].startswith("Việc bạn cần giúp thuộc loại nào")


def test_after_a_digression_the_same_question_is_asked_again():
    t = tracker("toi co dc tgpl ko", "hoa giai o co so la gi", slots={"eligibility_asked": ["group"]})
    t.latest_message["intent"] = {"name": "ask_mediation"}
    messages, events = run(ActionAskEligibilityAnswer(), t)
    assert messages[-1]["text"].startswith("Bạn (hoặc người cần giúp) thuộc nhóm nào")
    assert slot(events, "eligibility_asked") == ["group"]


def test_a_note_is_not_repeated():
    t = tracker("ho can ngheo", slots={"eligibility_note": None})
    first, events = run(ActionAskEligibilityAnswer(), t)
    t2 = tracker("ho can ngheo", slots={"eligibility_note": slot(events, "eligibility_note")})
    second, _ = run(ActionAskEligibilityAnswer(), t2)
    assert len(first) == 2 and len(second) == 1


def test_validation_keeps_asking_until_decided():
    assert validate("toi co dc tgpl ko")["eligibility_answer"] is None
    more = validate("toi co dc tgpl ko", "group=disability", "financial=none", asked=["group", "financial"])
    assert more["eligibility_answer"] is None  # still could be a child, người có công...
    decided = validate(
        "toi co dc tgpl ko", "group=disability", "financial=none", "age_group=18_to_under_60",
        "revolutionary_merit=no", "ethnic_minority=no", "trafficking_victim=no",
        # khoản 6a (from 01/7/2025) needs no financial condition, so it stays open until answered
        asked=["group", "financial", "age", "revolutionary_merit", "ethnic_minority", "trafficking_victim"],
    )
    assert decided["eligibility_answer"] == "done"
    assert decided["eligibility_facts"]["disability"] is True


def test_unknown_answer_does_not_loop():
    result = validate("toi co dc tgpl ko", "unknown", asked=["group"])
    assert result["eligibility_answer"] is None  # moves on to another question, not "group" again
    t = tracker("toi co dc tgpl ko", "unknown", slots={"eligibility_asked": ["group"]})
    messages, _ = run(ActionAskEligibilityAnswer(), t)
    assert not messages[-1]["text"].startswith("Bạn (hoặc người cần giúp) thuộc nhóm nào")


GATES = ["field=dan_su", "concrete_matter_directly_concerning=yes"]
CASES = [
    (["group=revolutionary_merit", *GATES], "eligible", "khoản 1 Điều 7"),
    (["nha toi ho ngheo", *GATES], "eligible", "khoản 2 Điều 7"),
    (["group=child", *GATES], "eligible", "khoản 3 Điều 7"),
    (["group=ethnic_minority_disadvantaged_area", *GATES], "eligible", "khoản 4 Điều 7"),
    (["group=accused", "age_group=16_to_under_18", *GATES], "eligible", "khoản 5 Điều 7"),
    (["ho can ngheo", "group=accused", *GATES], "eligible", "khoản 6 Điều 7"),
    (["group=disability", "group=monthly_social_allowance", *GATES], "eligible", "điểm d khoản 7 Điều 7"),
    # Khoản 6a (from 01/7/2025, amendments.yml) replaced điểm g khoản 7: no financial question.
    (["group=trafficking_victim", *GATES], "eligible", "khoản 6a Điều 7"),
    (["group=poor_household", "field=kinh_doanh_thuong_mai"], "not_eligible", "Điều 27"),
    (["group=poor_household", "concrete_matter_directly_concerning=no"], "not_eligible", "Điều 30"),
    ([("group=none", "group")], "not_eligible", "Điều 7 Luật Trợ giúp pháp lý"),
]
for point, group in [("a", "martyr_relative"), ("b", "agent_orange"), ("c", "elderly"), ("d", "disability"),
                     ("đ", "victim_16_18"), ("e", "domestic_violence_victim"), ("h", "hiv")]:
    with_money = [f"group={group}", "group=near_poor_household", *GATES]
    CASES.append((with_money, "eligible", f"điểm {point} khoản 7"))
    rest = {"elderly": [], "victim_16_18": ["accused=no"]}.get(group, ["age_group=18_to_under_60"])
    no_money = [f"group={group}", "financial=none", *rest, "revolutionary_merit=no", "ethnic_minority=no",
                "trafficking_victim=no"]
    CASES.append((no_money, "not_eligible", "Điều 7"))


@pytest.mark.parametrize(("turns", "status", "cited"), CASES)
def test_result_for_every_route(turns, status, cited):
    messages, events = run(ActionEligibilityResult(), tracker("toi co dc tgpl ko", *turns))
    assert slot(events, "eligibility_status") == status
    assert cited in messages[0]["text"]
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    if status == "eligible":
        assert "Trung tâm Trợ giúp pháp lý nhà nước" in messages[1]["text"]
        assert "/request_legal_aid" in payloads
    else:
        assert messages[0]["text"].startswith(("Rất tiếc", "Yêu cầu trợ giúp pháp lý chỉ được thụ lý"))
        assert "/ask_mediation" in payloads
    assert slot(events, "eligibility_answer") is None and slot(events, "eligibility_asked") == []


def test_stop_says_kindly_and_resets():
    messages, events = run(ActionStopForm(), tracker("thoi khong hoi nua"))
    assert messages[0]["text"].startswith("Vâng, tôi dừng lại")
    assert slot(events, "requested_slot") is None


def test_result_does_not_repeat_the_explanation_just_given():
    turns = ("nha toi ho ngheo", *GATES)
    note = note_for(assess(collect_facts(tracker(*turns))))
    messages, _ = run(ActionEligibilityResult(), tracker(*turns, slots={"eligibility_note": note}))
    assert messages[0]["text"].startswith("Kết luận: bạn thuộc diện được trợ giúp pháp lý miễn phí (khoản 2")
    assert messages[1]["text"].startswith("Việc tiếp theo")


def test_an_answer_that_says_nothing_gets_the_same_question_again():
    t = tracker("toi co dc tgpl ko", "asdkjh qwe", slots={"eligibility_asked": ["group"]})
    messages, events = run(ActionAskEligibilityAnswer(), t)
    assert messages[0]["text"].startswith("Xin lỗi, tôi chưa hiểu")
    assert messages[0]["buttons"][0]["payload"] == "/request_human"
    assert messages[-1]["text"].startswith("Bạn (hoặc người cần giúp) thuộc nhóm nào")
    assert slot(events, "eligibility_asked") == ["group"]
