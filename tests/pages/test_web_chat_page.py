"""The citizen web chat (`/`) on phones, in Chromium, against the real app and a scripted fake Rasa
(issue 14, items 1–5; the whole system: tests/e2e/test_web_chat_browser.py).

* 320, 360 and 412 px, portrait and landscape, at 100 % and 200 % text: "Gửi" is on screen and not
  covered, nothing scrolls sideways, and a long answer opens at its start (not its end).
* The first screen is the server's greeting with its six topic chips, a privacy line and the
  national hotline; axe-core finds no violation on it, nor after a conversation.
* A reload in the middle of the intake form shows the conversation with the server's times and
  the question the form is at; the chips of answered turns are disabled.
* No double sends; a 15 s timeout with "Thử lại"; errors styled as errors; the case code in a box
  with a copy button; "Căn cứ" as a short line that opens the full reference.
* "Nghe" where the browser has a Vietnamese voice (and not without one); "Nói" where it has
  speech recognition, with the line saying where the speech goes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import pytest

from tests.harness.chat import FIRST_SCREEN_TOPICS
from tests.pages.axe import assert_no_axe_violations
from tests.pages.chat_site import CASE_CODE, NAME_QUESTION, PHONE_QUESTION, Site, say
from tests.pages.conftest import expect

# A Vietnamese voice and a speech recogniser, as a phone's browser would have them.
FAKE_SPEECH = """
(() => {
  window.__spoken = [];
  const voice = {lang: "vi-VN", name: "Tiếng Việt", default: true, localService: true, voiceURI: "vi"};
  const synth = {
    getVoices: () => [voice],
    speak: (u) => window.__spoken.push({text: u.text, lang: u.voice && u.voice.lang}),
    cancel: () => {}, addEventListener: () => {}, speaking: false,
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  window.SpeechRecognition = window.webkitSpeechRecognition = class {
    start() {
      setTimeout(() => { this.onresult({results: [[{transcript: "nha toi ho ngheo"}]]}); this.onend(); }, 10);
    }
    stop() {}
  };
})();
"""
NO_SPEECH = """
(() => {
  const synth = {getVoices: () => [{lang: "en-US", name: "English"}], speak: () => {}, cancel: () => {},
                 addEventListener: () => {}};
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  delete window.webkitSpeechRecognition; delete window.SpeechRecognition;
})();
"""


@dataclass
class Phone:
    page: object
    context: object
    problems: list[str]


@contextmanager
def _opened(
    browser,
    site: Site,
    *,
    width: int = 360,
    height: int = 740,
    text_scale: float = 1.0,
    speech: str | None = FAKE_SPEECH,
) -> Iterator[Phone]:
    """A phone's browser on the web chat, its greeting shown; closed when the block ends."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    try:
        context.set_default_timeout(10_000)
        if speech:
            context.add_init_script(speech)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

        def refused(message) -> None:  # a CSP violation: "Refused to …"
            if message.type == "error" and "Refused" in message.text:
                problems.append(message.text)

        page.on("console", refused)
        if text_scale != 1.0:  # the phone's text size setting: the default font size, which rem follows
            cdp = context.new_cdp_session(page)
            cdp.send("Page.enable")
            cdp.send(
                "Page.setFontSizes",
                {"fontSizes": {"standard": round(16 * text_scale), "fixed": round(13 * text_scale)}},
            )
        page.goto(f"{site.url}/")
        expect(page.locator("#log .msg.bot").first).to_contain_text("Xin chào")
        expect(page.locator("#text")).to_be_enabled()
        yield Phone(page, context, problems)
    finally:
        context.close()


SEND_VISIBLE = """() => {
  const send = document.getElementById('send').getBoundingClientRect();
  const input = document.getElementById('text').getBoundingClientRect();
  const hit = document.elementFromPoint(send.left + send.width / 2, send.top + send.height / 2);
  return {left: send.left, right: send.right, top: send.top, bottom: send.bottom, input: input.width,
          inputBottom: input.bottom, width: innerWidth, height: innerHeight,
          hit: !!hit && !!hit.closest('#send'), scroll: document.documentElement.scrollWidth,
          font: parseFloat(getComputedStyle(document.body).fontSize)};
}"""
ANSWER_START = """() => {
  const bots = [...document.querySelectorAll('#log .msg.bot')];
  const answer = bots.find(m => m.textContent.startsWith('Có. Hộ nghèo'));
  const box = answer.getBoundingClientRect();
  const composer = document.querySelector('.composer').getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, visibleBottom: composer.top, height: innerHeight};
}"""


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [
        (320, 568, 1.0),
        (320, 568, 2.0),
        (360, 740, 1.0),
        (360, 740, 2.0),
        (412, 915, 1.0),
        (412, 915, 2.0),
        (740, 360, 2.0),
    ],
    ids=["320", "320-text200", "360", "360-text200", "412", "412-text200", "landscape-740x360-text200"],
)
def test_send_is_on_screen_and_each_answer_opens_at_its_start(browser, site: Site, width, height, scale):
    with _opened(browser, site, width=width, height=height, text_scale=scale) as phone:
        page = phone.page
        layout = page.evaluate(SEND_VISIBLE)
        assert layout["font"] >= 18 * scale, layout  # the text size setting reached the page
        for key in ("before", "after"):
            assert layout["left"] >= 0 and layout["right"] <= layout["width"], (key, layout)
            assert layout["top"] >= 0 and layout["bottom"] <= layout["height"], (key, layout)
            assert layout["hit"], (key, layout)  # nothing covers it
            assert layout["input"] >= 100 and layout["inputBottom"] <= layout["height"], (key, layout)
            assert layout["scroll"] <= layout["width"], (key, layout)  # no sideways scrolling
            if key == "before":
                say(page, "dai")
                layout = page.evaluate(SEND_VISIBLE)
        start = page.evaluate(ANSWER_START)
        assert start["bottom"] > start["visibleBottom"], start  # the answer is longer than the view…
        assert 0 <= start["top"] < start["visibleBottom"] - 20, start  # …and its first line is in view
        assert phone.problems == [], phone.problems


def test_first_screen_topics_privacy_hotline_and_no_axe_violation(browser, site: Site):
    with _opened(browser, site) as phone:
        page = phone.page
        chips = page.locator("#log .chips").first.locator("button")
        assert chips.all_inner_texts() == FIRST_SCREEN_TOPICS
        sizes = page.evaluate("""() => {
          const box = document.querySelector('#log .chips');
          const style = getComputedStyle(box);
          return {heights: [...box.querySelectorAll('button')].map(b => b.getBoundingClientRect().height),
                  row: parseFloat(style.rowGap), column: parseFloat(style.columnGap)};
        }""")
        assert min(sizes["heights"]) >= 48 and sizes["row"] >= 8 and sizes["column"] >= 8, sizes
        notes = page.locator("#log .notes").inner_text()
        assert "Đồng ý" in notes and "1800.1233" in notes, notes
        assert page.locator("#log .notes a").get_attribute("href") == "tel:18001233"
        assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
        assert_no_axe_violations(page)


def test_reload_mid_form_restores_the_conversation_with_times_and_disables_answered_chips(
    browser, site: Site
):
    with _opened(browser, site) as phone:
        page = phone.page
        page.locator("#log .chips button", has_text="Gửi yêu cầu").click()
        expect(page.locator("#log .msg.bot").last).to_contain_text(NAME_QUESTION)
        assert page.locator("#log .chips").first.locator("button:disabled").count() == 6  # answered
        say(page, "Nguyễn Văn An")
        expect(page.locator("#log .msg.bot").last).to_contain_text(PHONE_QUESTION)
        before = page.eval_on_selector_all("#log .msg:not(.notice) time", "ts => ts.map(t => t.dateTime)")

        page.reload()
        expect(page.locator("#text")).to_be_enabled()
        expect(page.locator("#log .msg.bot").last).to_contain_text(PHONE_QUESTION)  # where the form is
        users = page.locator("#log .msg.user .text").all_inner_texts()
        assert users == ["Gửi yêu cầu", "Nguyễn Văn An"], users
        times = page.eval_on_selector_all("#log .msg time", "ts => ts.map(t => t.dateTime)")
        # the server's times of the conversation (the greeting's own is the page's, first)
        assert len(times) == len(before), (times, before)
        apart = [
            abs((datetime.fromisoformat(t) - datetime.fromisoformat(b)).total_seconds())
            for t, b in zip(times[1:], before[1:], strict=True)
        ]
        assert max(apart) < 5, (times, before)
        assert page.locator("#log .chips").first.locator("button:disabled").count() == 6
        assert page.locator("#log .chips button:enabled").count() == 0
        last = page.evaluate(
            "() => document.querySelector('#log .msg.bot:last-of-type').getBoundingClientRect().top"
        )
        assert 0 <= last < page.viewport_size["height"]
        assert_no_axe_violations(page)
        assert phone.problems == [], phone.problems


def test_no_double_send_old_chips_disabled_and_a_timeout_with_retry(browser, site: Site):
    with _opened(browser, site) as phone:
        page = phone.page
        say(page, "cau hoi")
        count = len(site.rasa.received)
        page.evaluate(
            "() => { const b = [...document.querySelectorAll('#log .chips:last-of-type button')];"
            " b[0].click(); b[1].click(); b[0].click(); }"
        )
        expect(page.locator("#log .msg.bot").last).to_contain_text("Đã nhận: /co")
        assert site.rasa.received[count:] == ["/co"]  # one message, whatever was tapped
        assert page.locator("#log .chips button:enabled").count() == 2  # only the newest turn's

        page.clock.install()
        site.rasa.slow_once.add("cham")
        page.fill("#text", "cham")
        page.press("#text", "Enter")
        expect(page.locator("#send")).to_be_disabled()
        page.press("#text", "Enter")  # pressed again while waiting: nothing more is sent
        page.clock.fast_forward(16_000)
        error = page.locator("#log .msg.error")
        expect(error).to_contain_text("quá lâu")
        assert error.get_attribute("role") == "alert"
        colour = error.evaluate("e => getComputedStyle(e).color")
        assert colour == "rgb(155, 28, 28)", colour  # styled as an error
        assert page.input_value("#text") == "cham"  # the unsent text is kept
        page.locator("#log .chips button", has_text="Thử lại").click()
        expect(page.locator("#log .msg.bot").last).to_contain_text("Đã nhận: cham")
        assert page.input_value("#text") == ""
        assert site.rasa.received[-2:] == ["cham", "cham"]
        assert phone.problems == [], phone.problems


def test_case_code_box_copy_and_short_citation_line(browser, site: Site):
    with _opened(browser, site) as phone:
        page = phone.page
        phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
        say(page, "ma ho so")
        box = page.locator("#log .case-code")
        expect(box.locator("strong")).to_have_text(CASE_CODE)
        box.locator("button", has_text="Chép mã").click()
        expect(box.locator("button")).to_have_text("Đã chép mã")
        assert page.evaluate("() => navigator.clipboard.readText()") == CASE_CODE

        say(page, "dai")
        basis = page.locator("#log details.basis").last
        expect(basis.locator("summary")).to_have_text(
            "Căn cứ: Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 và 1 căn cứ khác"
        )
        expect(basis.locator(".full")).to_be_hidden()
        basis.locator("summary").click()
        expect(basis.locator(".full")).to_contain_text(
            "Điều 2 Nghị định 144/2017/NĐ-CP (hiệu lực từ 15/12/2017)"
        )
        assert_no_axe_violations(page)


def test_read_aloud_and_voice_input_where_the_browser_has_them(browser, site: Site):
    with _opened(browser, site) as phone:
        page = phone.page
        say(page, "dai")
        listen = page.locator("#log .msg.bot").last.locator("button.listen")
        expect(listen).to_be_visible()
        assert page.locator("#log .msg.bot button.listen").count() == page.locator("#log .msg.bot").count()
        listen.click()
        spoken = page.evaluate("() => window.__spoken")
        assert spoken[-1]["lang"] == "vi-VN" and spoken[-1]["text"].startswith("Có. Hộ nghèo"), spoken

        expect(page.locator("#mic")).to_be_visible()
        assert "trình duyệt" in page.locator("#log .notes").inner_text()
        page.locator("#mic").click()
        expect(page.locator("#text")).to_have_value("nha toi ho ngheo")

    with _opened(browser, site, speech=NO_SPEECH) as phone:  # no Vietnamese voice, no recogniser
        expect(phone.page.locator("#log .msg.bot button.listen").first).to_be_hidden()
        expect(phone.page.locator("#mic")).to_be_hidden()
        assert "trình duyệt" not in phone.page.locator("#log .notes").inner_text()


def test_the_axe_helper_reports_a_violation(browser, site: Site):
    """tests/pages/axe.py can fail: a button without a name on the page is reported by its rule."""
    with _opened(browser, site, speech=None) as phone:
        phone.page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")
        with pytest.raises(AssertionError, match="button-name"):
            assert_no_axe_violations(phone.page)
        assert_no_axe_violations(phone.page, exclude=["main > button"])
