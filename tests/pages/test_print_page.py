"""Printable documents of a case at /center/in#<code> (issue 14 item 12) in headless Chromium: the
prefilled request form and the case sheet drawn from the api's blocks, the print stylesheet (A4,
nothing but the sheet on paper), the server's PDF downloaded from the page, strict headers.

Run: `.venv/bin/python -m pytest tests/pages/test_print_page.py -q`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader

from api.cases.security import Role, create_token
from tests.assist import test_console as console_suite
from tests.assist.test_console import ADMIN_TOKEN, Console
from tests.pages.axe import assert_no_axe_violations
from tests.pages.conftest import PageWatch, expect, open_page

console = console_suite.console  # the app in a thread, with a fresh case store
SCREENSHOT = "/tmp/center-print.png"
TOKEN_KEY = "tgpl-center-token"


@pytest.fixture(scope="module")
def reviewer(console: Console) -> str:
    with console.app.state.db.session() as session:
        _, token = create_token(session, name="Lò Thị Mai - TT TGPL Lào Cai", role=Role.reviewer)
    return token


@pytest.fixture(scope="module")
def code(console: Console) -> str:
    body = {
        "channel": "hotline", "full_name": "Nguyễn Thị Hoa", "phone": "0912 345 678", "province": "Lào Cai",
        "commune": "Xã Tân Lập", "eligibility_group": "khoan_2_ho_ngheo", "topic": "đất đai",
        "description": "Bà bị hàng xóm lấn đất vườn <b>từ năm 2020</b>.", "consent": True,
    }
    with console.client(ADMIN_TOKEN) as client:
        response = client.post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.text
    return response.json()["code"]


@pytest.fixture
def page(browser, console: Console) -> Iterator[object]:
    watch = PageWatch()
    context, page = open_page(browser, console, watch, width=1280, height=900)
    yield page
    context.close()
    assert watch.dialogs == [] and watch.errors == [] and watch.foreign == [], watch


def open_print(page, console: Console, token: str, code: str, *, loaded: bool = True) -> None:
    """The dashboard's sign-in keeps the token in the tab's sessionStorage; the print page reads it."""
    page.goto(f"{console.base_url}/center/in")
    page.evaluate("([key, value]) => sessionStorage.setItem(key, value)", [TOKEN_KEY, token])
    page.goto(f"{console.base_url}/center/in#{code}")
    page.wait_for_selector("body[data-ready]")
    if loaded:
        page.wait_for_selector("body[data-loaded]")


def test_the_request_form_prints_on_a4(page, console: Console, reviewer: str, code: str) -> None:
    open_print(page, console, reviewer, code)
    sheet = page.locator("#sheet")
    expect(sheet).to_contain_text("ĐƠN YÊU CẦU TRỢ GIÚP PHÁP LÝ")
    expect(sheet).to_contain_text("Kính gửi: Trung tâm trợ giúp pháp lý nhà nước")
    expect(sheet.locator(".field", has_text="Nơi cư trú")).to_contain_text("Xã Tân Lập, Lào Cai")
    expect(sheet.locator(".field", has_text="Số điện thoại liên hệ")).to_contain_text("0912 345 678")
    expect(sheet).to_contain_text("Giấy chứng nhận hộ nghèo.")
    expect(sheet).to_contain_text("(ký, ghi rõ họ tên hoặc điểm chỉ)")
    # an unknown fact leaves a line to write on
    expect(sheet.locator(".field", has_text="Năm sinh").locator(".blank")).to_have_count(1)
    assert page.locator("#sheet b").count() == 0  # the description's markup stays text
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_no_axe_violations(page)

    page.emulate_media(media="print")
    expect(page.locator("#toolbar")).to_be_hidden()
    expect(page.locator("header.top")).to_be_hidden()
    expect(sheet).to_be_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    box = pdf.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)
    assert "ĐƠN YÊU CẦU TRỢ GIÚP PHÁP LÝ" in pdf.pages[0].extract_text()


def test_case_sheet_and_server_pdf(page, console: Console, reviewer: str, code: str) -> None:
    open_print(page, console, reviewer, code)
    page.click("button[data-kind='phieu-ho-so']")
    page.wait_for_selector("body[data-loaded='phieu-ho-so']")
    expect(page.locator("#sheet")).to_contain_text("PHIẾU HỒ SƠ YÊU CẦU TRỢ GIÚP PHÁP LÝ")
    expect(page.locator("#sheet")).to_contain_text(f"Mã hồ sơ: {code}")
    expect(page.locator("#sheet")).to_contain_text("Tiếp nhận hồ sơ")  # the history
    with page.expect_download() as info:
        page.click("#pdf")
    assert info.value.suggested_filename == f"phieu-ho-so-{code}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(info.value.path()).pages)
    assert "Họ và tên: Nguyễn Thị Hoa" in text


def test_an_operator_cannot_print_and_a_missing_token_is_told(page, console: Console, code: str) -> None:
    open_print(page, console, console.operator, code, loaded=False)
    expect(page.locator("#error")).to_contain_text("reviewer")
    expect(page.locator("#sheet")).to_be_hidden()
    page.evaluate("() => sessionStorage.clear()")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(page.locator("#signed-out")).to_be_visible()


def test_print_page_source_and_the_detail_link(console: Console) -> None:
    with httpx.Client(base_url=console.base_url, trust_env=False) as client:
        html = client.get("/center/in")
        assert html.status_code == 200 and "script-src 'self'" in html.headers["content-security-policy"]
        assert re.findall(r"<script\b[^>]*>", html.text) == [
            '<script src="/center/static/staff.js" defer>', '<script src="/center/static/print.js" defer>'
        ]
        assert "<style" not in html.text and not re.search(r"\son[a-z]+\s*=", html.text)
        script = client.get("/center/static/print.js").text
        assert "innerHTML" not in script.replace("nothing assigns innerHTML", "")
        # the case detail of the dashboard links to this page for its case
        assert 'id="d-print"' in client.get("/center").text
        assert '$("d-print").href = "/center/in#"' in client.get("/center/static/app.js").text
