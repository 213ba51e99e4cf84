"""action_answer_from_knowledge against a fake api (httpx.MockTransport), through Action.run."""

from __future__ import annotations

import asyncio
import json

import httpx
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.api_client import LegalAidApiClient
from actions.knowledge_actions import ActionAnswerFromKnowledge


def _tracker(text: str) -> Tracker:
    return Tracker(
        sender_id="t1",
        slots={},
        latest_message={"text": text, "intent": {"name": "ask_legal_aid_eligibility"}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )


def _run(handler, text: str) -> tuple[CollectingDispatcher, list]:
    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(handler))
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerFromKnowledge(client).run(dispatcher, _tracker(text), {}))
    return dispatcher, events


def test_confident_answer_is_sent_as_is():
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST" and not request.url.query  # nothing typed in a URL
        asked.append(json.loads(request.content)["q"])
        return httpx.Response(200, json={"text": "Có. Căn cứ: Điều 7 ...", "confident": True})

    dispatcher, events = _run(handler, "nha toi ho ngheo co dc tgpl ko")
    assert asked == ["nha toi ho ngheo co dc tgpl ko"]
    assert [m["text"] for m in dispatcher.messages] == ["Có. Căn cứ: Điều 7 ..."]
    assert events == []


def test_unsure_answer_offers_request_and_staff():
    unsure = {"text": "Tôi chưa chắc.", "confident": False}
    dispatcher, _ = _run(lambda r: httpx.Response(200, json=unsure), "abc")
    assert dispatcher.messages[0]["text"] == "Tôi chưa chắc."
    payloads = [b["payload"] for b in dispatcher.messages[1]["buttons"]]
    assert payloads == ["/request_legal_aid", "/request_human"]


def test_api_down_apologises_in_vietnamese():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    dispatcher, _ = _run(handler, "hoa giai la gi")
    assert dispatcher.messages[0]["text"].startswith("Xin lỗi")
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


def test_api_server_error_apologises():
    dispatcher, _ = _run(lambda r: httpx.Response(503, json={"detail": "x"}), "hoa giai la gi")
    assert dispatcher.messages[0]["text"].startswith("Xin lỗi")
