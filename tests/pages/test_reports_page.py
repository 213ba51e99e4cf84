"""The report view (/center/bao-cao, issue 14 item 11) in headless Chromium against the real api:
the tables of the current month, quarter and year for the seeded cases, a table downloaded as CSV
and as .xlsx, the print stylesheet (A4, no navigation or buttons on paper), strict headers.

Run: `.venv/bin/python -m pytest tests/pages/test_reports_page.py -q`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import update

from api.cases.models import Case
from api.cases.security import Role, create_token
from api.cases.status import STATUS_LABELS, CaseStatus
from api.cases.timezone import VN_TZ
from tests.assist import test_console as console_suite
from tests.assist.test_console import ADMIN_TOKEN, Console
from tests.pages.axe import assert_no_axe_violations
from tests.pages.conftest import PageWatch, expect, open_page

SCREENSHOT = "/tmp/center-reports.png"
# The app in a thread of this process with a fresh case store (the fixture of the console suite),
# so the cases below are the only ones, whatever the other suites seed.
console = console_suite.console
PROVINCES = ("Lào Cai", "Hà Nội", "Đà Nẵng")
CHANNELS = ("web", "zalo", "hotline")
GROUPS = ("khoan_2_ho_ngheo", "khoan_3_tre_em", None)


@dataclass
class Seeded:
    reviewer: str
    cases: list[dict] = field(default_factory=list)  # body, code, created_at, status


@pytest.fixture(scope="module")
def seeded(console: Console) -> Seeded:
    """Twelve cases: nine this month (two of them rejected), three moved back a year."""
    with console.app.state.db.session() as session:
        _, reviewer = create_token(session, name="Lò Thị Mai - TT TGPL Lai Châu", role=Role.reviewer)
    seeded = Seeded(reviewer)
    with console.client(ADMIN_TOKEN) as client:
        for i in range(12):
            body = {
                "channel": CHANNELS[i % 3], "full_name": f"Người số {i}", "phone": f"09{13000000 + i:08d}",
                "province": PROVINCES[i % 3], "commune": f"Xã Số {i % 2}", "topic": "đất đai",
                "description": f"Yêu cầu số {i} về đất đai.", "consent": True,
            } | ({"eligibility_group": GROUPS[i % 3]} if GROUPS[i % 3] else {})
            response = client.post("/api/v1/cases", json=body)
            assert response.status_code == 201, response.text
            seeded.cases.append(body | {"code": response.json()["code"], "status": "new",
                                        "created_at": datetime.now(VN_TZ)})
        for case in seeded.cases[:2]:
            reject = {"status": "rejected", "rejection_reason": "Không thuộc diện."}
            assert client.patch(f"/api/v1/cases/{case['code']}", json=reject).status_code == 200
            case["status"] = "rejected"
    last_year = datetime.now(VN_TZ).replace(year=datetime.now(VN_TZ).year - 1)
    with console.app.state.db.session() as session:
        for case in seeded.cases[9:]:
            session.execute(update(Case).where(Case.code == case["code"]).values(created_at=last_year))
            case["created_at"] = last_year
        session.commit()
    return seeded


@pytest.fixture
def page(browser, console: Console, seeded: Seeded) -> Iterator[object]:
    watch = PageWatch()
    context, page = open_page(browser, console, watch, width=1366, height=768)
    yield page
    context.close()
    assert watch.dialogs == [] and watch.errors == [] and watch.foreign == [], watch


def statuses_final(cases: list[dict]) -> int:
    return sum(c["status"] in ("rejected", "referred", "closed") for c in cases)


def _this_month(seeded: Seeded) -> list[dict]:
    month = datetime.now(VN_TZ).strftime("%Y-%m")
    return [c for c in seeded.cases if c["created_at"].astimezone(VN_TZ).strftime("%Y-%m") == month]


def _table(page, key: str) -> dict[str, int]:
    rows = page.locator(f"section[data-table='{key}'] tbody tr:not(.total)")
    values = rows.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    return {" / ".join(cells[:-2]): int(cells[-2]) for cells in values}


def open_reports(page, console: Console, seeded: Seeded) -> None:
    page.goto(f"{console.base_url}/center")
    page.fill("#token", seeded.reviewer)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#view-list:not([hidden])")
    page.click("#nav-reports")
    page.wait_for_selector("body[data-report]")


def test_report_tables_of_the_month(page, console: Console, seeded: Seeded) -> None:
    open_reports(page, console, seeded)
    month = _this_month(seeded)
    now = datetime.now(VN_TZ)
    title = f"Báo cáo hồ sơ trợ giúp pháp lý Tháng {now.month}/{now.year}"
    expect(page.locator("#report-title")).to_have_text(title)
    expect(page.locator("#report-summary")).to_contain_text(f"Tổng số: {len(month)} hồ sơ")
    # every table is there, each a real <table> with a total row
    keys = page.locator("section[data-table]").evaluate_all("s => s.map(n => n.dataset.table)")
    assert keys == ["status", "route", "legal_aid_form", "topic", "channel", "province", "commune", "outcome",
                    "first_contact"]
    for key in keys:
        total = page.locator(f"section[data-table='{key}'] tr.total td.num").first
        expect(total).to_have_text(str(len(month)) if key != "outcome" else str(statuses_final(month)))
    # the counts are those of the seeded cases of this month
    statuses = Counter(c["status"] for c in month)
    shown = _table(page, "status")
    expected = {STATUS_LABELS[CaseStatus(s)]: n for s, n in statuses.items()}
    assert {label: n for label, n in shown.items() if n} == expected
    assert len(shown) == len(CaseStatus)  # every status, zeros included
    assert _table(page, "province") == dict(Counter(c["province"] for c in month).most_common())
    assert sum(_table(page, "channel").values()) == len(month)
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_no_axe_violations(page)

    # a year holds every seeded case of this year
    page.select_option("#r-period", "year")
    page.click("#show-report")
    this_year = [c for c in seeded.cases if c["created_at"].astimezone(VN_TZ).year == now.year]
    expect(page.locator("#report-summary")).to_contain_text(f"Tổng số: {len(this_year)} hồ sơ")


def test_a_table_downloads_as_csv_and_xlsx(page, console: Console, seeded: Seeded) -> None:
    open_reports(page, console, seeded)
    month = _this_month(seeded)
    section = page.locator("section[data-table='province']")
    with page.expect_download() as info:
        section.get_by_role("button", name="Tải CSV: Theo tỉnh/thành phố").click()
    download = info.value
    name = download.suggested_filename
    assert name.startswith("bao-cao-tgpl-") and name.endswith("-province.csv"), name
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[2] == ["Tỉnh/thành phố", "Số hồ sơ", "Tỷ lệ"]
    assert lines[-1][:2] == ["Tổng số", str(len(month))]
    with page.expect_download() as info:
        section.get_by_role("button", name="Tải Excel: Theo tỉnh/thành phố").click()
    with zipfile.ZipFile(info.value.path()) as book:
        assert "Lào Cai" in book.read("xl/sharedStrings.xml").decode("utf-8")
    with page.expect_download() as info:
        page.click("#download-all")
    with zipfile.ZipFile(info.value.path()) as book:
        assert len([n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]) == 9


def test_report_prints_on_a4(page, console: Console, seeded: Seeded) -> None:
    open_reports(page, console, seeded)
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("#report-form")).to_be_hidden()
    expect(page.locator("section[data-table='status'] .actions")).to_be_hidden()
    expect(page.locator("section[data-table='status'] table")).to_be_visible()
    expect(page.locator("#report-printed")).to_be_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4 in points, from the page's @page rule


def test_report_page_headers_and_signed_out(browser, console: Console) -> None:
    with httpx.Client(base_url=console.base_url, trust_env=False) as client:
        for path in ("/center/bao-cao", "/center/static/reports.js", "/center/static/reports.css"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"]
            assert response.headers["x-frame-options"] == "DENY"
        html = client.get("/center/bao-cao").text
        assert "<style" not in html and " style=" not in html and not re.search(r"\son[a-z]+\s*=", html)
        assert client.get("/center/bao-cao?file_name=index.html").text == html
        assert client.get("/center/static/reports.html").status_code == 404
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{console.base_url}/center/bao-cao")
        page.wait_for_selector("body[data-ready]")
        expect(page.locator("#signed-out")).to_be_visible()
        expect(page.locator("#report-form")).to_be_hidden()
    finally:
        context.close()
