"""Tables of the Zalo channel: persisted inbox (dedup), outbox, per-user state and the OA token pair.

They share the declarative `Base` (and so the metadata and naming convention) of the case store;
the schema is owned by the Alembic migration `0002_zalo_channel`.

Privacy: a message text stays in a row only while it is needed (inbox until answered, outbox until
sent); the rows themselves (ids, statuses, times) are kept for dedup and audit, then purged after
`ZALO_RETENTION_DAYS`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.cases.models import Base, UTCDateTime, utcnow

# Inbox: pending → processing → done; a Rasa or action server outage keeps it pending (retried with backoff);
# other errors count attempts and, past the limit, end in "dead".
# Outbox: pending → processing → sent; a failed send → failed (retried at next_attempt_at) → … → dead.
INBOX_PENDING, INBOX_PROCESSING, INBOX_DONE, INBOX_DEAD = "pending", "processing", "done", "dead"
OUTBOX_PENDING, OUTBOX_PROCESSING, OUTBOX_SENT, OUTBOX_FAILED, OUTBOX_DEAD = (
    "pending",
    "processing",
    "sent",
    "failed",
    "dead",
)


class ZaloInbox(Base):
    """One received webhook event worth answering; `dedup_key` (the msg_id) is unique."""

    __tablename__ = "zalo_inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(128), unique=True)
    event_name: Mapped[str] = mapped_column(String(48))
    user_id: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    event_ts: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=INBOX_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_zalo_inbox_status_next_attempt_at", "status", "next_attempt_at"),)


class ZaloOutbox(Base):
    """One text to deliver to a Zalo user, in `id` order per user."""

    __tablename__ = "zalo_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inbox_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OUTBOX_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_zalo_outbox_status_next_attempt_at", "status", "next_attempt_at"),)


class ZaloUser(Base):
    """Per-user conversation state: the buttons offered last, so that "2" maps to a payload."""

    __tablename__ = "zalo_users"

    user_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    offered_buttons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ZaloToken(Base):
    """The OA access/refresh token pair, shared by every api process (refresh tokens are single-use).

    `seed` is a hash of the pair configured in the environment: when an operator configures a new
    pair (e.g. after re-authorising the OA), it replaces the stored one.
    """

    __tablename__ = "zalo_tokens"

    app_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    seed: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
