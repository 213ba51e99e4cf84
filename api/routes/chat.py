"""`POST /api/v1/chat`: the web chat gateway to Rasa's REST channel."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from api.clients.rasa import RasaUnavailableError
from api.deps import RasaDep, SettingsDep, StateDep
from api.schemas import BotMessage, Button, ChatRequest, ChatResponse, ErrorResponse

router = APIRouter(prefix="/api/v1", tags=["chat"])

_STARTING = "Hệ thống đang khởi động (đang nạp mô hình hội thoại). Bạn vui lòng thử lại sau khoảng một phút."
_UNAVAILABLE = "Xin lỗi, trợ lý tạm thời không trả lời được. Bạn vui lòng thử lại sau ít phút."


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
async def chat(request: ChatRequest, rasa: RasaDep, state: StateDep, settings: SettingsDep) -> ChatResponse:
    try:
        replies = await rasa.send(request.sender_id, request.text)
    except RasaUnavailableError:
        young = state.uptime() < settings.rasa_startup_grace_seconds
        raise HTTPException(
            status_code=503, detail=_STARTING if young else _UNAVAILABLE, headers={"Retry-After": "15"}
        ) from None
    return ChatResponse(sender_id=request.sender_id, messages=to_bot_messages(replies))
