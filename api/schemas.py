"""Request and response models at the edge of the api. Incoming text is `UserText`: NFC-normalised,
lone surrogates refused (api/core/text.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field, field_validator, model_validator

from api.core.text import UserText
from knowledge.vocabulary import CODE_PATTERN, is_valid_code

MAX_MESSAGE_CHARS = 2000
MAX_TOKEN_CHARS = 256
CLIENT_SENDER_REFUSED = (
    "Mã cuộc trò chuyện do máy chủ cấp, không nhận sender_id do ứng dụng tự đặt. Bạn hãy gửi tin nhắn "
    "không kèm mã để bắt đầu cuộc trò chuyện mới, rồi gửi lại conversation_id mà máy chủ trả về."
)


class Button(BaseModel):
    title: str
    payload: str


def case_code_in(text: str) -> str | None:
    """The case code a bot's message gives ("… Mã hồ sơ của bạn: TGPL-2026-K7QM4X."), in the one
    format of knowledge.vocabulary: the web chat shows it in a box with a copy button."""
    for match in CODE_PATTERN.finditer(text):
        if is_valid_code(match.group()):
            return match.group()
    return None


class BotMessage(BaseModel):
    text: str = ""
    buttons: list[Button] = Field(default_factory=list)

    @computed_field(description="The case code the text gives, if any (TGPL-<year>-XXXXXX)")
    @property
    def case_code(self) -> str | None:
        return case_code_in(self.text)


class ChatRequest(BaseModel):
    text: UserText = Field(description="What the citizen typed, at most 2000 characters")
    conversation_id: str | None = Field(
        None,
        max_length=MAX_TOKEN_CHARS,
        description="The conversation_id of the previous answer (or the tgpl_chat cookie); "
        "none = a new conversation. Only the server issues it; it expires.",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_client_sender(cls, data: Any) -> Any:
        if isinstance(data, dict) and "sender_id" in data:  # the old api: an id the client invented
            raise ValueError(CLIENT_SENDER_REFUSED)
        return data

    @field_validator("text")
    @classmethod
    def _check_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Tin nhắn đang trống. Bạn hãy nhập câu hỏi.")
        if len(value) > MAX_MESSAGE_CHARS:
            raise ValueError(f"Tin nhắn quá dài (tối đa {MAX_MESSAGE_CHARS} ký tự). Bạn hãy viết ngắn hơn.")
        return value


class ChatResponse(BaseModel):
    conversation_id: str = Field(
        description="Send it back with the next message (or keep the cookie); refreshed on every answer"
    )
    messages: list[BotMessage]


ComponentState = Literal["ok", "starting", "down", "missing"]


class HealthResponse(BaseModel):
    status: Literal["ok", "starting", "degraded"]
    components: dict[str, ComponentState]


class ErrorResponse(BaseModel):
    detail: str
