"""Mediation guidance against a fake api (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json

import httpx
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.api_client import LegalAidApiClient
from actions.mediation_actions import ActionMediationGuidance


def _run(handler, text: str):
    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(handler))
    tracker = Tracker(
        sender_id="m1", slots={}, latest_message={"text": text, "intent": {"name": "ask_mediation"}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionMediationGuidance(client).run(dispatcher, tracker, {}))
    return dispatcher.messages, events


CARD = {"text": "Hòa giải ở cơ sở là việc hòa giải viên ... (Điều 2)", "confident": True}


def test_payload_asks_the_generic_question_and_summarises():
    asked = []

    def handler(request):
        assert request.method == "POST" and not request.url.query  # nothing typed in a URL
        asked.append(json.loads(request.content)["q"])
        return httpx.Response(200, json=CARD)

    messages, events = _run(handler, "/ask_mediation")
    assert asked == ["Hòa giải ở cơ sở là gì?"]
    assert messages[0]["text"] == CARD["text"]
    summary = messages[-1]
    assert "tự nguyện" in summary["text"] and "không quy định các bên phải nộp phí" in summary["text"]
    assert "Điều 16" in summary["text"]
    assert "/request_legal_aid" in [b["payload"] for b in summary["buttons"]]
    assert events == []


def test_land_boundary_dispute_is_tailored():
    messages, _ = _run(lambda r: httpx.Response(200, json=CARD), "tranh chap ranh gioi dat voi hang xom")
    assert messages[1]["text"].startswith("Tranh chấp đất, ranh giới với hàng xóm")


def test_assault_is_not_mediated():
    text = "bi hang xom danh gay thuong tich co hoa giai dc ko"
    messages, _ = _run(lambda r: httpx.Response(200, json=CARD), text)
    assert "không hòa giải ở cơ sở" in messages[1]["text"] and "Điều 3" in messages[1]["text"]


def test_api_down_still_gives_the_summary():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    messages, _ = _run(handler, "hoa giai o co so la gi")
    assert len(messages) == 1 and messages[0]["text"].startswith("Tóm tắt")
