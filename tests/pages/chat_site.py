"""The web chat page's test site: the real app under uvicorn (tests/harness/app_thread.py) with a scripted
fake Rasa on its httpx transport. `site` (tests/pages/conftest.py) serves one per test module."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from api.core.config import Settings
from api.main import create_app
from tests.harness.app_thread import serve_in_thread

SECRET = "pages-test-web-chat-secret-0123456789abcdef"
CASE_CODE = "TGPL-2026-7KX94Q"  # random codes (knowledge/case_code.py)
LONG_ANSWER = "\n".join(
    ["Có. Hộ nghèo được trợ giúp pháp lý miễn phí theo khoản 2 Điều 7."]
    + [
        f"Đoạn {i}: người thuộc hộ nghèo mang theo giấy tờ chứng minh khi đến Trung tâm."
        for i in range(1, 16)
    ]
    + [
        "Căn cứ: Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018); "
        "Điều 2 Nghị định 144/2017/NĐ-CP (hiệu lực từ 15/12/2017)"
    ]
)
NAME_QUESTION = "Bạn cho tôi biết họ và tên của người cần trợ giúp pháp lý nhé."
PHONE_QUESTION = "Số điện thoại để Trung tâm liên lạc với bạn là gì? (ví dụ: 0912 345 678)"

@dataclass
class ScriptedRasa:
    """Rasa's REST channel and tracker, with answers picked by the message; the action server's
    /health answers too (same transport)."""

    events: dict[str, list[dict]] = field(default_factory=dict)
    received: list[str] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    slow_once: set[str] = field(default_factory=set)

    def replies(self, text: str) -> list[dict]:
        if text == "/request_legal_aid":
            return [{"text": "Tôi có thể giúp bạn gửi yêu cầu trợ giúp pháp lý."}, {"text": NAME_QUESTION}]
        if text == "Nguyễn Văn An":
            return [{"text": PHONE_QUESTION}]
        if text == "dai":
            return [{"text": LONG_ANSWER, "buttons": [{"title": "Xem thêm", "payload": "/show_more"}]}]
        if text == "ma ho so":
            return [
                {
                    "text": f"Yêu cầu của bạn đã được ghi nhận. Mã hồ sơ của bạn: {CASE_CODE}.\n"
                    "Bạn ghi lại mã nhé."
                }
            ]
        return [
            {
                "text": f"Đã nhận: {text}",
                "buttons": [{"title": "Có", "payload": "/co"}, {"title": "Không", "payload": "/khong"}],
            }
        ]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/webhooks/rest/webhook":
            body = json.loads(request.content)
            sender, text = body["sender"], body["message"]
            self.received.append(text)
            self.senders.append(sender)
            if text in self.slow_once:
                self.slow_once.discard(text)
                await asyncio.sleep(4)
            replies = self.replies(text)
            log = self.events.setdefault(sender, [])
            log.append({"event": "user", "text": text, "timestamp": time.time()})
            for reply in replies:
                log.append(
                    {
                        "event": "bot",
                        "text": reply.get("text"),
                        "timestamp": time.time(),
                        "data": {"buttons": reply.get("buttons")},
                    }
                )
            return httpx.Response(200, json=[{"recipient_id": sender, **r} for r in replies])
        if path.startswith("/conversations/") and path.endswith("/tracker"):
            sender = path.split("/")[2]
            return httpx.Response(200, json={"sender_id": sender, "events": self.events.get(sender, [])})
        return httpx.Response(200, text="ok")


@dataclass
class Site:
    url: str
    rasa: ScriptedRasa


@contextmanager
def chat_site(work: Path) -> Iterator[Site]:
    """The app in production mode with the web chat on, its case store in *work*, Rasa scripted."""
    rasa = ScriptedRasa()
    settings = Settings(
        _env_file=None,
        environment="production",
        database_url=f"sqlite:///{work / 'cases.db'}",
        knowledge_data_dir=work / "no-index",
        rasa_urls="http://rasa-a:5005",
        action_server_url="http://actions:5055",
        chat_session_secret=SECRET,
    )
    app = create_app(settings, http=httpx.AsyncClient(transport=httpx.MockTransport(rasa.handle)))
    with serve_in_thread(app, "web chat page") as url:
        yield Site(url, rasa)


def say(page, text: str, *, enter: bool = False, timeout: int = 15_000) -> None:
    """Type *text*, send it (the Gửi button, or Enter), wait for the next answer."""
    before = page.locator("#log .msg.bot").count()
    page.fill("#text", text)
    if enter:
        page.press("#text", "Enter")
    else:
        page.locator("#send").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#log .msg.bot').length > n"
        " && document.getElementById('status').textContent === ''",
        arg=before,
        timeout=timeout,
    )
