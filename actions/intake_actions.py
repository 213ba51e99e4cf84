"""Intake of a request for legal aid in the conversation: ``legal_aid_request_form``.

The form collects, in this order: full name, phone, province, commune, eligibility group (taken
from the screening when the conversation already has one), topic, a short description, consent
to store the personal data (Nghị định 13/2023/NĐ-CP) and a confirmation step where any field can
be corrected. ``action_submit_legal_aid_request`` then registers a case through
``POST /api/v1/cases`` with an Idempotency-Key derived from the conversation and a per-form nonce,
so a retried submit ("Gửi lại") never creates a second case.

Privacy: nothing here logs a name, a phone number or a description; logs carry the case code,
the province and the outcome only. Once the intake is over (submitted, consent refused, "thôi"),
the tracker store removes what was typed for it from the conversation (bot/conversation_privacy.py
recognises the end by this module's actions and their ``reset_events()``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import uuid
from abc import ABC
from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_action import ApiAction
from actions.ask import AskAction
from actions.clients.api_client import ApiRejectedError, ApiUnavailableError
from knowledge.rules.groups import group_code, group_label, intake_group_options
from knowledge.text import fold, nfc
from knowledge.vocabulary import (
    GROUP_CUES,
    INTAKE_TOPIC_TITLES,
    OTHER_TOPIC,
    TOPICS,
    TRAFFICKING_CUE,
    UNKNOWN_GROUP,
    clean_commune,
    find_phone,
    local_phone,
    topic_from_text,
)
from knowledge.vocabulary import find_province as match_province

log = logging.getLogger(__name__)

FORM = "legal_aid_request_form"
INTAKE_SLOTS = (
    "intake_full_name",
    "intake_phone",
    "intake_province",
    "intake_commune",
    "intake_group",
    "intake_topic",
    "intake_description",
    "intake_consent",
    "intake_confirm",
)
NONCE_SLOT = "intake_nonce"
CASE_CODE_SLOT = "case_code"

# Every route of Điều 7 in force today, the near-poor household and "Không rõ" (knowledge.rules.groups).
def group_buttons(on_date: date | None = None) -> list[tuple[str, str]]:
    return intake_group_options(on_date or date.today())


# Messages (plain Vietnamese, short sentences).
ASK = {
    "intake_full_name": "Bạn cho tôi biết họ và tên của người cần trợ giúp pháp lý nhé.",
    "intake_phone": "Số điện thoại để Trung tâm liên lạc với bạn là gì? (ví dụ: 0912 345 678)",
    "intake_province": "Bạn đang ở tỉnh hoặc thành phố nào? (ví dụ: Lào Cai, Đắk Lắk, TP HCM)",
    "intake_commune": "Bạn ở xã, phường hoặc đặc khu nào? (nếu không nhớ, gõ \"không rõ\")",
    "intake_group": (
        "Người cần giúp thuộc nhóm nào dưới đây? Nếu không chắc, bạn chọn \"Không rõ\", "
        "Trung tâm sẽ xem giúp."
    ),
    "intake_topic": "Việc của bạn thuộc lĩnh vực nào?",
    "intake_description": (
        "Bạn kể ngắn gọn sự việc bằng lời của mình nhé: chuyện gì xảy ra, với ai, từ khi nào, "
        "bạn cần giúp gì."
    ),
}
DUPLICATE_RECEIVED = (
    "Yêu cầu của bạn đã được ghi nhận. Cán bộ Trung tâm trợ giúp pháp lý sẽ liên hệ với bạn qua số "
    "điện thoại bạn đã cung cấp."
)
CONSENT_TEXT = (
    "Để Trung tâm trợ giúp pháp lý xem xét yêu cầu, tôi cần lưu các thông tin bạn vừa cung cấp "
    "(họ tên, số điện thoại, nơi ở, nội dung sự việc). Thông tin chỉ dùng cho yêu cầu này, theo "
    "Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân. Bạn có đồng ý không?"
)
CONSENT_BUTTONS = [
    {"title": "Đồng ý", "payload": "Đồng ý"},
    {"title": "Không đồng ý", "payload": "Không đồng ý"},
]
BAD_NAME = "Xin lỗi, tôi chưa đọc được họ tên. Bạn gõ lại họ và tên đầy đủ giúp tôi (ví dụ: Nguyễn Văn An)."
BAD_PHONE = (
    "Số điện thoại này chưa đúng. Bạn kiểm tra lại giúp tôi nhé: số di động có 10 chữ số, "
    "bắt đầu bằng 0 (ví dụ 0912 345 678) hoặc +84."
)
BAD_PROVINCE = (
    "Tôi chưa nhận ra tỉnh, thành phố này. Bạn gõ tên một trong 34 tỉnh, thành phố hiện nay "
    "(ví dụ: Lào Cai, Gia Lai, Cần Thơ, TP HCM). Gõ không dấu cũng được."
)
SHORT_DESCRIPTION = (
    "Bạn kể thêm một chút giúp tôi nhé (ít nhất một câu): chuyện gì xảy ra và bạn cần giúp gì."
)
BAD_CONSENT = "Bạn chọn \"Đồng ý\" hoặc \"Không đồng ý\" giúp tôi nhé."
BAD_CONFIRM = "Bạn chọn \"Gửi\" để gửi yêu cầu, hoặc chọn thông tin cần sửa."
NO_CONSENT = (
    "Tôi tôn trọng lựa chọn của bạn: tôi không lưu thông tin nào của bạn. Bạn vẫn có thể gọi "
    "điện hoặc đến trực tiếp Trung tâm trợ giúp pháp lý nhà nước của tỉnh, hoặc hỏi UBND xã "
    "để được giới thiệu. Nếu là mâu thuẫn với hàng xóm hay trong gia đình, bạn có thể nhờ tổ "
    "hòa giải ở thôn, tổ dân phố (hòa giải ở cơ sở, không mất phí)."
)
CANCELLED = (
    "Tôi đã dừng việc gửi yêu cầu và không lưu thông tin nào. Khi cần, bạn cứ nhắn "
    "\"tôi muốn yêu cầu trợ giúp pháp lý\" để làm lại nhé."
)
API_DOWN = (
    "Xin lỗi, hệ thống đang gặp trục trặc nên tôi chưa gửi được yêu cầu của bạn. Thông tin bạn "
    "nhập vẫn được giữ lại. Bạn bấm \"Gửi lại\" sau ít phút nhé."
)
API_REFUSED = (
    "Xin lỗi, tôi chưa gửi được yêu cầu này. Bạn có thể bấm \"Gửi lại\", hoặc gọi điện cho "
    "Trung tâm trợ giúp pháp lý nhà nước của tỉnh để được giúp trực tiếp."
)
NOTHING_TO_SEND = (
    "Hiện không có yêu cầu nào đang chờ gửi. Nếu muốn gửi yêu cầu trợ giúp pháp lý, bạn nhắn "
    "\"tôi muốn yêu cầu trợ giúp pháp lý\" nhé."
)
RETRY_BUTTON = {"title": "Gửi lại", "payload": "/intake_retry"}
FIELD_NAMES = {
    "intake_full_name": "họ tên",
    "intake_phone": "số điện thoại",
    "intake_province": "tỉnh",
    "intake_commune": "xã",
    "intake_group": "nhóm",
    "intake_topic": "lĩnh vực",
    "intake_description": "nội dung",
}
CONFIRM_BUTTONS = [{"title": "Gửi", "payload": "Gửi"}] + [
    {"title": f"Sửa {label}", "payload": f"Sửa {label}"} for label in FIELD_NAMES.values()
]
_NAME_PREFIX = re.compile(
    r"^(?:(?:toi|em|chau|minh|ten)\s+)?(?:ten\s+(?:toi\s+|em\s+|chau\s+|minh\s+)?)?(?:la\s+)?", re.I
)


def folded(text: Any) -> str:
    return " ".join(re.findall(r"\w+", fold(nfc(str(text or "")))))


def clean_name(text: str) -> str | None:
    """"toi ten la nguyen van an" → "Nguyen Van An"; None when it cannot be a name."""
    text = " ".join(nfc(text).split()).strip(" .,!?")
    words = text.split()
    fwords = folded(text).split()
    # drop a lead-in such as "tôi tên là", "tên em là", "em là"
    lead = _NAME_PREFIX.match(" ".join(fwords))
    if lead and lead.group().strip():
        dropped = len(lead.group().split())
        if dropped < len(words):
            words = words[dropped:]
    name = " ".join(words)
    if not (2 <= len(name) <= 100) or any(ch.isdigit() for ch in name) or len(words) > 8:
        return None
    if not all(re.fullmatch(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", w) for w in words):
        return None
    if name == name.lower():
        name = " ".join(w[:1].upper() + w[1:] for w in words)
    return name


def _trafficking_route_code() -> str:
    """Khoản 6a from 01/7/2025 (amendment registry), điểm g khoản 7 before."""
    return next(code for title, code in group_buttons() if folded(title) == "nan nhan mua ban nguoi")


def parse_group(text: str) -> str | None:
    key = folded(text)
    for title, code in group_buttons():
        if key == folded(title):
            return code
    if group_label(text) or text == UNKNOWN_GROUP:
        return text
    for cue, code in GROUP_CUES:
        if re.search(rf"\b{cue}\b", key):
            return _trafficking_route_code() if code == TRAFFICKING_CUE else code
    try:  # free text the rule engine understands ("bo toi 75 tuoi")
        from knowledge.rules.eligibility import assess, facts_from_text

        result = assess(facts_from_text(text))
        if result.matches:
            return group_code(result.matches[0].route)
    except Exception:
        log.debug("group from text failed", exc_info=True)
    return None


def parse_topic(text: str) -> str | None:
    """The topic code (knowledge.vocabulary TOPICS) of an answer: a button, a label or cue words."""
    return topic_from_text(text)


def parse_phone(text: str) -> str | None:
    """The phone number in an answer, as people read it ("0912345678"), or None."""
    phone = find_phone(text)
    return local_phone(phone) if phone else None


def parse_yes_no(text: str) -> bool | None:
    key = folded(text)
    if re.search(r"\b(khong|ko|k|hong|hok|khg|kg)\s+(dong y|dy|chiu|muon|dong)\b", key) or key in {
        "khong", "ko", "k", "no", "tu choi", "khong dong y", "hong", "hok"
    }:
        return False
    if re.search(r"\b(dong y|chap nhan)\b", key) or (
        len(key.split()) <= 3 and re.search(r"\b(dy|ok|oke|okay|yes|co|u|uh|vang|da|duoc|dc)\b", key)
    ):
        return True
    return None


def group_from_screening(tracker: Tracker) -> str | None:
    """The eligibility group the screening already found in this conversation, if any."""
    value = tracker.get_slot("eligibility_group") if "eligibility_group" in tracker.slots else None
    if isinstance(value, str) and value:
        if group_label(value):
            return value
        if group_code(value):
            return group_code(value)
    facts = tracker.get_slot("eligibility_facts") if "eligibility_facts" in tracker.slots else None
    if not isinstance(facts, dict) or not facts:
        return None
    try:
        from knowledge.rules.eligibility import EligibilityFacts, assess
        from knowledge.rules.facts import AgeGroup

        names = {f.name for f in dataclasses.fields(EligibilityFacts)}
        values = {k: v for k, v in facts.items() if k in names}
        if values.get("age_group"):
            values["age_group"] = AgeGroup(values["age_group"])
        if "ruled_out" in values:
            values["ruled_out"] = tuple(values["ruled_out"])
        result = assess(EligibilityFacts(**values))
    except Exception:
        log.debug("screening facts not usable", exc_info=True)
        return None
    return group_code(result.matches[0].route) if result.matches else None


def channel_of(sender_id: str | None) -> str:
    return "zalo" if (sender_id or "").startswith("zalo:") else "web"


def idempotency_key(sender_id: str | None, nonce: str | None) -> str:
    digest = hashlib.sha256(f"{sender_id or ''}|{nonce or ''}".encode()).hexdigest()
    return f"chat-{digest[:40]}"


def reset_events(*, keep_nonce: bool = False) -> list[dict[str, Any]]:
    """Empties the form. Without *keep_nonce* (intake_nonce → None) it also tells the tracker
    store that this intake is over (bot/conversation_privacy.py): when the submit or cancel action
    returns these events, what the citizen typed for it is redacted from the stored conversation."""
    events = [SlotSet(slot, None) for slot in INTAKE_SLOTS]
    if not keep_nonce:
        events.append(SlotSet(NONCE_SLOT, None))
    return events


def topic_title(code: str | None) -> str:
    """The label of a topic code; an old free-text value (a conversation from before) as it is."""
    return TOPICS.label(code) or str(code or "không rõ")


def summary(tracker: Tracker) -> str:
    """What will be sent, for the citizen to check. The phone is shown in full: only the person who
    typed it reads this answer (Zalo user / server-issued web conversation), it is never logged, and
    the tracker store redacts this message with the rest of the intake once it is over."""
    group = tracker.get_slot("intake_group")
    commune = tracker.get_slot("intake_commune")
    lines = [
        "Tôi sẽ gửi cho Trung tâm trợ giúp pháp lý các thông tin sau:",
        f"• Họ tên: {tracker.get_slot('intake_full_name')}",
        f"• Số điện thoại: {tracker.get_slot('intake_phone') or ''}",
        f"• Tỉnh/thành phố: {tracker.get_slot('intake_province')}",
        f"• Xã/phường: {clean_commune(commune) or 'không rõ'}",
        f"• Nhóm: {group_label(group) or 'không rõ'}",
        f"• Lĩnh vực: {topic_title(tracker.get_slot('intake_topic'))}",
        f"• Nội dung: {tracker.get_slot('intake_description')}",
        "Bạn bấm \"Gửi\" nếu đúng, hoặc chọn thông tin cần sửa.",
    ]
    return "\n".join(lines)


class ActionIntakeStart(Action):
    """Before the form: a fresh nonce, empty fields, the group from the screening if known."""

    def name(self) -> str:
        return "action_intake_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events = reset_events()
        events.append(SlotSet(NONCE_SLOT, uuid.uuid4().hex[:16]))
        group = group_from_screening(tracker)
        if group:
            events.append(SlotSet("intake_group", group))
        return events


def _parsed(
    slot: str, value: Any, parse: Callable[[str], str | None], error: str, dispatcher: CollectingDispatcher
) -> dict[str, Any]:
    """A free-text answer through *parse*; unparseable → the kind *error* message and the slot
    stays empty (asked again). None means the slot was emptied by a reset or a correction."""
    if value is None:
        return {slot: None}
    parsed = parse(str(value))
    if parsed is None:
        dispatcher.utter_message(text=error)
    return {slot: parsed}


class ValidateLegalAidRequestForm(FormValidationAction):
    def name(self) -> str:
        return "validate_legal_aid_request_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        slots = list(domain_slots)
        if tracker.get_slot("intake_consent") is False and "intake_consent" in slots:
            return slots[: slots.index("intake_consent") + 1]  # no consent: stop asking
        return slots

    def validate_intake_full_name(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return _parsed("intake_full_name", value, clean_name, BAD_NAME, dispatcher)

    def validate_intake_phone(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return _parsed("intake_phone", value, parse_phone, BAD_PHONE, dispatcher)

    def validate_intake_province(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return _parsed("intake_province", value, match_province, BAD_PROVINCE, dispatcher)

    def validate_intake_commune(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"intake_commune": None}
        text = " ".join(nfc(str(value or "")).split())[:200]
        return {"intake_commune": text or None}

    def validate_intake_group(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"intake_group": None}
        code = parse_group(str(value or ""))
        if code is None:
            dispatcher.utter_message(text="Bạn chọn một nhóm trong danh sách, hoặc \"Không rõ\" nhé.")
        return {"intake_group": code}

    def validate_intake_topic(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"intake_topic": None}
        topic = parse_topic(str(value or "")) or OTHER_TOPIC
        return {"intake_topic": topic}

    def validate_intake_description(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"intake_description": None}
        text = nfc(str(value or "")).strip()[:5000]
        if len(folded(text).split()) < 3:
            dispatcher.utter_message(text=SHORT_DESCRIPTION)
            return {"intake_description": None}
        return {"intake_description": text}

    def validate_intake_consent(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"intake_consent": None}
        answer = value if isinstance(value, bool) else parse_yes_no(str(value or ""))
        if answer is None:
            dispatcher.utter_message(text=BAD_CONSENT, buttons=CONSENT_BUTTONS)
        return {"intake_consent": answer}

    def validate_intake_confirm(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied by a reset or a correction: nothing to check
            return {"intake_confirm": None}
        if value is True:
            return {"intake_confirm": True}
        key = folded(value)
        if key.startswith("sua") or key.startswith("doi") or key.startswith("chinh"):
            for slot, label in FIELD_NAMES.items():
                if folded(label) in key or (slot == "intake_province" and "thanh pho" in key):
                    return {"intake_confirm": None, slot: None}
            if "ten" in key:
                return {"intake_confirm": None, "intake_full_name": None}
            if "so" in key or "dien thoai" in key or "sdt" in key:
                return {"intake_confirm": None, "intake_phone": None}
            dispatcher.utter_message(text=BAD_CONFIRM)
            return {"intake_confirm": None}
        if key in {"dong y", "ok", "dung", "dung roi", "xac nhan", "nop", "nop di"} or key.startswith("gui"):
            return {"intake_confirm": True}
        dispatcher.utter_message(text=BAD_CONFIRM)
        return {"intake_confirm": None}


class _IntakeAsk(AskAction, ABC):
    """The questions of the intake form, worded in ASK."""

    def question(self, tracker: Tracker) -> str:
        return ASK[self.slot]


class ActionAskIntakeFullName(_IntakeAsk):
    slot = "intake_full_name"


class ActionAskIntakePhone(_IntakeAsk):
    slot = "intake_phone"


class ActionAskIntakeProvince(_IntakeAsk):
    slot = "intake_province"


class ActionAskIntakeCommune(_IntakeAsk):
    slot = "intake_commune"


class ActionAskIntakeGroup(_IntakeAsk):
    slot = "intake_group"

    def buttons(self) -> list[dict[str, str]]:
        return [{"title": title, "payload": title} for title, _ in group_buttons()]


class ActionAskIntakeTopic(_IntakeAsk):
    slot = "intake_topic"

    def buttons(self) -> list[dict[str, str]]:
        return [{"title": title, "payload": title} for title in INTAKE_TOPIC_TITLES.values()]


class ActionAskIntakeDescription(_IntakeAsk):
    slot = "intake_description"


class ActionAskIntakeConsent(AskAction):
    slot = "intake_consent"

    def question(self, tracker: Tracker) -> str:
        return CONSENT_TEXT

    def buttons(self) -> list[dict[str, str]]:
        return CONSENT_BUTTONS


class ActionAskIntakeConfirm(AskAction):
    slot = "intake_confirm"

    def question(self, tracker: Tracker) -> str:
        return summary(tracker)

    def buttons(self) -> list[dict[str, str]]:
        return CONFIRM_BUTTONS


class ActionIntakeCancel(Action):
    """The citizen stopped the form ("thôi", "hủy"): nothing is kept."""

    def name(self) -> str:
        return "action_intake_cancel"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=CANCELLED)
        return [*reset_events(), SlotSet("requested_slot", None)]


class ActionSubmitLegalAidRequest(ApiAction):
    """Registers the case (or says what else to do without consent); keeps the answers on failure."""

    def name(self) -> str:
        return "action_submit_legal_aid_request"

    def body(self, tracker: Tracker) -> dict[str, Any]:
        commune = tracker.get_slot("intake_commune")
        group = tracker.get_slot("intake_group")
        return {
            "channel": channel_of(tracker.sender_id),
            "full_name": tracker.get_slot("intake_full_name"),
            "phone": tracker.get_slot("intake_phone"),
            "province": tracker.get_slot("intake_province"),
            "commune": clean_commune(commune),
            "eligibility_group": None if group in (None, UNKNOWN_GROUP) else group,
            "topic": topic_from_text(tracker.get_slot("intake_topic")) or OTHER_TOPIC,
            "description": tracker.get_slot("intake_description"),
            "consent": True,
        }

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("intake_consent") is False:
            dispatcher.utter_message(text=NO_CONSENT)
            return [*reset_events(), SlotSet("requested_slot", None)]
        complete = all(tracker.get_slot(s) is not None for s in INTAKE_SLOTS)
        if not complete or tracker.get_slot("intake_consent") is not True:
            code = tracker.get_slot(CASE_CODE_SLOT)
            if code:
                dispatcher.utter_message(text=f"Yêu cầu của bạn đã được gửi, mã hồ sơ: {code}.")
            else:
                dispatcher.utter_message(text=NOTHING_TO_SEND)
            return []
        key = idempotency_key(tracker.sender_id, tracker.get_slot(NONCE_SLOT))
        body = self.body(tracker)
        try:
            receipt = await self.client.submit_case(body, idempotency_key=key)
        except ApiUnavailableError as error:
            log.warning("Case submit failed (api unavailable: %s); answers kept for a retry", error)
            dispatcher.utter_message(text=API_DOWN, buttons=[RETRY_BUTTON])
            return []
        except ApiRejectedError as error:
            log.warning("Case submit refused by the api: %s", error)
            dispatcher.utter_message(text=API_REFUSED, buttons=[RETRY_BUTTON])
            return []
        if not receipt.code:  # a duplicate: the api never gives out another person's code
            log.info("Case submission recorded as a duplicate (province %s)", body["province"])
            dispatcher.utter_message(text=receipt.message or DUPLICATE_RECEIVED)
            return [*reset_events(), SlotSet(CASE_CODE_SLOT, None)]
        log.info("Case %s registered from chat (province %s, created=%s)",
                 receipt.code, body["province"], receipt.created)
        dispatcher.utter_message(
            text=(
                f"Yêu cầu trợ giúp pháp lý của bạn đã được ghi nhận. Mã hồ sơ của bạn: {receipt.code}.\n"
                "Cán bộ Trung tâm trợ giúp pháp lý sẽ xem xét và liên hệ với bạn qua số điện thoại "
                "đã để lại. Bạn hãy ghi lại mã hồ sơ: để xem tình trạng, bạn nhắn \"tra cứu hồ sơ\" "
                "rồi gõ mã hồ sơ và 4 số cuối số điện thoại."
            )
        )
        return [*reset_events(), SlotSet(CASE_CODE_SLOT, receipt.code)]
