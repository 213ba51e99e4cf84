"""Request and response models at the edge of the api. All incoming text is NFC-normalised."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from knowledge.text import nfc

MAX_MESSAGE_CHARS = 2000
# Conversations of other channels: the web chat may not write into them.
RESERVED_SENDER_PREFIXES = ("zalo:", "hotline:")


class Button(BaseModel):
    title: str
    payload: str


class BotMessage(BaseModel):
    text: str = ""
    buttons: list[Button] = Field(default_factory=list)


class ChatRequest(BaseModel):
    sender_id: str = Field(min_length=1, max_length=128, description="Opaque id of the conversation")
    text: str = Field(description="What the citizen typed, at most 2000 characters")

    @field_validator("sender_id", "text", mode="before")
    @classmethod
    def _to_nfc(cls, value: object) -> object:
        return nfc(value) if isinstance(value, str) else value

    @field_validator("sender_id")
    @classmethod
    def _check_sender(cls, value: str) -> str:
        if value.lower().startswith(RESERVED_SENDER_PREFIXES):
            raise ValueError("Mã người gửi này dành cho kênh khác (Zalo, tổng đài).")
        return value

    @field_validator("text")
    @classmethod
    def _check_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Tin nhắn đang trống. Bạn hãy nhập câu hỏi.")
        if len(value) > MAX_MESSAGE_CHARS:
            raise ValueError(f"Tin nhắn quá dài (tối đa {MAX_MESSAGE_CHARS} ký tự). Bạn hãy viết ngắn hơn.")
        return value


class ChatResponse(BaseModel):
    sender_id: str
    messages: list[BotMessage]


ComponentState = Literal["ok", "starting", "down", "missing"]


class HealthResponse(BaseModel):
    status: Literal["ok", "starting", "degraded"]
    components: dict[str, ComponentState]


class ErrorResponse(BaseModel):
    detail: str
