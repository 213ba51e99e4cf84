"""Answers legal questions through the api's understanding of the whole message.

A message that asks something — a short question, a story with facts and one to three
sub-questions — goes to `POST /api/v1/understand` (knowledge/understand.py): the api finds the
question sentences, the facts of the story, the matching cards and articles, and returns a short
first message (direct answer first), the details behind "Xem thêm", and buttons. The actions here
only send what it returns; they decide nothing legal.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_action import ApiAction
from actions.clients.api_client import ApiUnavailableError, Understanding

log = logging.getLogger(__name__)

MORE_SLOT = "answer_more"
MORE_BUTTON = {"title": "Xem thêm", "payload": "/show_more"}
NEXT_STEP_BUTTONS = [
    {"title": "Gửi yêu cầu trợ giúp pháp lý", "payload": "/request_legal_aid"},
    {"title": "Gặp cán bộ", "payload": "/request_human"},
]
NOT_SURE_FOLLOW_UP = (
    "Bạn có thể gửi yêu cầu để cán bộ trợ giúp pháp lý trả lời, hoặc xin gặp cán bộ."
)
API_DOWN = (
    "Xin lỗi, hiện tôi chưa tra cứu được kho thông tin pháp luật. "
    "Bạn vui lòng thử lại sau ít phút, hoặc xin gặp cán bộ."
)
NO_MORE = (
    "Tôi đã nói hết những gì tôi biết về việc này. Bạn có thể hỏi thêm, hoặc gửi yêu cầu để cán bộ giúp."
)
# Replies that answer something (an eligibility result, an answer, topics to choose from).
ANSWERED_KINDS = frozenset({"answer", "eligibility", "clarify"})
REQUEST_AND_STAFF = [button["payload"] for button in NEXT_STEP_BUTTONS]


def latest_question(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.startswith("/") else text.strip()


def send_understanding(
    dispatcher: CollectingDispatcher, understanding: Understanding
) -> list[dict[str, Any]]:
    """Send the api's messages; a "Xem thêm" button on the last one when details are kept."""
    messages = list(understanding.messages)
    for index, message in enumerate(messages):
        buttons = [dict(b) for b in message.buttons]
        if index == len(messages) - 1 and understanding.more:
            buttons.insert(0, dict(MORE_BUTTON))
        dispatcher.utter_message(text=message.text, buttons=buttons or None)
    if understanding.kind == "not_sure" and not any(m.buttons for m in messages):
        dispatcher.utter_message(text=NOT_SURE_FOLLOW_UP, buttons=NEXT_STEP_BUTTONS)
    return [SlotSet(MORE_SLOT, understanding.more)]


class ActionAnswerQuestion(ApiAction):
    """Any question, through the understanding; out of scope only when it has no legal content."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = latest_question(tracker)
        if not question:
            dispatcher.utter_message(response="utter_default")
            return []
        try:
            understanding = await self.client.understand(question)
        except ApiUnavailableError as error:
            log.warning("Understanding unavailable: %s", error)
            dispatcher.utter_message(text=API_DOWN, buttons=NEXT_STEP_BUTTONS[1:])
            return []
        if understanding.kind == "no_legal_content" or not understanding.messages:
            dispatcher.utter_message(response="utter_out_of_scope")
            return [SlotSet(MORE_SLOT, None)]
        return send_understanding(dispatcher, understanding)


class ActionAnswerFromKnowledge(ActionAnswerQuestion):
    """The knowledge intents (procedure, poverty standard, enforcement, Project 977): the same path."""

    def name(self) -> str:
        return "action_answer_from_knowledge"


class ActionShowMore(Action):
    """"Xem thêm": the details of the last answer, once."""

    def name(self) -> str:
        return "action_show_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        more = tracker.get_slot(MORE_SLOT)
        if not more:
            dispatcher.utter_message(text=NO_MORE, buttons=NEXT_STEP_BUTTONS)
            return []
        dispatcher.utter_message(text=str(more), buttons=NEXT_STEP_BUTTONS)
        return [SlotSet(MORE_SLOT, None)]
