"""`POST /api/v1/chat`: the web chat gateway to Rasa's REST channel.

Before a message goes to Rasa the action server must be up: otherwise Rasa would swallow the
failed custom action and answer nothing, and the message (e.g. a phone number asked by the intake
form) would be lost. Action server down → 503 with an apology, the message is not sent; the user
resends it and the form asks for the same slot again. An empty reply is checked once more.

The conversation id is issued by the server (api/core/chat_sessions.py): a message without one
starts a new conversation; the answer carries the signed, expiring token as `conversation_id` and
as the HttpOnly cookie `tgpl_chat`; a forged, invented or expired one is a 401 (the cookie is
cleared, the web page then starts anew and keeps the unsent text). Rasa hears `web:<id>`.

For the page (issue 14): `GET /api/v1/chat/welcome` gives the first screen (the bot's own
greeting `utter_greet`, a privacy line, the national hotline) and `GET /api/v1/chat/history` the
messages of the cookie's conversation with their times, from Rasa's tracker, so that a reload in
the middle of a form shows where the person is (api/webchat/).

The web chat page (`/`, `/chat/static/…`) is served here with the staff pages' strict headers:
no inline script or style, `frame-ancestors 'none'`, nosniff, no referrer (api/core/headers.py);
its Permissions-Policy lets this origin (only) use the microphone, for the browser's own speech
recognition (voice input).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import FileResponse

from api.clients.action_server import ActionServerDownError, send_when_actions_up
from api.clients.rasa import RasaUnavailableError
from api.core.chat_sessions import COOKIE_NAME, COOKIE_PATH, ChatSession, ChatSessionError, ChatSessions
from api.core.config import Settings
from api.core.headers import PAGE_SECURITY_HEADERS
from api.deps import ActionServerDep, RasaDep, SettingsDep, StateDep
from api.routes.pages import asset_file
from api.schemas import BotMessage, Button, ChatRequest, ChatResponse, ErrorResponse
from api.webchat.history import fetch_events, history_from_events
from api.webchat.schemas import HistoryResponse, WelcomeResponse
from api.webchat.welcome import greeting, welcome

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["chat"])
page_router = APIRouter(include_in_schema=False)
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
# The only files of the page, with their media types (no directory listing, no guessing).
PAGE_ASSETS: dict[str, str] = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
}
# Voice input uses the browser's speech recognition, which needs the microphone of this origin.
CHAT_PAGE_HEADERS: dict[str, str] = PAGE_SECURITY_HEADERS | {
    "Permissions-Policy": "camera=(), microphone=(self), geolocation=(), payment=()",
}
HISTORY_UNAVAILABLE = (
    "Chưa tải lại được các tin nhắn trước. Cuộc trò chuyện của bạn vẫn được giữ; bạn cứ nhắn tiếp."
)
_NEW_CONVERSATION = "Bạn cứ hỏi tiếp, một cuộc trò chuyện mới sẽ bắt đầu."
HISTORY_ENDED = {  # on opening the page: nothing to resend, a new conversation starts
    "expired": f"Cuộc trò chuyện trước đã hết hạn nên không hiện lại được. {_NEW_CONVERSATION}",
    "invalid": f"Không mở lại được cuộc trò chuyện trước. {_NEW_CONVERSATION}",
}
PERSONAL = {"Cache-Control": "no-store"}

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


SESSION_INVALID = (
    "Mã cuộc trò chuyện không hợp lệ. Một cuộc trò chuyện mới sẽ được bắt đầu; bạn vui lòng gửi lại tin nhắn."
)
SESSION_EXPIRED = (
    "Cuộc trò chuyện trước đã hết hạn. Một cuộc trò chuyện mới sẽ được bắt đầu; "
    "bạn vui lòng gửi lại tin nhắn."
)
WEB_CHAT_OFF = (
    "Xin lỗi, kênh trò chuyện trên web chưa được cấu hình xong. Bạn vui lòng liên hệ qua Zalo hoặc tổng đài."
)


def get_chat_sessions(request: Request) -> ChatSessions | None:
    return getattr(request.app.state, "chat_sessions", None)


ChatSessionsDep = Annotated[ChatSessions | None, Depends(get_chat_sessions)]


def session_cookie(settings: Settings, sessions: ChatSessions, session: ChatSession) -> str:
    """`Set-Cookie` value carrying the refreshed token: HttpOnly, SameSite=Strict, Secure over https."""
    secure = "; Secure" if settings.public_url.lower().startswith("https://") else ""
    return (
        f"{COOKIE_NAME}={sessions.token(session)}; Max-Age={sessions.max_age(session)}; Path={COOKIE_PATH}"
        f"; HttpOnly; SameSite=Strict{secure}"
    )


def _expired_cookie(settings: Settings) -> str:
    secure = "; Secure" if settings.public_url.lower().startswith("https://") else ""
    return f"{COOKIE_NAME}=; Max-Age=0; Path={COOKIE_PATH}; HttpOnly; SameSite=Strict{secure}"


def _session(body: ChatRequest, http: Request, sessions: ChatSessions, settings: Settings) -> ChatSession:
    """The conversation of this message: the token in the body, else the cookie, else a new one."""
    token = body.conversation_id or http.cookies.get(COOKIE_NAME)
    if not token:
        return sessions.new()
    try:
        return sessions.touch(sessions.verify(token))
    except ChatSessionError as error:
        log.info("Web chat: %s conversation token refused (401)", error.reason)
        raise HTTPException(
            status_code=401,
            detail=SESSION_EXPIRED if error.reason == "expired" else SESSION_INVALID,
            headers={"Set-Cookie": _expired_cookie(settings)},
        ) from None


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        401: {"model": ErrorResponse, "description": "conversation_id forged, invented or expired"},
        422: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def chat(
    body: ChatRequest,
    http: Request,
    response: Response,
    rasa: RasaDep,
    actions: ActionServerDep,
    state: StateDep,
    settings: SettingsDep,
    sessions: ChatSessionsDep,
) -> ChatResponse:
    """One message of a web conversation. Without `conversation_id` (and without the cookie) a new
    conversation starts; the answer's `conversation_id` (also set as the HttpOnly cookie) continues it."""
    if sessions is None:
        raise HTTPException(status_code=503, detail=WEB_CHAT_OFF, headers={"Retry-After": "3600"})
    session = _session(body, http, sessions, settings)
    cookie = {"Set-Cookie": session_cookie(settings, sessions, session)}
    try:
        replies = await send_when_actions_up(rasa, actions, session.sender_id, body.text)
    except ActionServerDownError:
        log.warning("Web chat: action server down, message not handled (503)")
        raise HTTPException(
            status_code=503, detail=ACTIONS_DOWN, headers={"Retry-After": ACTIONS_DOWN_RETRY_AFTER} | cookie
        ) from None
    except RasaUnavailableError:
        young = state.uptime() < settings.rasa_startup_grace_seconds
        raise HTTPException(
            status_code=503,
            detail=_STARTING if young else _UNAVAILABLE,
            headers={"Retry-After": "15"} | cookie,
        ) from None
    response.headers.update(cookie)
    return ChatResponse(conversation_id=sessions.token(session), messages=to_bot_messages(replies))


@router.get("/chat/welcome", response_model=WelcomeResponse)
def chat_welcome() -> WelcomeResponse:
    """The first screen of the web chat: the bot's greeting with its topics, privacy, hotline."""
    return welcome()


@router.get(
    "/chat/history",
    response_model=HistoryResponse,
    responses={503: {"model": ErrorResponse, "description": "Rasa did not give the conversation"}},
)
async def chat_history(
    http: Request, response: Response, rasa: RasaDep, settings: SettingsDep, sessions: ChatSessionsDep
) -> HistoryResponse:
    """The messages of the conversation in the `tgpl_chat` cookie, oldest first, with their times.
    No cookie: none. An expired or forged one: none, a notice, and the cookie is cleared."""
    response.headers.update(PERSONAL)
    if sessions is None:
        raise HTTPException(status_code=503, detail=WEB_CHAT_OFF, headers={"Retry-After": "3600"})
    token = http.cookies.get(COOKIE_NAME)
    if not token:
        return HistoryResponse()
    try:
        session = sessions.verify(token)
    except ChatSessionError as error:
        response.headers["Set-Cookie"] = _expired_cookie(settings)
        return HistoryResponse(notice=HISTORY_ENDED.get(error.reason, HISTORY_ENDED["invalid"]))
    try:
        events = await fetch_events(rasa, session.sender_id)
    except RasaUnavailableError:
        raise HTTPException(
            status_code=503, detail=HISTORY_UNAVAILABLE, headers={"Retry-After": "15"} | PERSONAL
        ) from None
    first_screen = [button for message in greeting() for button in message.buttons]
    return HistoryResponse(messages=history_from_events(events, first_screen))


# ---------- the web chat page (/) ----------


@page_router.get("/")
def web_chat() -> FileResponse:
    return FileResponse(
        STATIC_DIR / "chat.html", media_type="text/html; charset=utf-8", headers=CHAT_PAGE_HEADERS
    )


@page_router.get("/chat/static/{name}")
def web_chat_asset(name: str) -> FileResponse:
    return asset_file(STATIC_DIR, name, PAGE_ASSETS, CHAT_PAGE_HEADERS)
