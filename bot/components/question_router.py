"""Sends a story that asks a legal question to the knowledge path, whatever dialogue act the intent
classifier saw in it (issue 12: "the intent classifier decides dialogue acts; it never sends a
legal question to «chưa hiểu» or out of scope").

A long message that tells a story and asks something ("Tôi muốn gửi yêu cầu trợ giúp pháp lý. Nhà
tôi hộ nghèo, cần mang giấy tờ gì?") was read as ``request_legal_aid`` and started the request form,
or as ``check_case_status`` and asked for a case code, or as ``stop`` because it contains "thôi".
A story question read as ``ask_mediation`` or ``ask_legal_aid_eligibility`` went to a path made for
short questions (the mediation guidance, the screening form from its first question) and lost the
facts and the other sub-questions of the story.
This component runs after the FallbackClassifier: when the message is such a story question
(``knowledge.questions.is_story_question``) and the predicted intent is not one of
:data:`KEPT`, the intent becomes ``out_of_scope`` — the rule for which is
``action_answer_question``, the api's understanding of the whole message, which answers it and
offers the request and hand-off buttons (the intent's name is historical: the understanding, not
the label, decides whether the message has legal content).

A short legal question taken for a conversation act ("dang ky khai sinh dung han co mat tien ko"
read as ``stop``: "dung" is also "dừng") goes there too (``knowledge.questions.is_misread_question``).
Other short messages keep their intent (card-shaped questions keep their paths), as do messages with a
case code and ``inform`` (a statement that also asks is answered by ``action_acknowledge_inform``
through the same understanding, and the screening form reads its answers from it). Inside an
active form the forms read the text themselves (``from_text``), so the new label does not
interrupt them.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from knowledge.questions import is_misread_question, is_story_question

KNOWLEDGE_INTENT = "out_of_scope"
KEPT = frozenset({"inform", KNOWLEDGE_INTENT})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class StoryQuestionRouter(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoryQuestionRouter:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._route(message)
        return messages

    @staticmethod
    def _route(message: Message) -> None:
        intent = message.get(INTENT) or {}
        text = message.get(TEXT) or ""
        if text.startswith("/") or not intent.get("name") or intent.get("name") in KEPT:
            return
        if not (is_story_question(text) or is_misread_question(text, intent["name"])):
            return
        confidence = float(intent.get("confidence") or 1.0)
        message.set(INTENT, {"name": KNOWLEDGE_INTENT, "confidence": confidence}, add_to_output=True)
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != KNOWLEDGE_INTENT]
        message.set(INTENT_RANKING_KEY, [{"name": KNOWLEDGE_INTENT, "confidence": confidence}, *ranking],
                    add_to_output=True)
