"""The web chat page (`/`) in headless Chromium on a phone, against the whole running system
(fixture `system`: real Rasa, action server and api under honcho).

Chromium is Debian's /usr/bin/chromium driven by Playwright (never `playwright install`); when it
is missing the test FAILS and says how to fix it.

Run: `source scripts/common.sh && .venv/bin/python -m pytest tests/e2e/test_web_chat_browser.py -q`.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
SCREENSHOT = "/tmp/webchat.png"
BOT_TIMEOUT_MS = 60_000  # the first answers of a freshly started Rasa can be slow
XSS = "<img src=x onerror=alert(1)>"


def _bot_texts(page) -> list[str]:
    return page.eval_on_selector_all("#log .msg.bot", "ms => ms.map(m => m.textContent)")


def _wait_for_reply(page, bots_before: int) -> list[str]:
    """Wait until the request is over (status line cleared) and at least one new bot message shows."""
    page.wait_for_function(
        "n => document.querySelectorAll('#log .msg.bot').length > n"
        " && document.getElementById('status').textContent === ''",
        arg=bots_before, timeout=BOT_TIMEOUT_MS,
    )
    return _bot_texts(page)[bots_before:]


def _say(page, text: str) -> list[str]:
    before = len(_bot_texts(page))
    page.fill("#text", text)
    page.press("#text", "Enter")
    return _wait_for_reply(page, before)


def test_web_chat_on_a_phone(system, browser) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []
    errors: list[str] = []
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{system}/")
        expect(page.locator("#log .msg.bot").first).to_contain_text("Xin chào")

        # greeting: Vietnamese text and the topic chips of utter_greet
        greeting = " ".join(_say(page, "xin chao"))
        assert "trợ giúp pháp lý" in greeting, greeting
        chips = page.locator("#log .chips button")
        expect(chips.first).to_be_visible()
        titles = chips.all_inner_texts()
        assert "Chuẩn nghèo" in titles, titles

        # tapping a chip sends its payload, shows its title as the user's message, and is answered
        before = len(_bot_texts(page))
        page.locator("#log .chips button", has_text="Chuẩn nghèo").last.tap()
        expect(page.locator("#log .msg.user").last).to_have_text("Chuẩn nghèo")
        poverty = " ".join(_wait_for_reply(page, before))
        assert "nghèo" in poverty.lower(), poverty

        # a short eligibility question without diacritics: the knowledge answer citing Article 7, then
        # the eligibility screening starts with its first question (the topic, as chips); a longer
        # story goes to the understanding instead (tests/e2e/test_story_questions.py)
        chip_boxes = page.locator("#log .chips").count()
        answer = "\n".join(_say(page, "nha toi ho ngheo co duoc tro giup phap ly ko"))
        assert "Điều 7" in answer and "11/2017/QH14" in answer, answer
        assert "Việc bạn cần giúp thuộc loại nào?" in answer, answer
        expect(page.locator("#log .chips")).to_have_count(chip_boxes + 1)
        expect(page.locator("#log .chips").last.locator("button", has_text="Đất đai")).to_be_visible()

        # markup typed by the user is echoed as text, never run (the form asks again: not an answer)
        again = "\n".join(_say(page, XSS))
        assert "Việc bạn cần giúp thuộc loại nào?" in again, again
        expect(page.locator("#log .msg.user").last).to_have_text(XSS)
        assert page.locator("#log img").count() == 0
        page.wait_for_timeout(300)  # an onerror handler would have fired by now
        assert dialogs == [], dialogs
        assert errors == [], errors

        # readable on a phone: no sideways scrolling, large enough type
        layout = page.evaluate(
            """() => ({
                scroll: document.documentElement.scrollWidth, width: window.innerWidth,
                body: parseFloat(getComputedStyle(document.body).fontSize),
                input: parseFloat(getComputedStyle(document.getElementById('text')).fontSize),
                bot: parseFloat(getComputedStyle(document.querySelector('#log .msg.bot')).fontSize),
                chip: parseFloat(getComputedStyle(document.querySelector('#log .chips button')).fontSize),
            })"""
        )
        assert layout["scroll"] <= layout["width"], layout
        assert layout["body"] >= 16 and layout["bot"] >= 16, layout
        assert layout["input"] >= 16, layout  # below 16px iOS zooms into the field on focus
        assert layout["chip"] >= 16, layout
        page.locator("#log .msg.user").last.evaluate("m => m.scrollIntoView({block: 'start'})")
        page.screenshot(path=SCREENSHOT, full_page=True)
    finally:
        context.close()
