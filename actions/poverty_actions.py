"""Poverty check: household size, monthly household income, rural/urban → ``check_income``.

``poverty_form`` has one requested slot, ``poverty_answer``; every message is parsed for the three
values at once ("nhà 4 người ở nông thôn thu nhập 5 triệu một tháng"), and only what is still
missing is asked. The date of the standard comes from ``actions.common.today()``
(env ``POVERTY_CHECK_DATE`` overrides it).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.common import latest_entity, latest_text
from knowledge.rules import check_income, explain, parse_area, parse_household_size, parse_vnd
from knowledge.text import fold

SLOTS = ("poverty_size", "poverty_income", "poverty_area")
ELIGIBILITY_BUTTON = {"title": "Tôi có được trợ giúp pháp lý không?", "payload": "/ask_legal_aid_eligibility"}
AREA_BUTTONS = [
    {"title": "Nông thôn", "payload": '/inform{"answer":"area=rural"}'},
    {"title": "Thành thị (phường, thị trấn)", "payload": '/inform{"answer":"area=urban"}'},
]
QUESTIONS = {
    "poverty_size": "Nhà bạn có bao nhiêu người (tính cả bạn)?",
    "poverty_income": "Tổng thu nhập của cả nhà mỗi tháng khoảng bao nhiêu tiền? (ví dụ: 5 triệu)",
    "poverty_area": "Nhà bạn ở nông thôn hay thành thị?",
}
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*(?:nguoi|nhan khau|khau)?\s*$")


def parse_values(text: str, requested: str | None, answer: str | None) -> dict[str, Any]:
    """The values a message gives; a bare number answers the question just asked."""
    found: dict[str, Any] = {}
    if answer and answer.startswith("area="):
        found["poverty_area"] = answer.removeprefix("area=")
    if not text or text.startswith("/"):
        return found
    size = parse_household_size(text)
    if size is None and requested == "poverty_size":
        match = _BARE_NUMBER.match(fold(text))
        if match:
            size = int(match.group(1))
    if size:
        found["poverty_size"] = size
    income = parse_vnd(text)
    if income is not None:
        found["poverty_income"] = income
    area = parse_area(text)
    if area:
        found["poverty_area"] = area
    return found


def missing_slot(values: dict[str, Any]) -> str | None:
    return next((s for s in SLOTS if values.get(s) in (None, "")), None)


class ValidatePovertyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_poverty_form"

    def validate_poverty_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        current = {s: tracker.get_slot(s) for s in SLOTS}
        asked = tracker.get_slot("poverty_asked")
        found = parse_values(latest_text(tracker), asked, latest_entity(tracker, "answer"))
        current.update(found)
        return {**found, "poverty_answer": None if missing_slot(current) else "done"}


class ActionAskPovertyAnswer(Action):
    def name(self) -> str:
        return "action_ask_poverty_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        slot = missing_slot({s: tracker.get_slot(s) for s in SLOTS}) or "poverty_size"
        dispatcher.utter_message(
            text=QUESTIONS[slot], buttons=AREA_BUTTONS if slot == "poverty_area" else []
        )
        return [SlotSet("poverty_asked", slot)]


def poverty_answer_text(size: int, income: int, area: str) -> str:
    return explain(check_income(int(size), int(income), area, on_date=common.today()))


class ActionPovertyResult(Action):
    """Income per person against the standard in force, with the caveats of ``explain``."""

    def name(self) -> str:
        return "action_poverty_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        values = {s: tracker.get_slot(s) for s in SLOTS}
        values.update(parse_values(latest_text(tracker), None, latest_entity(tracker, "answer")))
        events: list[dict[str, Any]] = [SlotSet("poverty_answer", None), SlotSet("poverty_asked", None)]
        if missing_slot(values):
            dispatcher.utter_message(text=QUESTIONS[missing_slot(values)])
            return events
        dispatcher.utter_message(
            text=poverty_answer_text(values["poverty_size"], values["poverty_income"], values["poverty_area"])
        )
        dispatcher.utter_message(
            text="Bạn có muốn kiểm tra xem mình có được trợ giúp pháp lý miễn phí không?",
            buttons=[ELIGIBILITY_BUTTON],
        )
        return events + [SlotSet(s, values[s]) for s in SLOTS]
