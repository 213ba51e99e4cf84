"""The web chat page (`/`) in Chromium against the real app with a fake Rasa (issue 11, findings 8, 10).

* The page invents no conversation id: the server's HttpOnly cookie carries it (the script cannot
  read it), and every message of the page is in the same Rasa conversation `web:<id>`.
* A forged or expired conversation: the page shows the server's message, keeps the unsent text in
  the input, and the next message starts a new conversation by itself.
* Under the page's CSP nothing is blocked (no inline script or style left).
"""

from __future__ import annotations

from api.core.chat_sessions import COOKIE_NAME
from tests.pages.chat_site import Site, say


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
        say(page, "xin chao", enter=True)
        say(page, "toi can tro giup phap ly", enter=True)
        first, second = site.rasa.senders[-2:]
        assert first == second and first.startswith("web:")
        cookie = next(c for c in context.cookies() if c["name"] == COOKIE_NAME)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert COOKIE_NAME not in page.evaluate("document.cookie")  # the script cannot read the id
        assert page.evaluate("localStorage.length") == 0  # nor did it store one of its own

        # someone plants a forged conversation id: refused, the text stays in the box
        context.add_cookies([{**cookie, "value": "c1.forged-by-someone"}])
        count = len(site.rasa.senders)
        say(page, "0912345678", enter=True)
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
