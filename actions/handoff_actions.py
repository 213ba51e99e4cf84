"""Hand-off to a person, repeated fallback, the legal-aid centre of a province, and free-text
information given outside a form (corrections after a result)."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.api_action import ApiAction
from actions.clients.api_client import ApiUnavailableError, LegalAidApiClient
from actions.common import (
    HUMAN_BUTTON,
    MEDIATION_BUTTON,
    REQUEST_BUTTON,
    centre_for,
    latest_entity,
    latest_text,
    match_province,
)
from actions.knowledge_actions import ANSWERED_KINDS, send_understanding
from actions.mediation_actions import tailored
from actions.poverty_actions import SLOTS, missing_slot, parse_values, poverty_answer_text
from knowledge.contacts import hotline_sentence
from knowledge.questions import asks_something
from knowledge.rules import facts_from_text

log = logging.getLogger(__name__)

ELIGIBILITY_BUTTON = {"title": "Tôi có được trợ giúp pháp lý không?", "payload": "/ask_legal_aid_eligibility"}
POVERTY_BUTTON = {"title": "Nhà tôi có thuộc hộ nghèo không?", "payload": "/ask_poverty_check"}
LEAVE_REQUEST = "Bạn cũng có thể để lại yêu cầu ngay tại đây, cán bộ trợ giúp pháp lý sẽ liên hệ với bạn."
HOW_TO_FIND = (
    "Cách tìm: hỏi Sở Tư pháp của tỉnh (Trung tâm trực thuộc Sở Tư pháp), hoặc hỏi Ủy ban nhân "
    "dân xã nơi bạn ở: xã có trách nhiệm giới thiệu bạn đến Trung tâm (Điều 17a Thông tư "
    "12/2018/TT-BTP)."
)


class ActionHandoff(Action):
    """Pauses the conversation for staff in office hours; outside them offers to log a request."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        hours = common.office_hours_text()
        if common.in_office_hours():
            dispatcher.utter_message(
                text=(
                    "Tôi đã báo cán bộ trợ giúp pháp lý. Cán bộ sẽ đọc lại cuộc trò chuyện và trả lời "
                    "bạn ngay tại đây, thường trong vài phút; trong lúc chờ, tôi sẽ không tự trả lời "
                    f"nữa. Giờ làm việc: {hours}."
                )
            )
            return [SlotSet("handoff_requested", True), ConversationPaused()]
        dispatcher.utter_message(
            text=(
                f"Bây giờ ngoài giờ làm việc ({hours}) nên chưa có cán bộ trực. Bạn có thể gửi yêu "
                "cầu, cán bộ sẽ liên hệ lại với bạn trong giờ làm việc."
            ),
            buttons=[REQUEST_BUTTON],
        )
        return [SlotSet("handoff_requested", False)]


async def answered_by_understanding(
    client: LegalAidApiClient, dispatcher: CollectingDispatcher, text: str
) -> list[dict[str, Any]] | None:
    """The api's understanding of *text* when it answers something (a result, an answer, topics to
    choose from); None when it found nothing relevant or the api is down (the caller goes on)."""
    if not text.strip() or text.startswith("/"):
        return None
    try:
        understanding = await client.understand(text)
    except ApiUnavailableError as error:
        log.warning("Understanding unavailable: %s", error)
        return None
    if understanding.kind not in ANSWERED_KINDS or not understanding.messages:
        return None
    return [*send_understanding(dispatcher, understanding), SlotSet("not_understood", False)]


class ActionFallback(ApiAction):
    """The intent classifier is unsure: a legal question still goes to the understanding (it never
    ends in "chưa hiểu"); otherwise asks to rephrase, and after two misunderstandings offers a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = await answered_by_understanding(self.client, dispatcher, latest_text(tracker))
        return answered if answered is not None else not_understood(dispatcher, tracker)


def _previous_action(tracker: Tracker) -> str | None:
    """The last action before the latest user message (action_listen skipped)."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def not_understood(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Asks to rephrase; the second misunderstanding in a row offers a person."""
    previous = _previous_action(tracker)
    again = previous in ("action_fallback", "utter_default") or (
        previous == "action_handle_inform" and tracker.get_slot("not_understood") is True
    )
    if again:
        dispatcher.utter_message(
            text="Xin lỗi, tôi vẫn chưa hiểu ý bạn. Bạn có muốn nói chuyện với cán bộ không?",
            buttons=[HUMAN_BUTTON, REQUEST_BUTTON],
        )
    else:
        dispatcher.utter_message(response="utter_default")
    return [SlotSet("not_understood", True)]


def contact_text(province: str | None) -> str:
    if province is None:
        return (
            "Mỗi tỉnh, thành phố có một Trung tâm Trợ giúp pháp lý nhà nước. Bạn ở tỉnh, thành phố "
            f"nào? {HOW_TO_FIND} {hotline_sentence()}"
        )
    centre = centre_for(province) or {"name": f"Trung tâm Trợ giúp pháp lý nhà nước {province}"}
    known = [
        f"{label}: {centre[field]}"
        for field, label in (("address", "Địa chỉ"), ("phone", "Điện thoại"), ("hotline", "Đường dây nóng"),
                             ("website", "Trang web"))
        if str(centre.get(field) or "").strip()
    ]
    if known:
        return f"{centre['name']}. " + ". ".join(known) + "."
    # No confirmed details for this centre: never a dead end — the national hotline, then a request.
    return (
        f"Nơi trợ giúp pháp lý cho người ở {province} là {centre['name']}. Tôi chưa có số điện thoại đã "
        f"được xác nhận của Trung tâm này nên không đưa số để tránh sai. {hotline_sentence()} "
        f"{HOW_TO_FIND} {LEAVE_REQUEST}"
    )


class ActionContact(Action):
    """The state legal-aid centre of the person's province, from knowledge/data/legal_aid_centres.yml."""

    def name(self) -> str:
        return "action_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        province = match_province(latest_text(tracker)) or tracker.get_slot("province")
        dispatcher.utter_message(text=contact_text(province), buttons=[REQUEST_BUTTON, HUMAN_BUTTON])
        return [SlotSet("province", province)] if province else []


class ActionHandleInform(ApiAction):
    """Information given outside a form: a province, a correction of the poverty check, or facts —
    and when the message also asks something ("Nhà tôi hộ cận nghèo, bảo hiểm y tế được hỗ trợ bao
    nhiêu?"), the answer to that question through the understanding."""

    def name(self) -> str:
        return "action_handle_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        found = parse_values(text, None, latest_entity(tracker, "answer"))
        known = {s: tracker.get_slot(s) for s in SLOTS}
        correcting = any(v is not None for v in known.values())
        if found:
            known.update(found)
            if missing_slot(known) is None:
                if correcting:
                    dispatcher.utter_message(text="Vâng, tôi tính lại theo thông tin mới.")
                dispatcher.utter_message(
                    text=poverty_answer_text(
                        known["poverty_size"], known["poverty_income"], known["poverty_area"]
                    )
                )
                return [*(SlotSet(s, known[s]) for s in SLOTS), SlotSet("not_understood", False)]
        if asks_something(text):
            answered = await answered_by_understanding(self.client, dispatcher, text)
            if answered is not None:
                return answered
        province = match_province(text)
        if province:
            dispatcher.utter_message(text=contact_text(province))
            return [SlotSet("province", province), SlotSet("not_understood", False)]
        dispute = tailored(text)
        if dispute:
            dispatcher.utter_message(text=dispute, buttons=[MEDIATION_BUTTON, ELIGIBILITY_BUTTON])
            return [SlotSet("not_understood", False)]
        if found:
            dispatcher.utter_message(
                text="Bạn muốn tôi tính xem hộ mình có dưới chuẩn nghèo không?", buttons=[POVERTY_BUTTON]
            )
            return [SlotSet("not_understood", False)]
        if facts_from_text(text).known():
            dispatcher.utter_message(
                text=(
                    "Cảm ơn bạn đã cho biết. Bạn có muốn kiểm tra xem mình có được trợ giúp pháp lý "
                    "miễn phí không?"
                ),
                buttons=[ELIGIBILITY_BUTTON],
            )
            return [SlotSet("not_understood", False)]
        return not_understood(dispatcher, tracker)
