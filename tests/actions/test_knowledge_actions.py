"""Knowledge answers through `POST /api/v1/understand` (fake api, httpx.MockTransport), via Action.run."""

from __future__ import annotations

import asyncio
import json

import httpx
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.api_client import LegalAidApiClient
from actions.knowledge_actions import (
    REQUEST_AND_STAFF,
    ActionAnswerFromKnowledge,
    ActionAnswerQuestion,
    ActionShowMore,
)

STORY = (
    "Chồng tôi là con liệt sĩ, tuần trước bị công an bắt, đang bị tạm giam. Nhà tôi khó khăn lắm. "
    "Vậy thì chồng tôi có được trợ giúp pháp lý không?"
)


def _tracker(text: str, slots: dict | None = None, intent: str = "nlu_fallback") -> Tracker:
    return Tracker(
        sender_id="t1",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )


def _run(handler, text: str, action=ActionAnswerQuestion, slots=None) -> tuple[CollectingDispatcher, list]:
    dispatcher = CollectingDispatcher()
    if handler is None:  # an action that calls nothing
        return dispatcher, asyncio.run(action().run(dispatcher, _tracker(text, slots), {}))
    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(handler), token="svc")
    events = asyncio.run(action(client).run(dispatcher, _tracker(text, slots), {}))
    return dispatcher, events


def _understood(kind: str, *messages: dict, more: str | None = None, confident: bool = True):
    body = {"kind": kind, "confident": confident, "messages": list(messages), "more": more}
    return lambda request: httpx.Response(200, json=body)


def test_a_whole_story_goes_to_the_understanding_in_the_body_with_the_service_token():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _understood("eligibility", {"text": "Có. Chồng chị thuộc diện …", "buttons": []})(request)

    dispatcher, _ = _run(handler, STORY)
    request = seen[0]
    assert request.method == "POST" and request.url.path == "/api/v1/understand" and not request.url.query
    assert json.loads(request.content) == {"text": STORY}  # the whole story, not 500 characters of it
    assert request.headers["Authorization"] == "Bearer svc"
    assert dispatcher.messages[0]["text"].startswith("Có.")


def test_short_first_message_with_xem_them_then_the_details_once():
    handler = _understood("answer", {"text": "Có, miễn phí. Căn cứ: khoản 2 Điều 7.", "buttons": [
        {"title": "Gửi yêu cầu trợ giúp pháp lý", "payload": "/request_legal_aid"}]}, more="Chi tiết: …")
    dispatcher, events = _run(handler, "nha toi ho ngheo co dc tgpl ko")
    payloads = [b["payload"] for b in dispatcher.messages[-1]["buttons"]]
    assert payloads[0] == "/show_more" and "/request_legal_aid" in payloads
    assert {"event": "slot", "timestamp": None, "name": "answer_more", "value": "Chi tiết: …"} in events
    shown, after = _run(None, "/show_more", ActionShowMore, slots={"answer_more": "Chi tiết: …"})
    assert shown.messages[0]["text"] == "Chi tiết: …"
    assert {"event": "slot", "timestamp": None, "name": "answer_more", "value": None} in after
    again, _ = _run(None, "/show_more", ActionShowMore, slots={"answer_more": None})
    assert again.messages[0]["text"].startswith("Tôi đã nói hết")


def test_several_sub_questions_are_several_messages():
    parts = ({"text": "1. Nộp đơn ở …"}, {"text": "2. Giấy tờ: …"}, {"text": "3. Thời hạn: …"})
    handler = _understood("answer", *parts)
    dispatcher, _ = _run(handler, "nop don o dau, can giay to gi va bao lau thi co quyet dinh?")
    assert [m["text"][:2] for m in dispatcher.messages] == ["1.", "2.", "3."]


def test_disambiguation_buttons_are_kept_and_no_dead_end():
    topics = [{"title": "Hồ sơ yêu cầu", "payload": "Hồ sơ yêu cầu trợ giúp pháp lý gồm gì?"},
              {"title": "Gửi yêu cầu trợ giúp pháp lý", "payload": "/request_legal_aid"}]
    question = {"text": "Có phải bạn muốn hỏi về: …", "buttons": topics}
    handler = _understood("clarify", question, confident=False)
    dispatcher, _ = _run(handler, "giay to the nao")
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [t["payload"] for t in topics]
    assert len(dispatcher.messages) == 1


def test_not_sure_without_buttons_offers_request_and_staff():
    dispatcher, _ = _run(_understood("not_sure", {"text": "Tôi chưa chắc."}, confident=False), "abc xyz")
    assert dispatcher.messages[0]["text"] == "Tôi chưa chắc."
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == REQUEST_AND_STAFF


def test_no_legal_content_is_out_of_scope():
    handler = _understood("no_legal_content", {"text": "x"}, confident=False)
    dispatcher, _ = _run(handler, "toi nay co da bong ko")
    assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope"]


def test_the_knowledge_intents_use_the_same_path():
    handler = _understood("answer", {"text": "Có."})
    dispatcher, _ = _run(handler, "ho so tgpl gom gi", ActionAnswerFromKnowledge)
    assert dispatcher.messages[0]["text"] == "Có."


def test_api_down_apologises_in_vietnamese():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    dispatcher, _ = _run(handler, "hoa giai la gi")
    assert dispatcher.messages[0]["text"].startswith("Xin lỗi")
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


def test_an_api_without_the_understanding_falls_back_to_the_plain_answer():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/understand":
            return httpx.Response(404, json={"detail": "Not Found"})
        return httpx.Response(200, json={"text": "Có. Căn cứ: Điều 7 ...", "confident": True})

    dispatcher, _ = _run(handler, "nha toi ho ngheo co dc tgpl ko")
    assert [m["text"] for m in dispatcher.messages] == ["Có. Căn cứ: Điều 7 ..."]
