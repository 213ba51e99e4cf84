"""Fixtures of the dashboard tests: the real api under uvicorn, seeded cases, headless Chromium.

* `server`: `uvicorn api.main:create_app --factory` on a free 127.0.0.1 port, with a temporary
  SQLite database, a bootstrap admin token, an empty knowledge dir and Rasa / the action server
  pointing at a port where nothing listens (chat is not needed). Started once per session.
* `seeded`: cases submitted through the api (some moved back in time so the month chart has
  several months), tokens for a reviewer and an operator.
* `browser` (tests/conftest.py): Debian's /usr/bin/chromium driven by Playwright, shared by
  every browser suite; when Chromium or Playwright is missing the tests FAIL, they never skip.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from api.cases.models import Case
from api.cases.security import Role, create_token
from api.cases.timezone import VN_TZ
from api.core.db import Database
from tests.harness.system import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "adm_" + secrets.token_urlsafe(24)
START_TIMEOUT_SECONDS = 60.0

XSS_DESCRIPTION = (
    "<script>alert(1)</script> Nhà tôi bị lấn chiếm đất "
    '<img src=x onerror="window.__pwned=1;alert(2)"> xin trợ giúp.'
)
XSS_COMMUNE = "<img src=x onerror=alert(3)>"
XSS_CALLER = "<b onmouseover=alert(4)>nhom</b>"  # a caller's name (groups are codes now)


@dataclass
class Server:
    base_url: str
    database_url: str
    log_path: Path

    def client(self, token: str | None = ADMIN_TOKEN) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=10.0, trust_env=False)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("center-api")
    (work / "knowledge").mkdir()
    port, unused = free_port(), free_port()
    database_url = f"sqlite:///{work / 'cases.db'}"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "ENVIRONMENT": "production",
        "DATABASE_URL": database_url,
        "API_ADMIN_TOKEN": ADMIN_TOKEN,
        "KNOWLEDGE_DATA_DIR": str(work / "knowledge"),
        "RASA_URLS": f"http://127.0.0.1:{unused}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{unused}",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.pop("ACTION_SERVER_TOKEN", None)
    log_path = work / "uvicorn.log"
    command = [
        sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
    ]
    with log_path.open("wb") as log:
        # cwd = the temp dir, so a developer's .env in the repo cannot change these settings
        process = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", database_url, log_path)
    try:
        _wait_until_up(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_until_up(server: Server, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with server.client() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                if client.get("/api/v1/stats").status_code == 200:  # page router and case store ready
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    tail = server.log_path.read_text(errors="replace")[-3000:]
    pytest.fail(f"The api did not start on {server.base_url} (exit code {process.poll()}):\n{tail}")


@dataclass
class Seeded:
    reviewer: str
    operator: str
    codes: dict[str, str] = field(default_factory=dict)  # role in the tests → case code
    cases: list[dict] = field(default_factory=list)  # every submitted body with its code


PROVINCES = ("Lào Cai", "Hà Nội", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ")
GROUPS = ("khoan_2_ho_ngheo", "khoan_1_nguoi_co_cong", "khoan_3_tre_em", "khoan_4_dan_toc_thieu_so")
TOPICS = ("dat_dai", "hon_nhan_gia_dinh", "lao_dong", "dan_su")  # knowledge.vocabulary codes
TOPIC_WORDS = ("đất đai", "hôn nhân và gia đình", "lao động", "thừa kế")  # in the descriptions
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang")


def case_body(index: int, **overrides) -> dict:
    topic = TOPICS[index % len(TOPICS)]
    words = TOPIC_WORDS[index % len(TOPIC_WORDS)]
    return {
        "channel": ("zalo", "web", "hotline", "api")[index % 4],
        "full_name": NAMES[index % len(NAMES)],
        "phone": f"09{12000000 + index:08d}",
        "province": PROVINCES[index % len(PROVINCES)],
        "commune": f"Xã Số {index}",
        "eligibility_group": GROUPS[index % len(GROUPS)],
        "topic": topic,
        "description": f"Yêu cầu số {index}: tôi cần được trợ giúp pháp lý về {words}.",
        "consent": True,
    } | overrides


@pytest.fixture(scope="session")
def seeded(server: Server) -> Seeded:
    """27 cases: 24 ordinary ones over six months, one to accept, one to refer, one with markup."""
    database = Database(server.database_url, migrate=False)
    with database.session() as session:
        _, reviewer = create_token(session, name="Lò Thị Mai - TT TGPL Lai Châu", role=Role.reviewer)
        _, operator = create_token(session, name="Tổng đài 1900", role=Role.operator)
    seeded = Seeded(reviewer=reviewer, operator=operator)
    bodies = [case_body(i) for i in range(24)]
    bodies.append(case_body(100, full_name="Đinh Thị Hoa", province="Lào Cai", description="Hồ sơ nhận."))
    bodies.append(case_body(101, full_name="Mạc Văn Khải", province="Hà Nội", description="Hồ sơ chuyển."))
    bodies.append(case_body(
        102, full_name="<script>alert(9)</script>", province="Đà Nẵng", commune=XSS_COMMUNE,
        topic="dat_dai", description=XSS_DESCRIPTION, caller_name=XSS_CALLER, caller_phone="0987 000 102",
        caller_relation="hang_xom",
    ))
    with server.client() as client:
        for body in bodies:
            response = client.post("/api/v1/cases", json=body)
            assert response.status_code == 201, response.text
            seeded.cases.append(body | {"code": response.json()["code"]})
        seeded.codes = {"accept": seeded.cases[24]["code"], "refer": seeded.cases[25]["code"],
                        "xss": seeded.cases[26]["code"]}
        for body in seeded.cases[:3]:  # a few finished cases for the status filter
            answer = client.patch(f"/api/v1/cases/{body['code']}",
                                  json={"status": "rejected", "rejection_reason": "Không thuộc diện."})
            assert answer.status_code == 200, answer.text
    # Spread the 24 ordinary cases over the last six months (the api always stamps "now").
    now = datetime.now(VN_TZ).replace(day=15, hour=10, minute=0, second=0, microsecond=0)
    with database.session() as session:
        for index, body in enumerate(seeded.cases[:24]):
            months_back = index % 6
            if months_back == 0:
                continue
            year, month = now.year, now.month - months_back
            while month < 1:
                year, month = year - 1, month + 12
            created = now.replace(year=year, month=month)
            session.execute(update(Case).where(Case.code == body["code"]).values(created_at=created))
            body["created_at"] = created
        session.commit()
    database.dispose()
    for body in seeded.cases:
        body.setdefault("created_at", datetime.now(VN_TZ))
    return seeded


@dataclass
class PageWatch:
    """What a page did that it must not: dialogs, script errors, CSP violations, foreign requests."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


def open_page(browser, server: Server, watch: PageWatch, *, width: int = 1280, height: int = 860):
    """A fresh context (own sessionStorage) and page, with every listener of PageWatch attached."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()

    def on_dialog(dialog) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            watch.errors.append(f"CSP: {message.text}")

    def on_request(request) -> None:
        if not request.url.startswith((server.base_url, "blob:", "data:")):
            watch.foreign.append(request.url)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.on("request", on_request)
    return context, page


@pytest.fixture
def page(browser, server: Server, seeded: Seeded, watch: PageWatch) -> Iterator[object]:
    context, page = open_page(browser, server, watch)
    yield page
    context.close()
    assert_clean(watch)


def assert_clean(watch: PageWatch) -> None:
    assert watch.dialogs == [], f"a dialog fired: {watch.dialogs}"
    assert watch.errors == [], f"script errors or CSP violations: {watch.errors}"
    assert watch.foreign == [], f"requests outside the api: {watch.foreign}"


def expect(target):
    """Playwright's auto-waiting assertions (imported late: a missing package fails in `browser`)."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=10_000)  # generous: other test suites may share the CPUs
    return playwright_expect(target)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The web chat with a scripted fake Rasa (tests/pages/chat_site.py), one per test module."""
    from tests.pages.chat_site import chat_site

    with chat_site(tmp_path_factory.mktemp("web-chat")) as served:
        yield served
