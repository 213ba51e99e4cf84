"""Answers of `GET /api/v1/chat/welcome` and `GET /api/v1/chat/history` (the web chat page)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from api.schemas import BotMessage, Button, case_code_in


class Hotline(BaseModel):
    name: str
    number: str = Field(description="As it is written, e.g. '1800.1233'")
    tel: str = Field(description="Digits only, for a tel: link")
    free: bool
    hours: str


class WelcomeResponse(BaseModel):
    greeting: list[BotMessage] = Field(
        description="The bot's own greeting (utter_greet), with its topic buttons"
    )
    privacy: str = Field(description="One line on what is stored")
    hotline: Hotline


class HistoryMessage(BaseModel):
    role: Literal["user", "bot"]
    text: str = ""
    buttons: list[Button] = Field(default_factory=list)
    at: datetime = Field(description="When the message was said (UTC)")

    @computed_field(description="The case code a bot's message gives, if any (TGPL-<year>-XXXXXX)")
    @property
    def case_code(self) -> str | None:
        return case_code_in(self.text) if self.role == "bot" else None


class HistoryResponse(BaseModel):
    messages: list[HistoryMessage] = Field(
        default_factory=list, description="Oldest first; empty without a conversation"
    )
    notice: str | None = Field(None, description="Why there is no history (an expired conversation)")
