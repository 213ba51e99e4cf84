"""Eligibility screening for free legal aid (Luật Trợ giúp pháp lý 11/2017/QH14 Điều 7, 27, 30).

``eligibility_form`` has one requested slot, ``eligibility_answer``: every answer (a button
``/inform{"answer":"group=disability"}`` or free text) is read by the validation action, the
facts are recomputed from every user message of the conversation (``facts_from_text`` +
``apply_answer``), and the form ends when the rule engine has nothing more to ask.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    CONTACT_BUTTON,
    HUMAN_BUTTON,
    MEDIATION_BUTTON,
    REQUEST_BUTTON,
    collect_facts,
    facts_to_dict,
    latest_text,
)
from knowledge.rules import EligibilityResult, Question, Status, assess, next_question

FORM = "eligibility_form"
ANSWER_INTENTS = ("inform", "ask_legal_aid_eligibility")
UNCLEAR = "Xin lỗi, tôi chưa hiểu câu trả lời. Bạn bấm chọn một nút bên dưới, hoặc xin gặp cán bộ."

NEXT_STEPS = (
    "Việc tiếp theo: bạn liên hệ hoặc đến Trung tâm Trợ giúp pháp lý nhà nước của tỉnh (hoặc Chi "
    "nhánh của Trung tâm) và mang theo: (1) đơn yêu cầu trợ giúp pháp lý — nếu không tự viết được, "
    "cán bộ sẽ ghi giúp; (2) giấy tờ chứng minh bạn thuộc diện được trợ giúp (ví dụ giấy chứng nhận "
    "hộ nghèo, hộ cận nghèo, giấy xác nhận khuyết tật...); (3) giấy tờ liên quan đến vụ việc. "
    "Tôi cũng có thể ghi lại yêu cầu để cán bộ liên hệ với bạn."
)
UNSURE_NEXT = (
    "Bạn vẫn có thể gửi yêu cầu để cán bộ trợ giúp pháp lý xem xét, hoặc hỏi Ủy ban nhân dân xã: "
    "xã có trách nhiệm giải thích quyền được trợ giúp pháp lý và giới thiệu bạn đến Trung tâm."
)
_FIRST = re.compile(r"^Chưa đủ thông tin[^.]*\.\s*")
_ASKS = re.compile(r"\s*Cho chúng tôi biết thêm .*$", re.S)


def asked_keys(tracker: Tracker) -> list[str]:
    return list(tracker.get_slot("eligibility_asked") or [])


def note_for(result: EligibilityResult) -> str:
    """What the person should know before the next question (no question in it)."""
    if result.status is Status.ELIGIBLE:
        return result.explanation.split(" Lưu ý:")[0]
    if result.status is Status.NEED_MORE_INFO:
        return _ASKS.sub("", _FIRST.sub("", result.explanation)).strip()
    return ""


def question_buttons(question: Question) -> list[dict[str, str]]:
    result = []
    for option in question.options:
        if option.value == "group=none":
            payload = f'/inform{{"answer":"group=none","question_key":"{question.key}"}}'
        else:
            payload = f'/inform{{"answer":"{option.value}"}}'
        result.append({"title": option.title, "payload": payload})
    return result


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    def validate_eligibility_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        facts = collect_facts(tracker)
        result = assess(facts)
        question = next_question(result, asked=asked_keys(tracker))
        done = result.status is Status.NOT_ELIGIBLE or question is None
        return {
            "eligibility_answer": "done" if done else None,
            "eligibility_facts": facts_to_dict(facts),
        }


class ActionAskEligibilityAnswer(Action):
    """Asks the single most useful question, with buttons; first says what the answer changed."""

    def name(self) -> str:
        return "action_ask_eligibility_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        facts = collect_facts(tracker)
        result = assess(facts)
        asked = asked_keys(tracker)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        question = None
        text = latest_text(tracker)
        unclear = (
            bool(asked) and intent in ANSWER_INTENTS and not text.startswith("/")
            and collect_facts(tracker, skip_latest=True) == facts
        )
        if asked and (intent not in ANSWER_INTENTS or unclear):
            # back from a digression, or an answer that said nothing: ask the same question again
            question = next_question(result, asked=asked[:-1])
            asked = asked[:-1]
        if unclear and question is not None:
            dispatcher.utter_message(text=UNCLEAR, buttons=[HUMAN_BUTTON])
        question = question or next_question(result, asked=asked)
        if question is None:  # already decided by the first message; ask to confirm the matter
            question = next_question(result) or next_question(assess(facts.__class__()))
        events: list[dict[str, Any]] = [SlotSet("eligibility_facts", facts_to_dict(facts))]
        note = note_for(result)
        if note and note != tracker.get_slot("eligibility_note"):
            dispatcher.utter_message(text=note)
            events.append(SlotSet("eligibility_note", note))
        dispatcher.utter_message(text=question.text, buttons=question_buttons(question))
        events.append(SlotSet("eligibility_asked", [*asked, question.key]))
        return events


class ActionEligibilityResult(Action):
    """The result with its legal basis, what to do next, and an offer to log a request."""

    def name(self) -> str:
        return "action_eligibility_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        facts = collect_facts(tracker)
        result = assess(facts)
        if result.status is Status.ELIGIBLE:
            if note_for(result) != tracker.get_slot("eligibility_note"):
                dispatcher.utter_message(text=result.explanation)
            else:  # the explanation was given just before the last questions: only the conclusion
                label = result.matches[0].citations[0].label()
                who = f"{facts.subject} của bạn" if facts.subject else "bạn"
                dispatcher.utter_message(
                    text=f"Kết luận: {who} thuộc diện được trợ giúp pháp lý miễn phí ({label})."
                )
            dispatcher.utter_message(text=NEXT_STEPS, buttons=[REQUEST_BUTTON, CONTACT_BUTTON])
        elif result.status is Status.NOT_ELIGIBLE:
            dispatcher.utter_message(text=result.explanation)
            dispatcher.utter_message(
                text="Bạn có muốn tìm hiểu về hòa giải ở cơ sở hoặc nói chuyện với cán bộ không?",
                buttons=[MEDIATION_BUTTON, HUMAN_BUTTON],
            )
        else:
            note = note_for(result)
            text = "Tôi chưa đủ thông tin để kết luận bạn có được trợ giúp pháp lý miễn phí hay không."
            dispatcher.utter_message(text=f"{text} {note}".strip())
            dispatcher.utter_message(text=UNSURE_NEXT, buttons=[REQUEST_BUTTON, HUMAN_BUTTON])
        return [
            SlotSet("eligibility_facts", facts_to_dict(facts)),
            SlotSet("eligibility_status", result.status.value),
            SlotSet("eligibility_answer", None),
            SlotSet("eligibility_asked", []),
            SlotSet("eligibility_note", None),
        ]


class ActionStopForm(Action):
    """After ``action_deactivate_loop``: says kindly that we stopped, and what is still possible."""

    def name(self) -> str:
        return "action_stop_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text="Vâng, tôi dừng lại ở đây. Khi nào cần, bạn cứ nhắn lại, tôi sẽ giúp tiếp.",
            buttons=[REQUEST_BUTTON, HUMAN_BUTTON],
        )
        return [
            SlotSet("eligibility_answer", None),
            SlotSet("eligibility_asked", []),
            SlotSet("eligibility_note", None),
            SlotSet("poverty_answer", None),
            SlotSet("requested_slot", None),
        ]
