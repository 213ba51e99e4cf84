"""The web chat page (`/`) in Chromium against the real app with a fake Rasa (issue 11, findings 8, 10).

* The page invents no conversation id: the server's HttpOnly cookie carries it (the script cannot
  read it), and every message of the page is in the same Rasa conversation `web:<id>`.
* A forged or expired conversation: the page shows the server's message, keeps the unsent text in
  the input, and the next message starts a new conversation by itself.
* Under the page's CSP nothing is blocked (no inline script or style left).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from api.core.chat_sessions import COOKIE_NAME
from api.core.config import Settings
from api.main import create_app

SECRET = "pages-test-chat-session-secret-0123456789"


@dataclass
class FakeRasa:
    senders: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/webhooks/rest/webhook":
            body = json.loads(request.content)
            self.senders.append(body["sender"])
            reply = {"recipient_id": body["sender"], "text": f"Đã nhận: {body['message']}"}
            return httpx.Response(200, json=[reply])
        if request.url.path.endswith("/tracker"):  # the page reads the conversation so far on load
            return httpx.Response(200, json={"events": []})
        return httpx.Response(200, text="ok")


@dataclass
class Site:
    url: str
    rasa: FakeRasa


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    import uvicorn

    work: Path = tmp_path_factory.mktemp("web-chat")
    rasa = FakeRasa()
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
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-chat-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail("uvicorn did not start for the web chat page tests")
    try:
        yield Site(f"http://127.0.0.1:{port}", rasa)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _say(page, text: str) -> None:
    before = page.locator("#log .msg.bot").count()
    page.fill("#text", text)
    page.press("#text", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#log .msg.bot').length > n"
        " && document.getElementById('status').textContent === ''",
        arg=before,
        timeout=15_000,
    )


def test_the_page_keeps_one_server_issued_conversation_and_recovers_from_a_forged_one(browser, site: Site):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    def on_console(message) -> None:  # a CSP violation is reported as a console error "Refused to …"
        if message.type == "error" and ("Refused" in message.text or "Content Security" in message.text):
            problems.append(message.text)

    page.on("console", on_console)
    try:
        page.goto(f"{site.url}/")
        page.wait_for_selector("#log .msg.bot")
        _say(page, "xin chao")
        _say(page, "toi can tro giup phap ly")
        first, second = site.rasa.senders[-2:]
        assert first == second and first.startswith("web:")
        cookie = next(c for c in context.cookies() if c["name"] == COOKIE_NAME)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert COOKIE_NAME not in page.evaluate("document.cookie")  # the script cannot read the id
        assert page.evaluate("localStorage.length") == 0  # nor did it store one of its own

        # someone plants a forged conversation id: refused, the text stays in the box
        context.add_cookies([{**cookie, "value": "c1.forged-by-someone"}])
        count = len(site.rasa.senders)
        _say(page, "0912345678")
        assert "không hợp lệ" in page.locator("#log .msg.bot").last.text_content()
        assert page.input_value("#text") == "0912345678"
        assert len(site.rasa.senders) == count  # nothing reached Rasa
        page.press("#text", "Enter")  # sent again: a new conversation of the server's making
        page.wait_for_function("() => document.getElementById('status').textContent === ''")
        page.wait_for_function(
            "() => [...document.querySelectorAll('#log .msg.bot')]"
            ".some(m => m.textContent.includes('0912345678'))"
        )
        assert site.rasa.senders[-1].startswith("web:") and site.rasa.senders[-1] != first
        assert problems == [], problems  # no CSP violation, no script error
        styled = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
        assert styled == "rgb(11, 79, 156)"  # chat.css was allowed and applied
    finally:
        context.close()
