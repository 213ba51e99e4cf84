"""Hand-off (office hours, injectable clock), repeated fallback, contact by province."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.handoff_actions import ActionContact, ActionFallback, ActionHandleInform, ActionHandoff
from knowledge.contacts import hotline_sentence

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def tracker(text: str = "", intents: tuple[str, ...] = (), slots: dict | None = None) -> Tracker:
    events = [{"event": "user", "text": "x", "parse_data": {"intent": {"name": i}}} for i in intents]
    return Tracker(
        sender_id="h1", slots=slots or {}, latest_message={"text": text, "entities": []},
        events=events, paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


@pytest.fixture
def clock(monkeypatch):
    def set_to(*args):
        monkeypatch.setattr(common, "now", lambda: datetime(*args, tzinfo=VN))
    return set_to


def test_in_office_hours_pauses_for_staff(clock):
    clock(2026, 11, 24, 9, 0)  # Tuesday morning
    messages, events = run(ActionHandoff(), tracker("gap can bo"))
    assert "Cán bộ sẽ đọc lại cuộc trò chuyện" in messages[0]["text"]
    assert {"event": "pause", "timestamp": None} in events


@pytest.mark.parametrize("moment", [(2026, 11, 24, 12, 0), (2026, 11, 24, 18, 30), (2026, 11, 29, 9, 0)])
def test_outside_office_hours_offers_a_request(clock, moment):
    clock(*moment)  # lunch break, evening, Sunday
    messages, events = run(ActionHandoff(), tracker("noi chuyen voi nguoi that"))
    assert "ngoài giờ làm việc" in messages[0]["text"]
    assert messages[0]["buttons"] == [common.REQUEST_BUTTON]
    assert all(e.get("event") != "pause" for e in events)


def test_office_hours_are_configurable(clock, monkeypatch):
    monkeypatch.setenv("OFFICE_HOURS", "Sat 08:00-12:00")
    clock(2026, 11, 28, 9, 0)  # Saturday
    assert common.in_office_hours()
    clock(2026, 11, 24, 9, 0)
    assert not common.in_office_hours()
    assert common.office_hours_text() == "Thứ Bảy, 08:00–12:00"


def _after(action: str, slots: dict | None = None) -> Tracker:
    t = tracker("zzxq ppp", slots=slots)
    t.events = [
        {"event": "user", "text": "asdkjh"}, {"event": "action", "name": action},
        {"event": "action", "name": "action_listen"}, {"event": "user", "text": "zzxq ppp"},
    ]
    return t


def test_first_fallback_asks_to_rephrase_second_offers_a_person():
    messages, events = run(ActionFallback(), _after("utter_greet"))
    assert messages[0]["response"] == "utter_default"
    assert events == [{"event": "slot", "timestamp": None, "name": "not_understood", "value": True}]
    messages, _ = run(ActionFallback(), _after("action_fallback"))
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/request_human", "/request_legal_aid"]


def test_gibberish_read_as_inform_counts_as_not_understood():
    messages, _ = run(ActionHandleInform(), _after("action_handle_inform", {"not_understood": True}))
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/request_human", "/request_legal_aid"]
    messages, _ = run(ActionFallback(), _after("action_handle_inform", {"not_understood": True}))
    assert "buttons" in messages[0] and messages[0]["buttons"][0]["payload"] == "/request_human"
    messages, _ = run(ActionHandleInform(), _after("action_handle_inform", {"not_understood": False}))
    assert messages[0]["response"] == "utter_default"


@pytest.mark.parametrize(
    ("text", "province"),
    [("toi o nghe an", "Nghệ An"), ("sdt trung tam tgpl tp hcm", "Thành phố Hồ Chí Minh"),
     ("nha o binh duong", "Thành phố Hồ Chí Minh"), ("tỉnh Đắk Lắk", "Đắk Lắk"), ("o ha noi", "Hà Nội")],
)
def test_contact_names_the_centre_and_never_invents_numbers(text, province):
    messages, events = run(ActionContact(), tracker(text))
    reply = messages[0]["text"]
    assert "Trung tâm Trợ giúp pháp lý nhà nước" in reply
    assert "chưa được cấu hình" not in reply and "Sở Tư pháp" in reply and "Ủy ban nhân dân xã" in reply
    # no dead end: the national hotline (from knowledge/data), its hours, and a request button
    assert "1800.1233" in reply and "miễn phí" in reply and "thứ Hai đến thứ Sáu" in reply
    assert "/request_legal_aid" in [b["payload"] for b in messages[0]["buttons"]]
    # the only numbers are the hotline's, its hours and the cited circular: none invented for the centre
    rest = reply.replace(hotline_sentence(), "").replace("17a", "").replace("12/2018", "")
    assert not any(ch.isdigit() for ch in rest)
    assert events == [{"event": "slot", "timestamp": None, "name": "province", "value": province}]


def test_contact_without_province_asks_for_it():
    messages, events = run(ActionContact(), tracker("so dien thoai trung tam tgpl"))
    assert "Bạn ở tỉnh, thành phố nào?" in messages[0]["text"]
    assert "1800.1233" in messages[0]["text"]
    assert events == []


def test_province_told_after_the_question():
    messages, _ = run(ActionHandleInform(), tracker("toi o gia lai"))
    assert "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Gia Lai" in messages[0]["text"]


def test_centres_file_has_the_34_units_with_empty_unknown_details():
    centres = common.centres()
    assert len(centres) == 34
    assert all(c["name"].startswith("Trung tâm Trợ giúp pháp lý nhà nước ") for c in centres)
    assert all(c[f] == "" for c in centres for f in ("address", "phone", "hotline", "website"))


def test_a_dispute_told_outside_a_form_points_to_mediation():
    messages, _ = run(ActionHandleInform(), tracker("nha ben lan dat nha toi"))
    assert messages[0]["text"].startswith("Tranh chấp đất, ranh giới với hàng xóm")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/ask_mediation", "/ask_legal_aid_eligibility"]


def _understanding_client(kind: str, text: str, seen: list | None = None):
    import httpx

    from actions.clients.api_client import LegalAidApiClient

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request.url.path)
        return httpx.Response(200, json={"kind": kind, "confident": kind == "answer", "more": None,
                                         "messages": [{"text": text, "buttons": []}]})

    return LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(handler))


LONG_STORY = (
    "Chồng tôi là con liệt sĩ. Tuần trước anh ấy bị công an bắt, giờ đang bị tạm giam ở trại. "
    "Tôi không biết nhờ ai, thì chồng tôi có được trợ giúp pháp lý không?"
)


def test_unsure_classifier_still_answers_a_legal_question_never_chua_hieu():
    """Issue 12: the intent classifier decides dialogue acts; a legal question is not 'chưa hiểu'."""
    client = _understanding_client("eligibility", "Có. Chồng chị thuộc diện … theo khoản 5 …")
    messages, events = run(ActionFallback(client), tracker(LONG_STORY))
    assert messages[0]["text"].startswith("Có.")
    assert all(m.get("response") != "utter_default" for m in messages)
    assert {"event": "slot", "timestamp": None, "name": "not_understood", "value": False} in events


def test_unsure_classifier_and_nothing_relevant_asks_to_rephrase():
    client = _understanding_client("not_sure", "Tôi chưa chắc.")
    messages, _ = run(ActionFallback(client), tracker("zzxq ppp"))
    assert messages[0]["response"] == "utter_default"


def test_inform_that_also_asks_gets_the_answer_not_a_thank_you():
    seen: list[str] = []
    client = _understanding_client("answer", "Người thuộc hộ cận nghèo được ngân sách hỗ trợ …", seen)
    question = "Nhà tôi hộ cận nghèo, bảo hiểm y tế được hỗ trợ bao nhiêu?"
    messages, _ = run(ActionHandleInform(client), tracker(question))
    assert seen == ["/api/v1/understand"]
    assert messages[0]["text"].startswith("Người thuộc hộ cận nghèo")
    assert not any("Cảm ơn bạn đã cho biết" in (m.get("text") or "") for m in messages)


def test_plain_inform_does_not_call_the_understanding():
    seen: list[str] = []
    client = _understanding_client("answer", "x", seen)
    messages, _ = run(ActionHandleInform(client), tracker("nha toi ho can ngheo"))
    assert seen == []
    assert "Cảm ơn bạn đã cho biết" in messages[0]["text"]
