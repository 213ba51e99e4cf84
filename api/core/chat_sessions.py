"""Web chat conversations: the server issues the id, signed, expiring (issue 11, finding 8).

Whoever holds a web conversation's id can continue it and read what the bot says in it (the
intake summary), so the id is a bearer credential and only the server makes one:

* a conversation id is 128 random bits (`secrets.token_bytes(16)`, base64url, 22 characters);
* the client gets a **token** `c1.<id>.<issued>.<seen>.<mac>`: issue and last-use times (unix
  seconds, hex) and an HMAC-SHA256 over the rest, keyed from `CHAT_SESSION_SECRET`. Any api
  replica with the same secret checks it without shared state; a client-invented or altered token
  fails the MAC;
* a token expires `CHAT_SESSION_IDLE_HOURS` after its last use (each answer carries a refreshed
  token) and `CHAT_SESSION_MAX_HOURS` after the conversation started, whatever its use;
* the Rasa sender id is `web:<id>`: it can never be `zalo:<user>` or any other channel's.

`CHAT_SESSION_SECRET` must be at least 32 characters and not a placeholder outside development
(`ENVIRONMENT=development`); a missing or weak one is refused (logged at start-up) and the web chat
answers 503 rather than issue ids that could be forged. In development without it, a random key
per process is used (conversations then do not survive a restart).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass

from api.core.config import Settings

log = logging.getLogger(__name__)

SENDER_PREFIX = "web:"
COOKIE_NAME = "tgpl_chat"
COOKIE_PATH = "/api/v1/chat"
TOKEN_VERSION = "c1"
MIN_SECRET_CHARS = 32
CLOCK_SKEW_SECONDS = 300  # replicas' clocks may differ a little
_ID_BYTES = 16
_KEY_CONTEXT = b"tgpl web chat conversation token v1"
_TOKEN = re.compile(r"^c1\.([A-Za-z0-9_-]{22})\.([0-9a-f]{1,12})\.([0-9a-f]{1,12})\.([A-Za-z0-9_-]{43})$")
_PLACEHOLDERS = frozenset({
    "changeme", "change-me", "change_me", "secret", "password", "default", "example", "replace-me",
    "todo", "your-secret-here",
})


class ChatSessionError(Exception):
    """The token is not one this server issued (`reason="invalid"`) or it ran out (`"expired"`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ChatSession:
    id: str
    issued_at: int
    seen_at: int

    @property
    def sender_id(self) -> str:
        """The Rasa conversation this web conversation writes into."""
        return SENDER_PREFIX + self.id


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def secret_problem(value: str) -> str | None:
    """Why *value* may not sign conversation ids outside development, or None."""
    stripped = value.strip()
    lowered = stripped.lower()
    if lowered in _PLACEHOLDERS or lowered.startswith("dev-only") or len(set(stripped)) <= 4:
        return "giá trị mẫu (placeholder)"
    if len(stripped) < MIN_SECRET_CHARS:
        return f"ngắn hơn {MIN_SECRET_CHARS} ký tự"
    return None


@dataclass(frozen=True)
class ChatSessions:
    """Issues and checks conversation tokens; every method takes *now* (unix seconds) for tests."""

    key: bytes
    idle_seconds: int
    max_seconds: int

    @classmethod
    def from_secret(cls, secret: str, *, idle_hours: float, max_hours: float) -> ChatSessions:
        key = hmac.new(secret.encode("utf-8"), _KEY_CONTEXT, hashlib.sha256).digest()
        return cls(key=key, idle_seconds=int(idle_hours * 3600), max_seconds=int(max_hours * 3600))

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self.key, payload.encode("ascii"), hashlib.sha256).digest())

    def new(self, now: float | None = None) -> ChatSession:
        stamp = int(time.time() if now is None else now)
        return ChatSession(id=_b64(secrets.token_bytes(_ID_BYTES)), issued_at=stamp, seen_at=stamp)

    def touch(self, session: ChatSession, now: float | None = None) -> ChatSession:
        stamp = int(time.time() if now is None else now)
        return ChatSession(id=session.id, issued_at=session.issued_at, seen_at=max(stamp, session.seen_at))

    def token(self, session: ChatSession) -> str:
        payload = f"{TOKEN_VERSION}.{session.id}.{session.issued_at:x}.{session.seen_at:x}"
        return f"{payload}.{self._mac(payload)}"

    def verify(self, token: str, now: float | None = None) -> ChatSession:
        """The session *token* stands for; `ChatSessionError` when forged, malformed or expired."""
        match = _TOKEN.match(token.strip())
        if match is None:
            raise ChatSessionError("invalid")
        conversation, issued_hex, seen_hex, mac = match.groups()
        payload = token.strip().rsplit(".", 1)[0]
        if not hmac.compare_digest(self._mac(payload), mac):
            raise ChatSessionError("invalid")
        issued, seen = int(issued_hex, 16), int(seen_hex, 16)
        current = time.time() if now is None else now
        if seen < issued or issued > current + CLOCK_SKEW_SECONDS:
            raise ChatSessionError("invalid")
        if current - seen > self.idle_seconds or current - issued > self.max_seconds:
            raise ChatSessionError("expired")
        return ChatSession(id=conversation, issued_at=issued, seen_at=seen)

    def max_age(self, session: ChatSession, now: float | None = None) -> int:
        """Seconds the refreshed *session* stays valid: the cookie's Max-Age."""
        current = int(time.time() if now is None else now)
        return max(0, min(self.idle_seconds, session.issued_at + self.max_seconds - current))


def chat_sessions_from_settings(settings: Settings, *, report: bool = False) -> ChatSessions | None:
    """The app's token issuer, or None when the secret is refused (the web chat then answers 503).

    With *report* (once, at start-up) a refused or weak secret is logged, never its value.
    """
    configured = settings.chat_session_secret
    value = configured.get_secret_value().strip() if configured is not None else ""
    development = settings.environment == "development"
    if not value:
        if not development:
            if report:
                log.error("CHAT_SESSION_SECRET is not set: the web chat is off (503) until it is")
            return None
        if report:
            log.warning("CHAT_SESSION_SECRET is not set: a random key for this process (development only)")
        value = secrets.token_urlsafe(32)
    else:
        problem = secret_problem(value)
        if problem and not development:
            if report:
                log.error("CHAT_SESSION_SECRET refused (%s): the web chat is off (503)", problem)
            return None
        if problem and report:
            log.warning("CHAT_SESSION_SECRET is weak (%s), accepted in development only", problem)
    return ChatSessions.from_secret(
        value, idle_hours=settings.chat_session_idle_hours, max_hours=settings.chat_session_max_hours
    )
