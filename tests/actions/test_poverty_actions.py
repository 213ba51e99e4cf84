"""Poverty check actions: parsing of every message, only missing values asked, injectable date."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.handoff_actions import ActionHandleInform
from actions.poverty_actions import (
    ActionAskPovertyAnswer,
    ActionPovertyResult,
    ValidatePovertyForm,
    parse_values,
)


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(common, "today", lambda: date(2026, 11, 24))


def tracker(text: str, slots: dict | None = None, entities: list | None = None) -> Tracker:
    return Tracker(
        sender_id="p1", slots=slots or {},
        latest_message={"text": text, "intent": {"name": "inform"}, "entities": entities or []},
        events=[{"event": "user", "text": text}], paused=False, followup_action=None,
        active_loop={"name": "poverty_form"}, latest_action_name="action_listen",
    )


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def validate(text, slots=None, entities=None):
    t = tracker(text, slots, entities)
    return ValidatePovertyForm().validate_poverty_answer(text, CollectingDispatcher(), t, {})


SENTENCE = "nhà 4 người ở nông thôn thu nhập 5 triệu một tháng"


def test_one_sentence_answers_all_three():
    assert validate(SENTENCE) == {
        "poverty_size": 4, "poverty_income": 5_000_000, "poverty_area": "rural", "poverty_answer": "done",
    }


@pytest.mark.parametrize(
    ("text", "amount"),
    [("5 triệu", 5_000_000), ("5tr", 5_000_000), ("5 củ", 5_000_000), ("1.500.000đ", 1_500_000),
     ("1,5 triệu", 1_500_000), ("2 triệu rưỡi", 2_500_000), ("800 nghìn", 800_000), ("800k", 800_000)],
)
def test_amounts(text, amount):
    assert parse_values(text, "poverty_income", None)["poverty_income"] == amount


def test_only_missing_values_are_asked():
    result = validate("nha co 5 nguoi")
    assert result == {"poverty_size": 5, "poverty_answer": None}
    messages, events = run(ActionAskPovertyAnswer(), tracker("nha co 5 nguoi", {"poverty_size": 5}))
    assert messages[0]["text"].startswith("Tổng thu nhập của cả nhà mỗi tháng")
    assert slots_of(events) == {"poverty_asked": "poverty_income"}
    messages, _ = run(ActionAskPovertyAnswer(), tracker("5tr", {"poverty_size": 5, "poverty_income": 5e6}))
    assert messages[0]["text"] == "Nhà bạn ở nông thôn hay thành thị?"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/inform{"answer":"area=rural"}', '/inform{"answer":"area=urban"}',
    ]


def test_bare_number_answers_the_size_question_and_buttons_the_area():
    assert validate("4", {"poverty_asked": "poverty_size"})["poverty_size"] == 4
    entities = [{"entity": "answer", "value": "area=urban"}]
    done = validate('/inform{"answer":"area=urban"}', {"poverty_size": 4, "poverty_income": 5e6}, entities)
    assert done == {"poverty_area": "urban", "poverty_answer": "done"}


def test_result_for_the_issue_sentence():
    slots = {"poverty_size": 4, "poverty_income": 5_000_000, "poverty_area": "rural"}
    messages, events = run(ActionPovertyResult(), tracker(SENTENCE, slots))
    text = messages[0]["text"]
    assert "1.250.000 đồng/người/tháng" in text
    assert "chuẩn nghèo ở nông thôn là 1.500.000 đồng/người/tháng" in text
    assert "đa chiều" in text and "Ủy ban nhân dân cấp xã" in text and "rà soát hằng năm" in text
    assert messages[1]["buttons"][0]["payload"] == "/ask_legal_aid_eligibility"
    assert slots_of(events)["poverty_answer"] is None


def test_the_date_of_the_standard_is_injectable(monkeypatch):
    monkeypatch.setattr(common, "today", lambda: date(2027, 3, 1))
    slots = {"poverty_size": 4, "poverty_income": 5_000_000, "poverty_area": "rural"}
    later, _ = run(ActionPovertyResult(), tracker(SENTENCE, slots))
    assert "1.500.000 đồng/người/tháng" not in later[0]["text"]


def test_env_date_override(monkeypatch):
    monkeypatch.undo()
    monkeypatch.setenv("POVERTY_CHECK_DATE", "2026-01-15")
    assert common.today() == date(2026, 1, 15)


def test_correction_after_the_result_recomputes():
    slots = {"poverty_size": 4, "poverty_income": 5_000_000, "poverty_area": "rural"}
    messages, events = run(ActionHandleInform(), tracker("không phải, tôi ở thành phố", slots))
    assert messages[0]["text"].startswith("Vâng, tôi tính lại")
    assert "thành thị là 2.000.000 đồng/người/tháng" in messages[1]["text"]
    assert slots_of(events)["poverty_area"] == "urban"


def test_sentence_outside_a_form_is_computed_directly():
    messages, events = run(ActionHandleInform(), tracker(SENTENCE, {}))
    assert "1.250.000 đồng/người/tháng" in messages[0]["text"]
    assert slots_of(events)["poverty_size"] == 4
