"""`POST /api/v1/chat`: the web chat gateway to Rasa's REST channel.

Before a message goes to Rasa the action server must be up: otherwise Rasa would swallow the
failed custom action and answer nothing, and the message (e.g. a phone number asked by the intake
form) would be lost. Action server down → 503 with an apology, the message is not sent; the user
resends it and the form asks for the same slot again. An empty reply is checked once more.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException

from api.clients.action_server import ActionServerDownError, send_when_actions_up
from api.clients.rasa import RasaUnavailableError
from api.deps import ActionServerDep, RasaDep, SettingsDep, StateDep
from api.schemas import BotMessage, Button, ChatRequest, ChatResponse, ErrorResponse

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["chat"])

_STARTING = "Hệ thống đang khởi động (đang nạp mô hình hội thoại). Bạn vui lòng thử lại sau khoảng một phút."
_UNAVAILABLE = "Xin lỗi, trợ lý tạm thời không trả lời được. Bạn vui lòng thử lại sau ít phút."
ACTIONS_DOWN = (
    "Xin lỗi, hệ thống đang tạm gián đoạn nên tôi chưa xử lý được tin nhắn này. Những thông tin bạn "
    "đã cung cấp vẫn được giữ nguyên; bạn vui lòng gửi lại tin nhắn sau ít phút."
)
ACTIONS_DOWN_RETRY_AFTER = "10"


def to_bot_messages(rasa_messages: list[dict]) -> list[BotMessage]:
    """Rasa REST replies → our messages; images and custom payloads are dropped, text kept."""
    messages: list[BotMessage] = []
    for item in rasa_messages:
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in item.get("buttons") or []
        ]
        text = item.get("text") or ""
        if text or buttons:
            messages.append(BotMessage(text=text, buttons=buttons))
    return messages


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
async def chat(
    request: ChatRequest, rasa: RasaDep, actions: ActionServerDep, state: StateDep, settings: SettingsDep
) -> ChatResponse:
    try:
        replies = await send_when_actions_up(rasa, actions, request.sender_id, request.text)
    except ActionServerDownError:
        log.warning("Web chat: action server down, message not handled (503)")
        raise HTTPException(
            status_code=503, detail=ACTIONS_DOWN, headers={"Retry-After": ACTIONS_DOWN_RETRY_AFTER}
        ) from None
    except RasaUnavailableError:
        young = state.uptime() < settings.rasa_startup_grace_seconds
        raise HTTPException(
            status_code=503, detail=_STARTING if young else _UNAVAILABLE, headers={"Retry-After": "15"}
        ) from None
    return ChatResponse(sender_id=request.sender_id, messages=to_bot_messages(replies))
