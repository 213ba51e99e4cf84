"""Security middleware (pure ASGI): request body limit, per-IP rate limit, no-store on case data.

* Body limit: a `Content-Length` above `MAX_REQUEST_BODY_BYTES` is refused with 413 before the
  app runs; a streamed (chunked) body is counted as it is read and refused with 413 as soon as it
  passes the limit.
* Rate limit: `POST /api/v1/chat`, `GET /api/v1/chat/history` (it reads Rasa's tracker, on a
  budget of its own so that reloads do not use up the messages; the welcome, read from domain.yml,
  does not reach Rasa and is not counted), `POST
  /api/v1/cases/status`, `GET /api/v1/search`, `GET /api/v1/answer` and `POST /api/v1/understand`
  count per client IP (the ASGI peer address; behind a reverse proxy run uvicorn with
  `--proxy-headers --forwarded-allow-ips=<proxy>` so it is the real client). Over
  the limit: 429 with a Vietnamese message and `Retry-After`. On the paths the action server
  calls (answer, understand, search, case status) a request carrying the service token (`Authorization:
  Bearer <ACTION_SERVER_TOKEN>`, compared in constant time) is not counted: it is the action
  server asking on behalf of every citizen at once, all from 127.0.0.1, each of whom was already
  counted at the public entry (web chat per IP, Zalo per user). A wrong token is counted like no
  token, and the chat is counted whatever the token.
* `Cache-Control: no-store` on every answer under `/api/v1/cases` and `/api/v1/stats` (JSON, CSV
  and errors), so personal data is never kept by a browser or a shared cache.

`hide_sqlalchemy_rows()` keeps result rows (names, phone numbers) out of the logs even when the
`sqlalchemy.engine` logger is set to DEBUG; the engines already hide SQL parameters.
`quiet_http_client_logs()` keeps httpx and httpcore at WARNING: their INFO line is each request's
URL (Rasa's `?token=`, a search question).
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Iterable

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.core.config import Settings
from api.core.limits import BODY_TOO_LARGE, RATE_LIMITED, SlidingWindowLimiter, retry_after_header

RATE_LIMITED_PATHS = frozenset({
    "/api/v1/chat",
    "/api/v1/chat/history",  # the web chat's conversation so far: a read of Rasa's tracker
    "/api/v1/cases/status",
    "/api/v1/search",
    "/api/v1/answer",
    "/api/v1/understand",
})
# Paths counted on a budget of their own: a page reload reads the history again and must not use up
# the messages a person can send in that minute (nor the other way round).
OWN_BUDGET = {"/api/v1/chat/history": "history"}
# what the action server calls (actions/clients/api_client.py), if the path is rate-limited at all
SERVICE_EXEMPT_PATHS = frozenset(
    {"/api/v1/answer", "/api/v1/understand", "/api/v1/search", "/api/v1/cases/status"}
)
NO_STORE_PREFIXES = ("/api/v1/cases", "/api/v1/stats")


class _NoResultRows(logging.Filter):
    """Drops SQLAlchemy's DEBUG "Row (...)" records: they carry the citizens' data verbatim."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


def hide_sqlalchemy_rows() -> None:
    logger = logging.getLogger("sqlalchemy.engine.Engine")  # the logger of engines without echo
    if not any(isinstance(f, _NoResultRows) for f in logger.filters):
        logger.addFilter(_NoResultRows())


def quiet_http_client_logs() -> None:
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def service_tokens(settings: Settings) -> tuple[str, ...]:
    """The tokens whose requests skip the per-IP limit: ACTION_SERVER_TOKEN, when the case api
    accepts it (strong enough outside development, `env_principals`)."""
    from api.cases.security import env_principals

    return tuple(secret for secret, who in env_principals(settings) if who.name == "env:ACTION_SERVER_TOKEN")


def _bearer(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.partition(b" ")
            return token.strip() if scheme.lower() == b"bearer" else None
    return None


class _BodyTooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing re-raises it and the app answers 413 itself."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=BODY_TOO_LARGE)


async def _send_json(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        ip_limiter: SlidingWindowLimiter,
        service_tokens: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.ip_limiter = ip_limiter
        self.service_tokens = tuple(t.encode() for t in service_tokens if t)

    def _is_service(self, scope: Scope) -> bool:
        token = _bearer(scope)
        if not token or not self.service_tokens:
            return False
        matches = [hmac.compare_digest(token, known) for known in self.service_tokens]
        return any(matches)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        no_store = path.startswith(NO_STORE_PREFIXES)
        extra = {"Cache-Control": "no-store"} if no_store else {}

        limit = self.max_body_bytes
        if limit > 0:
            for name, value in scope.get("headers", ()):
                if name == b"content-length":
                    try:
                        too_large = int(value) > limit
                    except ValueError:
                        too_large = False
                    if too_large:
                        await _send_json(send, 413, BODY_TOO_LARGE, extra | {"Connection": "close"})
                        return

        exempt = path in SERVICE_EXEMPT_PATHS and self._is_service(scope)
        if path in RATE_LIMITED_PATHS and self.ip_limiter.enabled and not exempt:
            client = scope.get("client")
            ip = client[0] if client else "unknown"
            wait = self.ip_limiter.hit(f"{OWN_BUDGET[path]}:{ip}" if path in OWN_BUDGET else ip)
            if wait is not None:
                await _send_json(send, 429, RATE_LIMITED, extra | {"Retry-After": retry_after_header(wait)})
                return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if limit > 0 and message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge()
            return message

        async def marking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if no_store:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                    message = {**message, "headers": [*headers, (b"cache-control", b"no-store")]}
            await send(message)

        try:
            await self.app(scope, counting_receive, marking_send)
        except _BodyTooLarge:
            if started:
                raise
            await _send_json(send, 413, BODY_TOO_LARGE, extra | {"Connection": "close"})
