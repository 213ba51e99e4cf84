"""Zalo webhook events. Ids are large integers: they are always kept as strings."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.text import nfc

TEXT_EVENT = "user_send_text"
FOLLOW_EVENT = "follow"
SILENT_EVENTS = {"unfollow", "user_received_message", "user_seen_message", "oa_send_text"}


class ZaloParty(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str = ""

    @field_validator("id", mode="before")
    @classmethod
    def _as_string(cls, value: Any) -> str:
        return "" if value is None else str(value)


class ZaloMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str = ""
    msg_id: str = ""

    @field_validator("text", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> str:
        return nfc(str(value)) if value is not None else ""

    @field_validator("msg_id", mode="before")
    @classmethod
    def _as_string(cls, value: Any) -> str:
        return "" if value is None else str(value)


class ZaloEvent(BaseModel):
    model_config = ConfigDict(extra="allow")
    app_id: str = ""
    event_name: str
    sender: ZaloParty = Field(default_factory=ZaloParty)
    recipient: ZaloParty = Field(default_factory=ZaloParty)
    follower: ZaloParty | None = None
    message: ZaloMessage | None = None
    timestamp: str = ""

    @field_validator("app_id", "timestamp", mode="before")
    @classmethod
    def _as_string(cls, value: Any) -> str:
        return "" if value is None else str(value)

    @property
    def user_id(self) -> str:
        """The citizen: the sender, or the follower for follow/unfollow events."""
        if self.follower is not None and self.follower.id:
            return self.follower.id
        return self.sender.id

    @property
    def dedup_key(self) -> str:
        """`msg_id` when the event has one, else a key built from the event itself."""
        if self.message is not None and self.message.msg_id:
            return self.message.msg_id
        return f"{self.event_name}:{self.user_id}:{self.timestamp}"
