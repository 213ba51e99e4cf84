"""The hotline console during a call at 1366×768 (issue 14, items 7 and 8), in headless Chromium.

A whole call — the caller speaks for a relative, the operator asks the suggested questions by
clicking them, fills the form and saves — is done without the page ever scrolling: the document
is no taller than the viewport and the caller's words, the verdict, the questions and the submit
control are in view the whole time. Also: caller and beneficiary are stored as two people, the
topic comes from the analysis, passages of one article are merged and their score reads "độ khớp",
and a suggestion the knowledge base is not sure of is folded.

Reuses the app (fake Rasa, fake index, temporary SQLite) and the page watch of
tests/assist/test_console.py (no browser dialog may fire).

Run: `.venv/bin/python -m pytest tests/assist/test_console_one_screen.py -q`.
"""

from __future__ import annotations

import pytest

from tests.assist import test_console as console_suite
from tests.assist.test_console import LAND_TOPIC, Console, analyse, expect, sign_in
from tests.pages.axe import assert_no_axe_violations

console = console_suite.console

SCREENSHOT = "/tmp/operator-1366x768.png"
FAILED_SCREENSHOT = "/tmp/operator-1366x768-last-check.png"
WIDTH = 1366
# 1366×768 is the screen the issue names; 657 px is what a browser leaves of it under its tabs
# and address bar (Chromium on a 768 px laptop screen).
HEIGHTS = (768, 657)
CALL = "Mẹ tôi 70 tuổi, hộ cận nghèo, bị hàng xóm lấn đất. Mẹ tôi tên là Nguyễn Thị Hoa, ở xã Tân Lập."
IN_VIEW = (
    "#caller-text", "#elig-status", "#elig-clauses li strong", "#questions-title", "#c-name", "#c-consent",
    "#save-case",
)
# shown once the analysis suggests questions: the first of them, ready to click
FIRST_QUESTION = "#questions li button"


def _page(browser, watch_for: Console, height: int = HEIGHTS[0]):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": height}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return context, page, problems


def assert_one_screen(page, where: str) -> None:
    """Nothing below the fold: the document fits the viewport and every control of the call is in it."""
    page.screenshot(path=FAILED_SCREENSHOT)  # kept when an assertion below fails
    sizes = page.evaluate(
        "[document.documentElement.scrollHeight, document.documentElement.scrollWidth,"
        " innerHeight, innerWidth]"
    )
    height, width, view_height, view_width = sizes
    assert height <= view_height and width <= view_width, f"{where}: the page scrolls ({sizes})"
    for selector in IN_VIEW:
        if selector == "#elig-clauses li strong" and not page.locator(selector).count():
            continue  # no verdict before the first analysis
        box = page.locator(selector).first.bounding_box()
        assert box is not None, f"{where}: {selector} is not shown"
        inside = box["y"] >= 0 and box["y"] + box["height"] <= view_height
        inside = inside and box["x"] >= 0 and box["x"] + box["width"] <= view_width
        assert inside, f"{where}: {selector} out of view {box}"
    if page.locator(FIRST_QUESTION).count():
        expect(page.locator(FIRST_QUESTION).first).to_be_in_viewport(ratio=1)
    expect(page.locator("#save-case")).to_be_in_viewport(ratio=1)
    assert page.evaluate("scrollY") == 0, f"{where}: the window was scrolled"


@pytest.mark.parametrize("height", HEIGHTS)
def test_a_call_to_case_on_one_screen(browser, console: Console, height: int) -> None:
    context, page, problems = _page(browser, console, height)
    try:
        sign_in(page, console)
        assert_one_screen(page, "before the call")
        analyse(page, CALL)

        # the verdict with its clause, next to the caller's words
        expect(page.locator("#elig-status")).to_have_text("Thuộc diện được trợ giúp pháp lý")
        expect(page.locator("#elig-clauses")).to_contain_text("điểm c khoản 7 Điều 7")
        # the caller speaks for their mother: two people in the form, prefilled from the call
        expect(page.locator("#c-caller-self")).not_to_be_checked()
        expect(page.locator("#caller-box")).to_be_visible()
        expect(page.locator("#c-name")).to_have_value("Nguyễn Thị Hoa")
        expect(page.locator("#c-topic")).to_have_value(LAND_TOPIC)
        # the retrieval score is a match, not a mark; the same article is listed once
        expect(page.locator("#passages summary").first).to_contain_text("độ khớp")
        assert "(điểm" not in page.locator("#passages").inner_text()
        assert_one_screen(page, "after the analysis")
        assert_no_axe_violations(page)  # axe-core (pinned npm package): every rule, any impact

        # a suggested question, clicked, goes into the caller's words with a place for the answer
        question = page.locator("#questions li button").first
        asked = question.inner_text()
        question.click()
        text = page.locator("#caller-text")
        expect(text).to_be_focused()
        value = text.input_value()
        assert value.startswith(CALL) and value.endswith(f"Hỏi: {asked}\nTrả lời: "), value
        before = page.get_attribute("body", "data-analysed")
        page.keyboard.type("Có, bà bị lấn 20 mét vuông đất vườn.")
        expect(page.locator("#questions li.asked")).to_have_count(1)
        # typing the answer analyses again (live); the operator's question is not read as the caller's words
        page.wait_for_function(
            "b => document.body.dataset.analysed !== b && !document.body.dataset.analysing", arg=before
        )
        expect(page.locator("#c-topic")).to_have_value(LAND_TOPIC)
        description = page.locator("#c-description").input_value()
        assert "Trả lời: Có, bà bị lấn 20 mét vuông đất vườn." in description and "Hỏi:" not in description
        assert_one_screen(page, "after a question")

        # the operator completes the form: the caller, then the beneficiary's contact
        page.fill("#c-caller-name", "Trần Văn Bình")
        page.fill("#c-caller-phone", "0987 111 222")
        expect(page.locator("#c-caller-relation")).to_have_value("cha_me")  # "mẹ tôi": the caller is a child
        page.fill("#c-phone", f"0912 345 {height:03d}")  # one phone per run: no duplicate of the other
        page.select_option("#c-province", "Lào Cai")
        page.check("#c-consent")
        assert_one_screen(page, "form filled")
        page.click("#save-case")
        expect(page.locator("#case-result")).to_contain_text("Mã hồ sơ: TGPL-")
        assert_one_screen(page, "after saving")
        code = page.locator("#case-result .case-code").inner_text()
        page.screenshot(path=SCREENSHOT.replace("768", str(height)))

        with console.client() as client:
            detail = client.get(f"/api/v1/cases/{code}").json()
        assert detail["full_name"] == "Nguyễn Thị Hoa" and detail["phone"] == f"+84912345{height:03d}"
        assert LAND_TOPIC.match(detail["topic"]) and detail["channel"] == "hotline"
        assert detail["description"] == description
        assert detail["caller_name"] == "Trần Văn Bình" and detail["caller_phone"] == "+84987111222"
        assert detail["caller_relation"] == "cha_me"

        # "Cuộc gọi mới" asks on the page (no browser dialog) before erasing the call
        page.click("#new-call")
        expect(page.locator("#confirm-new")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator("#confirm-new")).to_be_hidden()
        expect(page.locator("#c-name")).to_have_value("Nguyễn Thị Hoa")
        page.click("#new-call")
        page.click("#confirm-new-yes")
        expect(page.locator("#caller-text")).to_have_value("")
        expect(page.locator("#c-caller-self")).to_be_checked()
        expect(page.locator("#caller-box")).to_be_hidden()
        page.click("#new-call")  # nothing left to lose: no question
        expect(page.locator("#confirm-new")).to_be_hidden()
    finally:
        context.close()
    assert problems == [], problems


def test_passages_merged_and_unsure_answers_folded(browser, console: Console) -> None:
    """The page's rendering of an analysis it is given (the real api's answer, altered): two passages
    of one article become one entry with the better match; an answer the knowledge base is not sure
    of is folded behind a warning until the operator opens it."""
    with console.client(console.operator) as client:
        analysis = client.post("/api/v1/assist", json={"text": CALL}).json()
    assert analysis["answer"] and len(analysis["passages"]) >= 2
    first = analysis["passages"][0]
    twin = first | {"id": first["id"] + "-twin", "text": "Một đoạn khác.", "score": first["score"] + 0.5}
    analysis["passages"] = [first, twin, *analysis["passages"][1:]]
    analysis["confident"] = False

    context, page, problems = _page(browser, console)
    try:
        page.route("**/api/v1/assist", lambda route: route.fulfill(json=analysis))
        sign_in(page, console)
        analyse(page, CALL)
        entries = page.locator("#passages details")
        expect(entries).to_have_count(len(analysis["passages"]) - 1)
        merged = entries.first
        expect(merged).to_have_attribute("data-merged", "2")
        expect(merged.locator("summary")).to_contain_text(f"(độ khớp {first['score'] + 0.5:.2f})")
        expect(merged.locator(".passage")).to_have_count(2)
        # folded: the warning shows, the answer does not until the operator opens it
        expect(page.locator("#answer-low")).to_be_visible()
        expect(page.locator("#answer-text")).to_be_hidden()
        page.click("#answer-summary")
        expect(page.locator("#answer-text")).to_be_visible()
        # a confident answer is open at once
        analysis["confident"] = True
        analyse(page, CALL + " ")
        expect(page.locator("#answer-low")).to_be_hidden()
        expect(page.locator("#answer-text")).to_be_visible()
    finally:
        context.close()
    assert problems == [], problems
