"""A citizen checks the status of their case in the chat: ``case_status_form``.

The code and the last 4 digits of the phone number are read from the message that started the
check when they are there ("tra cứu TGPL-2026-K7QM4X 5678"), otherwise asked. The code format and
its parsing are those of the api (`knowledge.case_code`): random codes and the old sequential
ones (TGPL-2026-000042). The api answers a
wrong pair and an unknown code with the same neutral sentence, which the bot passes on as is.
Nothing here logs the digits.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_action import ApiAction
from actions.ask import AskAction
from actions.clients.api_client import ApiRejectedError, ApiUnavailableError
from knowledge.case_code import EXAMPLE
from knowledge.case_code import find_code as _find_code

log = logging.getLogger(__name__)

STATUS_SLOTS = ("status_case_code", "status_phone_last4")
_DIGITS = re.compile(r"\d[\d .]*\d|\d")

ASK_CODE = f"Bạn cho tôi mã hồ sơ nhé (dạng {EXAMPLE}, có trong tin nhắn khi bạn gửi yêu cầu)."
ASK_LAST4 = "Bạn gõ 4 số cuối của số điện thoại đã dùng khi gửi yêu cầu (ví dụ: 5678)."
BAD_CODE = f"Mã hồ sơ chưa đúng dạng. Mã hồ sơ có dạng {EXAMPLE}, bạn kiểm tra lại giúp tôi."
BAD_LAST4 = "Bạn chỉ cần gõ đúng 4 chữ số cuối của số điện thoại (ví dụ: 5678)."
API_DOWN = (
    "Xin lỗi, hiện tôi chưa tra cứu được hồ sơ. Bạn thử lại sau ít phút, hoặc gọi cho Trung tâm "
    "trợ giúp pháp lý nhà nước của tỉnh và đọc mã hồ sơ."
)
CANCELLED = "Tôi đã dừng tra cứu. Khi cần, bạn cứ nhắn \"tra cứu hồ sơ\" nhé."
RETRY_BUTTON = {"title": "Tra cứu lại", "payload": "/check_case_status"}


def find_code(text: str) -> tuple[str | None, str]:
    """The case code in *text*, normalised ("tgpl 2026 k7qm4x" → "TGPL-2026-K7QM4X",
    "tgpl 2026 42" → "TGPL-2026-000042"), and the rest."""
    return _find_code(text)


def find_last4(text: str) -> str | None:
    """4 digits on their own, or the last 4 of a longer number (a full phone number typed)."""
    runs = [re.sub(r"\D", "", m.group()) for m in _DIGITS.finditer(text or "")]
    runs = [r for r in runs if len(r) >= 4]
    if not runs:
        return None
    return runs[-1][-4:]


class ActionReadStatusRequest(Action):
    """Before the form: code and last 4 digits from the message that asked, if it has them."""

    def name(self) -> str:
        return "action_read_status_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = (tracker.latest_message or {}).get("text") or ""
        if text.startswith("/"):
            text = ""
        code, rest = find_code(text)
        last4 = find_last4(rest) if code else None
        return [SlotSet("status_case_code", code), SlotSet("status_phone_last4", last4)]


class ValidateCaseStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_case_status_form"

    def validate_status_case_code(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"status_case_code": None}
        code, rest = find_code(str(value or ""))
        if code is None:
            dispatcher.utter_message(text=BAD_CODE)
            return {"status_case_code": None}
        result: dict[str, Any] = {"status_case_code": code}
        last4 = find_last4(rest)
        if last4:
            result["status_phone_last4"] = last4
        return result

    def validate_status_phone_last4(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"status_phone_last4": None}
        last4 = find_last4(str(value or ""))
        if last4 is None:
            dispatcher.utter_message(text=BAD_LAST4)
        return {"status_phone_last4": last4}


class ActionAskStatusCaseCode(AskAction):
    slot = "status_case_code"

    def question(self, tracker: Tracker) -> str:
        return ASK_CODE


class ActionAskStatusPhoneLast4(AskAction):
    slot = "status_phone_last4"

    def question(self, tracker: Tracker) -> str:
        return ASK_LAST4


class ActionStatusCancel(Action):
    def name(self) -> str:
        return "action_status_cancel"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=CANCELLED)
        return [*(SlotSet(s, None) for s in STATUS_SLOTS), SlotSet("requested_slot", None)]


class ActionCheckCaseStatus(ApiAction):
    """Asks the api and passes its plain-Vietnamese answer on."""

    def name(self) -> str:
        return "action_check_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = tracker.get_slot("status_case_code")
        last4 = tracker.get_slot("status_phone_last4")
        reset = [SlotSet(s, None) for s in STATUS_SLOTS]
        if not code or not last4:
            dispatcher.utter_message(text=ASK_CODE)
            return reset
        try:
            reply = await self.client.case_status(code, last4)
        except (ApiUnavailableError, ApiRejectedError) as error:
            log.warning("Case status lookup unavailable: %s", error)
            dispatcher.utter_message(text=API_DOWN, buttons=[RETRY_BUTTON])
            return reset
        log.info("Case status lookup answered (found=%s)", reply.found)
        dispatcher.utter_message(text=reply.message)
        return reset
