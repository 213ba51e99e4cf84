"""The hotline console (/operator) in headless Chromium against the real app.

The app runs under uvicorn in a thread of this process, so the test can give it a fake Rasa
(httpx.MockTransport answering `/model/parse`) and a small fake knowledge index; the case store
is a temporary SQLite file. Chromium is Debian's /usr/bin/chromium driven by Playwright; when it
is missing the tests FAIL and say how to fix it (same rule as tests/pages).

Run: `.venv/bin/python -m pytest tests/assist/test_console.py -q`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from api.cases.security import Role, create_token
from api.core.config import Settings
from api.core.db import Database
from api.main import create_app
from tests.assist.fakes import FakeIndex, FakeRasa
from tests.harness.app_thread import serve_in_thread
from tests.pages.conftest import PageWatch, assert_clean, expect, open_page

ADMIN_TOKEN = "adm_" + secrets.token_urlsafe(24)
SCREENSHOT = "/tmp/operator.png"
# The land topic: its code of the one vocabulary (knowledge/vocabulary.py), prefilled and stored.
LAND_TOPIC = re.compile(r"^dat_dai$")
STORY = (
    "Bà ấy 70 tuổi, hộ cận nghèo, bị hàng xóm lấn đất. "
    "Bà tên là Nguyễn Thị Hoa, ở xã Tân Lập."
)


@dataclass
class Console:
    base_url: str
    operator: str
    rasa: FakeRasa
    app: object

    def client(self, token: str = ADMIN_TOKEN) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10.0,
            trust_env=False,
        )

    def cases(self, **params) -> dict:
        with self.client() as client:
            response = client.get("/api/v1/cases", params=params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    work = tmp_path_factory.mktemp("operator-api")
    database_url = f"sqlite:///{work / 'cases.db'}"
    rasa = FakeRasa()
    settings = Settings(
        _env_file=None, environment="production", database_url=database_url, api_admin_token=ADMIN_TOKEN,
        knowledge_data_dir=work / "no-index", rasa_urls="http://rasa-a:5005",
        action_server_url="http://actions:5055",
    )
    app = create_app(settings, http=httpx.AsyncClient(transport=httpx.MockTransport(rasa.handle)))
    with serve_in_thread(app, "console") as url:
        app.state.app_state.knowledge.index = FakeIndex()
        database = Database(database_url, migrate=False)
        with database.session() as session:
            _, operator = create_token(session, name="Tổng đài 1900 - ca chiều", role=Role.operator)
        database.dispose()
        yield Console(url, operator, rasa, app)


@pytest.fixture
def page(browser, console: Console) -> Iterator[object]:
    watch = PageWatch()
    context, page = open_page(browser, console, watch, width=1366, height=900)
    yield page
    context.close()
    assert_clean(watch)


def sign_in(page, console: Console) -> None:
    page.goto(f"{console.base_url}/operator")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#token", console.operator)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#view-console:not([hidden])")


def analyse(page, text: str) -> None:
    page.fill("#caller-text", text)
    page.focus("#caller-text")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("body[data-analysed]:not([data-analysing])")
    expect(page.locator("#analyse-status")).to_have_text("Đã phân tích.")


def test_sign_in_analyse_and_log_a_hotline_case(page, console: Console) -> None:
    sign_in(page, console)
    assert console.cases()["count"] == 0
    analyse(page, STORY)

    # the panels are filled
    expect(page.locator("#intent-label")).to_have_text("Hỏi có được trợ giúp pháp lý không")
    expect(page.locator("#intent-confidence")).to_have_text("93%")
    expect(page.locator("#elig-status")).to_have_text("Thuộc diện được trợ giúp pháp lý")
    known = ["70 tuổi", "Thuộc hộ cận nghèo", "Lĩnh vực: đất đai"]
    expect(page.locator("#elig-known li.known")).to_have_text(known)
    expect(page.locator("#elig-missing li.missing")).to_have_count(1)
    law = "Luật Trợ giúp pháp lý số 11/2017/QH14"
    expect(page.locator("#elig-clauses")).to_contain_text(f"Theo điểm c khoản 7 Điều 7 {law}")
    # the chat's answer to the story: a clause of Điều 7 quoted, then every citation with its date
    expect(page.locator("#answer-text")).to_contain_text("Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14")
    expect(page.locator("#answer-text")).to_contain_text("lời văn của điều luật")
    expect(page.locator("#answer-basis")).to_contain_text(f"Điều 7 {law} (hiệu lực từ 01/01/2018)")
    expect(page.locator("#questions li").first).to_contain_text("việc cụ thể")
    expect(page.locator("#passages details")).to_have_count(3)
    page.locator("#passages details summary").first.click()
    expect(page.locator("#passages details .passage").first).to_be_visible()

    # the case form is prefilled from what was said
    expect(page.locator("#c-name")).to_have_value("Nguyễn Thị Hoa")
    expect(page.locator("#c-commune")).to_have_value("Xã Tân Lập")
    expect(page.locator("#c-group")).to_have_value("khoan_7c_nguoi_cao_tuoi")
    expect(page.locator("#c-topic")).to_have_value(LAND_TOPIC)
    expect(page.locator("#c-description")).to_have_value(STORY)
    expect(page.locator("#c-phone")).to_have_value("")
    expect(page.locator("#c-province")).to_have_value("")

    # the operator completes the missing fields; without consent nothing is saved
    page.fill("#c-phone", "0912 345 678")
    page.select_option("#c-province", "Lào Cai")
    page.click("#save-case")
    expect(page.locator("#case-error")).to_contain_text("Người gọi đồng ý cho lưu thông tin cá nhân")
    expect(page.locator("#case-result")).to_be_hidden()
    assert console.cases()["count"] == 0

    # a new analysis keeps what the operator typed
    analyse(page, STORY + " Bà muốn được tư vấn.")
    expect(page.locator("#c-phone")).to_have_value("0912 345 678")
    expect(page.locator("#c-province")).to_have_value("Lào Cai")

    page.check("#c-consent")
    page.click("#save-case")
    expect(page.locator("#case-result")).to_contain_text("Mã hồ sơ: TGPL-")
    expect(page.locator("#case-error")).to_be_hidden()
    code = page.locator("#case-result .case-code").inner_text()
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.click("#save-case")  # a second click does not create a second case (same request id)
    expect(page.locator("#case-result .case-code")).to_have_text(code)

    listed = console.cases(q="Hoa")
    assert listed["count"] == 1  # exactly one case, even after the second click
    [case] = listed["data"]
    assert case["code"] == code and case["channel"] == "hotline"
    assert case["province"] == "Lào Cai" and case["eligibility_group"] == "khoan_7c_nguoi_cao_tuoi"
    with console.client() as client:
        detail = client.get(f"/api/v1/cases/{code}").json()
    assert detail["full_name"] == "Nguyễn Thị Hoa"
    assert detail["phone"] == "+84912345678"
    assert detail["province"] == "Lào Cai"
    assert detail["commune"] == "Xã Tân Lập"
    assert detail["eligibility_group"] == "khoan_7c_nguoi_cao_tuoi"
    assert LAND_TOPIC.match(detail["topic"])
    assert detail["description"] == STORY + " Bà muốn được tư vấn."
    assert detail["status"] == "new"


def test_without_consent_the_form_is_never_submitted(page, console: Console) -> None:
    sign_in(page, console)
    story = 'Ông Lê Văn Tám <img src=x onerror="alert(1)"> 65 tuổi, hộ nghèo, bị lừa tiền.'
    analyse(page, story)
    expect(page.locator("#elig-status")).to_have_text("Thuộc diện được trợ giúp pháp lý")
    expect(page.locator("#c-description")).to_have_value(story)  # markup stays text
    assert page.locator("img").count() == 0
    page.fill("#c-name", "Lê Văn Tám")
    page.fill("#c-phone", "0987654321")
    page.select_option("#c-province", "Hà Nội")
    for submit in (lambda: page.click("#save-case"), lambda: page.press("#c-name", "Enter")):
        submit()
        expect(page.locator("#case-error")).to_contain_text("đồng ý")
        expect(page.locator("#c-consent")).to_be_focused()
    assert console.cases(q="lua tien")["count"] == 0
    # "Cuộc gọi mới" asks on the page first; "Không" keeps everything
    page.click("#new-call")
    expect(page.locator("#confirm-new")).to_be_visible()
    page.click("#confirm-new-no")
    expect(page.locator("#confirm-new")).to_be_hidden()
    expect(page.locator("#c-name")).to_have_value("Lê Văn Tám")
    # … and "Xóa" clears the caller's words and the form
    page.click("#new-call")
    page.click("#confirm-new-yes")
    expect(page.locator("#confirm-new")).to_be_hidden()
    expect(page.locator("#caller-text")).to_have_value("")
    expect(page.locator("#c-name")).to_have_value("")
    expect(page.locator("#elig-status")).to_have_text("Chưa phân tích")


def test_console_works_while_rasa_is_down(page, console: Console) -> None:
    console.rasa.down_hosts.add("rasa-a:5005")
    try:
        sign_in(page, console)
        analyse(page, "nha 4 nguoi o nong thon thu nhap 5 trieu")
        expect(page.locator("#intent-name")).to_have_text("unknown")
        expect(page.locator("#intent-confidence")).to_have_text("0%")
        expect(page.locator("#answer-note")).to_contain_text("Chưa nhận diện được ý định")
        expect(page.locator("#panel-poverty")).to_be_visible()
        expect(page.locator("#poverty-per-person")).to_have_text("Bình quân: 1.250.000 đồng/người/tháng")
    finally:
        console.rasa.down_hosts.clear()
        console.app.state.assist_rasa_health.down_until.clear()  # no cooldown left for other tests


def test_wrong_token_stays_on_sign_in(page, console: Console) -> None:
    page.goto(f"{console.base_url}/operator")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#token", "tgpl_wrong")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#login-error")).to_contain_text("mã truy cập")
    expect(page.locator("#view-console")).to_be_hidden()
