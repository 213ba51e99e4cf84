"""Answers legal questions from the knowledge index through the api."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_action import ApiAction
from actions.clients.api_client import ApiUnavailableError

log = logging.getLogger(__name__)

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


class ActionAnswerFromKnowledge(ApiAction):
    """Plain answer from the best knowledge card, with the legal basis; says so when unsure."""

    def name(self) -> str:
        return "action_answer_from_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = (tracker.latest_message or {}).get("text") or ""
        if not question.strip() or question.startswith("/"):
            dispatcher.utter_message(response="utter_default")
            return []
        try:
            answer = await self.client.answer(question)
        except ApiUnavailableError as error:
            log.warning("Knowledge answer unavailable: %s", error)
            dispatcher.utter_message(text=API_DOWN, buttons=NEXT_STEP_BUTTONS[1:])
            return []
        dispatcher.utter_message(text=answer.text)
        if not answer.confident:
            dispatcher.utter_message(text=NOT_SURE_FOLLOW_UP, buttons=NEXT_STEP_BUTTONS)
        return []
