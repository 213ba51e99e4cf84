"""Grassroots mediation guidance (Luật Hòa giải ở cơ sở số 35/2013/QH13), from the knowledge cards
through the api, tailored to the dispute the person describes."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_action import ApiAction
from actions.clients.api_client import ApiUnavailableError
from actions.common import REQUEST_BUTTON, latest_text
from knowledge.text import fold

log = logging.getLogger(__name__)

GENERIC_QUESTION = "Hòa giải ở cơ sở là gì?"
LAW = "Luật Hòa giải ở cơ sở số 35/2013/QH13"
# Wording from knowledge/cards/mediation (hgcs-tu-nguyen-va-nguyen-tac, hgcs-chi-phi-hoa-giai,
# hgcs-khi-nao-bat-dau).
SUMMARY = (
    "Tóm tắt: hòa giải ở cơ sở là tự nguyện, không được bắt buộc, áp đặt. Nhà nước hỗ trợ kinh "
    "phí cho hòa giải ở cơ sở; luật không quy định các bên phải nộp phí hay trả công cho hòa giải "
    "viên. Muốn hòa giải, bạn chỉ cần báo hòa giải viên, tổ trưởng tổ hòa giải hoặc trưởng thôn "
    f"(Điều 4, Điều 6, Điều 16 {LAW})."
)
FOLLOW_UP_BUTTONS = [
    {"title": "Việc nào không được hòa giải?", "payload": "Việc gì thì không được hòa giải ở cơ sở?"},
    {"title": "Hòa giải không thành thì sao?", "payload": "Hòa giải không thành thì làm gì tiếp?"},
    REQUEST_BUTTON,
]
_CAN_MEDIATE = (
    "là mâu thuẫn, tranh chấp giữa người dân với nhau nên có thể nhờ tổ hòa giải ở thôn, tổ dân phố "
    "giúp hai bên tự thỏa thuận. Hòa giải viên phải khách quan, giữ bí mật đời tư, và hòa giải không "
    "được dùng để ngăn bạn bảo vệ quyền lợi theo pháp luật (Điều 4)."
)
# (pattern on folded text, tailored sentence); the first match wins.
_VIOLENCE = (
    r"\b(?:danh(?! sach| gia| ba| dau| thue)|gay thuong tich|trom|cuop|lua dao|bao luc|dam chem)\b"
)
_FAMILY = (
    r"\b(?:vo chong(?: \w+)? (?:cai|mau thuan|xich mich)|mau thuan (?:trong )?gia dinh|me chong"
    r"|nang dau|ly hon|anh em(?: \w+)? (?:tranh chap|cai nhau|mau thuan))"
)
_DEBT = r"\b(?:no tien|vay tien|muon tien|doi tien|doi no|tra no|no nan|quit no)\b"
_INHERITANCE = r"\b(?:thua ke|di chuc|chia tai san)\b"
_LAND = r"\b(?:ranh gioi|lan dat|lan chiem|tranh chap dat|bo rao|loi di|xay lan)\b"
DISPUTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(_VIOLENCE),
        "Nếu có hành vi đánh người gây thương tích, trộm cắp, lừa đảo hay bạo lực phải bị xử lý về tội "
        "hoặc bị xử phạt vi phạm hành chính thì không hòa giải ở cơ sở; những việc này phải báo công an "
        f"hoặc Ủy ban nhân dân xã (Điều 3 {LAW}).",
    ),
    (re.compile(_INHERITANCE), "Chuyện chia thừa kế trong gia đình " + _CAN_MEDIATE),
    (re.compile(_DEBT), "Chuyện vay mượn, nợ nần " + _CAN_MEDIATE),
    (re.compile(_LAND), "Tranh chấp đất, ranh giới với hàng xóm " + _CAN_MEDIATE),
    (
        re.compile(_FAMILY),
        "Mâu thuẫn trong gia đình " + _CAN_MEDIATE
        + " Riêng những vi phạm về hôn nhân gia đình mà luật tố tụng dân sự không cho hòa giải thì "
        "không hòa giải ở cơ sở (Điều 3).",
    ),
    (re.compile(r"\bhang xom\b"), "Mâu thuẫn với hàng xóm " + _CAN_MEDIATE),
)


def tailored(text: str) -> str | None:
    folded = fold(text)
    for pattern, sentence in DISPUTES:
        if pattern.search(folded):
            return sentence
    return None


class ActionMediationGuidance(ApiAction):
    """Answer from the mediation cards, a sentence about the person's own dispute, a short summary."""

    def name(self) -> str:
        return "action_mediation_guidance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        question = GENERIC_QUESTION if not text.strip() or text.startswith("/") else text
        try:
            answer = await self.client.answer(question)
            if answer.text:
                dispatcher.utter_message(text=answer.text)
        except ApiUnavailableError as error:
            log.warning("Mediation answer unavailable: %s", error)
        own = tailored(question)
        if own:
            dispatcher.utter_message(text=own)
        dispatcher.utter_message(text=SUMMARY, buttons=FOLLOW_UP_BUTTONS)
        return []
