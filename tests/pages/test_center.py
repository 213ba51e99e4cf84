"""The centre dashboard (/center) in headless Chromium against the real api, and its headers.

Run: `bash scripts/install_browser.sh && .venv/bin/python -m pytest tests/pages -q`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

import pytest

from api.cases.provinces import PROVINCE_NAMES
from api.cases.security import Role, create_token, revoke_token
from api.cases.status import STATUS_LABELS
from api.cases.timezone import VN_TZ
from api.core.db import Database
from knowledge.vocabulary import GROUPS
from tests.pages.axe import assert_no_axe_violations
from tests.pages.conftest import (
    XSS_CALLER,
    XSS_COMMUNE,
    XSS_DESCRIPTION,
    PageWatch,
    Seeded,
    Server,
    expect,
    open_page,
)

PAGE_PATHS = {
    "/center": "text/html",
    "/center/static/app.js": "text/javascript",
    "/center/static/charts.js": "text/javascript",
    "/center/static/center.css": "text/css",
    "/center/static/staff.js": "text/javascript",  # api/static/shared/staff.js
    "/center/meta.json": "application/json",
}
SCREENSHOT = "/tmp/center.png"


def sign_in(page, server: Server, token: str) -> None:
    page.goto(f"{server.base_url}/center")
    page.fill("#token", token)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#view-list:not([hidden])")
    expect(page.locator("#list-summary")).to_have_text(re.compile(r"^Tìm thấy \d+ hồ sơ\.$"))


def summary_count(page) -> int:
    text = page.inner_text("#list-summary")
    match = re.search(r"Tìm thấy (\d+) hồ sơ", text)
    return int(match.group(1)) if match else 0


def apply_filters(page, expected: int) -> None:
    page.click("#apply-filters")
    text = f"Tìm thấy {expected} hồ sơ." if expected else "Không có hồ sơ."
    expect(page.locator("#list-summary")).to_have_text(text)


def visible_codes(page) -> list[str]:
    return page.eval_on_selector_all("#cases-body tr[data-code]", "rows => rows.map(r => r.dataset.code)")


def today_vn() -> datetime:
    return datetime.now(VN_TZ)


# ---------- headers and page source (httpx) ----------


@pytest.mark.parametrize(("path", "media_type"), PAGE_PATHS.items())
def test_security_headers(server: Server, path: str, media_type: str) -> None:
    with server.client(token=None) as client:
        response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    csp = response.headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_the_page_keeps_no_code_list_of_its_own(server: Server) -> None:
    """Labels come from GET /api/v1/vocabulary (knowledge/vocabulary.py), never from a JS list."""
    from knowledge.vocabulary import LISTS

    with server.client(token=None) as client:
        # (charts.js only draws what it is given)
        script = "".join(client.get(f"/center/static/{n}").text for n in ("staff.js", "app.js"))
        vocabulary = client.get("/api/v1/vocabulary").json()
    assert [t["code"] for t in vocabulary["topics"]] == list(LISTS["topics"].codes)
    for codes in LISTS.values():
        for term in codes.terms:
            assert f'"{term.label}"' not in script and f'"{term.code}"' not in script, term
    assert "Lào Cai" not in script and "+84" not in script  # no province table, no phone rule


def test_page_source_has_no_inline_script_and_no_foreign_urls(server: Server) -> None:
    with server.client(token=None) as client:
        html = client.get("/center").text
        scripts = "".join(client.get(f"/center/static/{n}").text for n in ("staff.js", "app.js", "charts.js"))
        missing = client.get("/center/static/..%2Fchat.html")
        unknown = client.get("/center/static/secret.txt")
    assert re.findall(r"<script\b[^>]*>", html) == [
        '<script src="/center/static/staff.js" defer>', '<script src="/center/static/charts.js" defer>',
        '<script src="/center/static/app.js" defer>',
    ]
    assert re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S) == ["", "", ""], "inline script"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), "a resource from another site"
    assert "innerHTML" not in re.sub(r"[Nn]othing here (?:ever )?assigns innerHTML", "", scripts)
    assert "insertAdjacentHTML" not in scripts and "document.write" not in scripts
    for response in (missing, unknown):
        assert response.status_code == 404
        assert response.headers["x-frame-options"] == "DENY"


def test_trailing_slash_and_unknown_paths(server: Server) -> None:
    with server.client(token=None) as client:
        slash = client.get("/center/")
        other = client.get("/center/ho-so/TGPL-2026-000001")
    assert slash.status_code == 307 and slash.headers["location"] == "/center"
    assert other.status_code == 404 and other.headers["cache-control"] == "no-store"


def test_pages_need_no_token_but_the_data_does(server: Server) -> None:
    with server.client(token=None) as client:
        meta = client.get("/center/meta.json").json()
        assert client.get("/api/v1/cases").status_code == 401
        assert client.get("/api/v1/stats").status_code == 401
    labels = {s["value"]: s["label"] for s in meta["statuses"]}
    assert labels == {s.value: v for s, v in STATUS_LABELS.items()}
    assert meta["provinces"] == list(PROVINCE_NAMES) and len(meta["provinces"]) == 34
    rules = {s["value"]: (s["next"], s["requires"]) for s in meta["statuses"]}
    assert rules["new"] == (["accepted", "rejected", "referred"], None)
    assert rules["closed"] == ([], "outcome")


# ---------- in the browser ----------


def test_sign_in_and_sign_out(page, server: Server, seeded: Seeded) -> None:
    page.goto(f"{server.base_url}/center")
    page.wait_for_selector("#view-login:not([hidden])")
    assert not page.is_visible("#nav")
    page.fill("#token", "sai-ma-truy-cap")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error:not([hidden])")
    assert "mã truy cập hợp lệ" in page.inner_text("#login-error")
    assert page.evaluate("sessionStorage.getItem('tgpl-center-token')") is None

    sign_in(page, server, seeded.reviewer)
    assert summary_count(page) == len(seeded.cases)
    assert page.evaluate("sessionStorage.getItem('tgpl-center-token')") == seeded.reviewer
    assert page.evaluate("localStorage.length") == 0
    people = page.eval_on_selector_all(
        "#cases-body td[data-label='Người được trợ giúp']", "cells => cells.map(c => c.textContent)"
    )
    assert len(people) == 20
    assert all("*" in person for person in people), people  # names and phones masked in the list
    assert not any("Nguyễn Văn An" in person or "0912" in person for person in people)

    page.reload()  # the token stays for the life of the tab
    expect(page.locator("#list-summary")).to_have_text(f"Tìm thấy {len(seeded.cases)} hồ sơ.")
    groups = page.eval_on_selector_all("#f-group option", "o => o.map(x => [x.value, x.textContent])")
    assert ["khoan_2_ho_ngheo", "Khoản 2 — Người thuộc hộ nghèo"] in groups  # labels of /api/v1/vocabulary
    assert len(groups) == 1 + len(GROUPS)

    page.click("#sign-out")
    page.wait_for_selector("#view-login:not([hidden])")
    assert page.inner_text("#notice") == "Bạn đã đăng xuất."
    assert page.evaluate("sessionStorage.getItem('tgpl-center-token')") is None
    assert page.eval_on_selector("#cases-body", "b => b.children.length") == 0
    page.reload()
    page.wait_for_selector("#view-login:not([hidden])")
    assert not page.is_visible("#view-list")


def test_filters_and_paging(page, server: Server, seeded: Seeded) -> None:
    cases = seeded.cases
    sign_in(page, server, seeded.reviewer)
    assert page.inner_text("#page-info").startswith("Trang 1/2")
    assert page.is_disabled("#prev-page")
    first_page = visible_codes(page)
    page.click("#next-page")
    expect(page.locator("#page-info")).to_have_text(re.compile(r"^Trang 2/2"))
    second_page = visible_codes(page)
    assert len(first_page) == 20 and len(second_page) == len(cases) - 20
    assert not set(first_page) & set(second_page)
    assert page.is_disabled("#next-page")

    page.select_option("#f-province", "Đà Nẵng")
    expected = [c["code"] for c in cases if c["province"] == "Đà Nẵng"]
    apply_filters(page, len(expected))
    assert sorted(visible_codes(page)) == sorted(expected)  # back on page 1 after filtering
    cells = page.eval_on_selector_all(
        "#cases-body td[data-label='Tỉnh/thành phố']", "c => c.map(x => x.textContent)"
    )
    assert all(cell.startswith("Đà Nẵng") for cell in cells)

    page.click("#clear-filters")
    expect(page.locator("#list-summary")).to_have_text(f"Tìm thấy {len(cases)} hồ sơ.")

    with server.client() as client:
        rejected = client.get("/api/v1/cases", params={"status": "rejected"}).json()["count"]
    assert rejected >= 3
    page.select_option("#f-status", label="Bị từ chối")
    apply_filters(page, rejected)
    badges = page.eval_on_selector_all("#cases-body .badge", "b => b.map(x => x.textContent)")
    assert badges == ["Bị từ chối"] * rejected
    page.select_option("#f-status", "")

    page.select_option("#f-group", "khoan_2_ho_ngheo")
    page.select_option("#f-topic", label="Đất đai")
    expected = [c for c in cases if c["eligibility_group"] == "khoan_2_ho_ngheo" and c["topic"] == "dat_dai"]
    assert expected
    apply_filters(page, len(expected))
    groups = page.eval_on_selector_all("#cases-body td.group", "c => c.map(x => x.textContent)")
    assert groups == ["Khoản 2 — Người thuộc hộ nghèoĐất đai"] * len(expected)  # labels, not codes
    page.select_option("#f-group", "")
    page.select_option("#f-topic", "")

    # A phone number in any spelling finds the case (blind index), the caller's number too.
    phone = cases[5]["phone"]  # "0912000005"
    for typed in (f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}", f"84-{phone[1:4]}-{phone[4:7]}-{phone[7:]}"):
        page.fill("#f-q", typed)
        apply_filters(page, 1)
        assert visible_codes(page) == [cases[5]["code"]]
    page.fill("#f-q", "0987.000.102")  # the neighbour who called for the markup case
    apply_filters(page, 1)
    assert visible_codes(page) == [seeded.codes["xss"]]
    page.fill("#f-q", "")

    page.fill("#f-q", "thua ke")  # without diacritics
    expected = [c for c in cases if "thừa kế" in c["description"]]
    assert expected
    apply_filters(page, len(expected))
    page.fill("#f-q", "")

    today = today_vn().date()
    created_today = [c for c in cases if c["created_at"].astimezone(VN_TZ).date() == today]
    page.fill("#f-from", today.isoformat())
    apply_filters(page, len(created_today))
    page.fill("#f-from", "")
    page.fill("#f-to", (today - timedelta(days=1)).isoformat())
    apply_filters(page, len(cases) - len(created_today))

    page.fill("#f-q", "khong-co-chu-nao-nhu-the")
    apply_filters(page, 0)
    assert page.inner_text("#cases-body") == "Không có hồ sơ nào khớp với bộ lọc."


def test_case_detail_and_status_change(page, server: Server, seeded: Seeded) -> None:
    code = seeded.codes["accept"]
    sign_in(page, server, seeded.reviewer)
    page.fill("#f-q", code)
    apply_filters(page, 1)
    page.click(f"#cases-body a:has-text('{code}')")
    page.wait_for_selector("#view-detail:not([hidden])")
    page.wait_for_selector(f"#view-detail[data-code='{code}']")
    assert page.url.endswith(f"#ho-so/{code}")
    assert page.inner_text("#d-status") == "Mới"
    assert "Đinh Thị Hoa" in page.inner_text("#d-fields")  # full name for a reviewer
    assert page.locator("#d-events li").count() == 1
    assert "Tiếp nhận hồ sơ" in page.inner_text("#d-events")
    options = page.eval_on_selector_all("#u-status option", "o => o.map(x => x.textContent)")
    assert options == ["— Giữ nguyên: Mới —", "Đã thụ lý", "Bị từ chối", "Đã chuyển nơi khác"]

    # Reason missing for "rejected": the api's 422 message is shown, nothing changes.
    page.select_option("#u-status", "rejected")
    assert page.is_visible("#u-rejection") and not page.is_visible("#u-outcome")
    page.click("#save-update")
    page.wait_for_selector("#update-error:not([hidden])")
    assert page.inner_text("#update-error") == "Cần ghi lý do từ chối (rejection_reason)."
    assert page.inner_text("#d-status") == "Mới"

    # new → accepted with an assignee and a note: a new event appears in the history.
    page.select_option("#u-status", "accepted")
    assert not page.is_visible("#u-rejection")
    page.fill("#u-assignee", "Trần Thị Bình")
    page.fill("#u-note", "Đã gọi điện xác minh thông tin.")
    page.click("#save-update")
    expect(page.locator("#d-status")).to_have_text("Đã thụ lý")
    assert page.inner_text("#notice") == f"Đã lưu thay đổi cho hồ sơ {code}."
    assert not page.is_visible("#update-error")
    events = page.locator("#d-events li")
    assert events.count() == 2
    last = events.nth(1).inner_text()
    assert "Chuyển trạng thái: Mới → Đã thụ lý" in last
    assert "Người thực hiện: (trống) → Trần Thị Bình" in last
    assert "Ghi chú: Đã gọi điện xác minh thông tin." in last
    assert "Lò Thị Mai" in last  # the actor
    assert page.input_value("#u-assignee") == "Trần Thị Bình" and page.input_value("#u-note") == ""
    options = page.eval_on_selector_all("#u-status option", "o => o.map(x => x.value)")
    assert options == ["", "referred", "in_progress"] or options == ["", "in_progress", "referred"]
    with server.client() as client:
        stored = client.get(f"/api/v1/cases/{code}").json()
    assert stored["status"] == "accepted" and stored["assignee"] == "Trần Thị Bình"

    # Back in the list, the case shows its new status.
    page.click("#back-to-list")
    page.wait_for_selector("#view-list:not([hidden])")
    page.wait_for_selector(f"#cases-body tr[data-code='{code}'] .badge:has-text('Đã thụ lý')")


def save(page, expected_status: str) -> None:
    page.click("#save-update")
    expect(page.locator("#d-status")).to_have_text(expected_status)
    assert not page.is_visible("#update-error")


def test_required_fields_of_the_final_statuses(page, server: Server, seeded: Seeded) -> None:
    referred, closed = seeded.cases[12]["code"], seeded.cases[13]["code"]
    sign_in(page, server, seeded.reviewer)

    page.goto(f"{server.base_url}/center#ho-so/{referred}")
    page.wait_for_selector(f"#view-detail[data-code='{referred}']")
    page.select_option("#u-status", "referred")
    assert page.is_visible("#u-referred") and not page.is_visible("#u-rejection")
    page.fill("#u-referred", "Phòng Tư pháp xã Số 12")
    save(page, "Đã chuyển nơi khác")
    assert "Phòng Tư pháp xã Số 12" in page.inner_text("#d-fields")
    assert "Chuyển đến: (trống) → Phòng Tư pháp xã Số 12" in page.inner_text("#d-events li >> nth=-1")

    page.goto(f"{server.base_url}/center#ho-so/{closed}")
    page.wait_for_selector(f"#view-detail[data-code='{closed}']")
    page.select_option("#u-status", "accepted")
    save(page, "Đã thụ lý")
    page.select_option("#u-status", "in_progress")
    save(page, "Đang thực hiện")
    page.select_option("#u-status", "closed")
    assert page.is_visible("#u-outcome")
    page.click("#save-update")
    page.wait_for_selector("#update-error:not([hidden])")
    assert page.inner_text("#update-error") == "Cần ghi kết quả vụ việc (outcome) khi đóng hồ sơ."
    page.select_option("#u-outcome-code", label="Đã thực hiện xong yêu cầu trợ giúp pháp lý")
    page.fill("#u-outcome", "Đã hòa giải thành, hai bên ký biên bản.")
    save(page, "Đã đóng")
    fields = page.inner_text("#d-fields")
    assert "Đã thực hiện xong yêu cầu trợ giúp pháp lý" in fields and "Đã hòa giải thành" in fields
    with server.client() as client:
        stored = client.get(f"/api/v1/cases/{closed}").json()
    assert stored["outcome_code"] == "hoan_thanh" and stored["accepted_at"] and stored["first_contact_at"]
    assert page.is_disabled("#u-status")
    assert page.locator("#d-events li").count() == 4


def test_report_fields_in_the_detail_view(page, server: Server, seeded: Seeded) -> None:
    code = seeded.cases[6]["code"]
    sign_in(page, server, seeded.reviewer)
    page.goto(f"{server.base_url}/center#ho-so/{code}")
    page.wait_for_selector(f"#view-detail[data-code='{code}']")
    assert "Chính người được trợ giúp" in page.inner_text("#d-fields")  # no separate caller
    page.click("#u-report summary")
    forms = page.eval_on_selector_all("#u-form option", "o => o.map(x => x.textContent)")
    assert forms[1:] == ["Tham gia tố tụng", "Tư vấn pháp luật", "Đại diện ngoài tố tụng"]
    page.select_option("#u-form", label="Tư vấn pháp luật")
    page.select_option("#u-gender", label="Nữ")
    page.fill("#u-birth-year", "1956")
    page.fill("#u-ethnicity", "Tày")
    page.click("#save-update")  # ethnicity without the person's consent: refused, nothing saved
    page.wait_for_selector("#update-error:not([hidden])")
    assert page.inner_text("#update-error").startswith("Chỉ ghi dân tộc khi người được trợ giúp đồng ý")
    page.check("#u-ethnicity-consent")
    page.click("#save-update")
    expect(page.locator("#notice")).to_have_text(f"Đã lưu thay đổi cho hồ sơ {code}.")
    fields = page.inner_text("#d-fields")
    assert "Tư vấn pháp luật" in fields and "Nữ" in fields and "1956" in fields and "Tày" in fields
    last = page.inner_text("#d-events li >> nth=-1")
    assert "Hình thức trợ giúp pháp lý: (trống) → Tư vấn pháp luật" in last
    assert "Giới tính: (trống) → Nữ" in last
    assert page.inner_text("#d-status") == "Mới"
    with server.client() as client:
        stored = client.get(f"/api/v1/cases/{code}").json()
    assert (stored["legal_aid_form"], stored["beneficiary_gender"], stored["beneficiary_birth_year"],
            stored["ethnicity"]) == ("tu_van_phap_luat", "nu", 1956, "Tày")


def test_no_axe_violation_on_the_list_the_detail_and_the_charts(page, server: Server, seeded: Seeded) -> None:
    page.goto(f"{server.base_url}/center")
    page.wait_for_selector("#view-login:not([hidden])")
    assert_no_axe_violations(page)  # the sign-in form
    sign_in(page, server, seeded.reviewer)
    assert_no_axe_violations(page)  # the list with its filters
    code = seeded.codes["xss"]  # a case with a caller
    page.goto(f"{server.base_url}/center#ho-so/{code}")
    page.wait_for_selector(f"#view-detail[data-code='{code}']")
    page.click("#u-report summary")  # the report fields open
    page.select_option("#u-status", "accepted")
    assert_no_axe_violations(page)
    page.click("#nav-stats")
    page.wait_for_selector("#chart-topic svg")
    assert_no_axe_violations(page)


def test_revoked_token_signs_out(page, server: Server, seeded: Seeded) -> None:
    database = Database(server.database_url, migrate=False)
    with database.session() as session:
        record, secret = create_token(session, name="Cán bộ tạm", role=Role.reviewer)
        token_id = record.id
    sign_in(page, server, secret)
    with database.session() as session:
        revoke_token(session, token_id=token_id)
    database.dispose()
    page.click("#next-page")
    page.wait_for_selector("#view-login:not([hidden])")
    assert "mã truy cập hợp lệ" in page.inner_text("#login-error")
    assert page.evaluate("sessionStorage.getItem('tgpl-center-token')") is None
    assert page.eval_on_selector("#cases-body", "b => b.children.length") == 0


def test_conflict_shows_the_api_message_and_the_current_state(page, server: Server, seeded: Seeded) -> None:
    code = seeded.codes["refer"]
    sign_in(page, server, seeded.reviewer)
    page.goto(f"{server.base_url}/center#ho-so/{code}")
    page.wait_for_selector(f"#view-detail[data-code='{code}']")
    page.wait_for_selector("#d-status:has-text('Mới')")
    # Meanwhile a colleague rejects the case.
    with server.client() as client:
        change = {"status": "rejected", "rejection_reason": "Trùng."}
        answer = client.patch(f"/api/v1/cases/{code}", json=change)
        assert answer.status_code == 200
    page.select_option("#u-status", "referred")
    assert page.is_visible("#u-referred")
    page.fill("#u-referred", "Trung tâm TGPL Hà Nội")
    page.click("#save-update")
    page.wait_for_selector("#update-error:not([hidden])")
    assert page.inner_text("#update-error") == (
        "Không thể chuyển hồ sơ từ trạng thái 'Bị từ chối' sang 'Đã chuyển nơi khác'."
    )
    expect(page.locator("#d-status")).to_have_text("Bị từ chối")
    assert page.is_disabled("#u-status")  # a final status: nothing to choose
    assert "Trùng." in page.inner_text("#d-fields")


def test_markup_from_the_api_is_shown_as_text(page, server: Server, seeded: Seeded) -> None:
    code = seeded.codes["xss"]
    sign_in(page, server, seeded.reviewer)
    page.fill("#f-q", code)
    apply_filters(page, 1)
    row = page.locator(f"#cases-body tr[data-code='{code}']")
    assert row.locator("td.desc").inner_text() == XSS_DESCRIPTION
    assert XSS_COMMUNE in row.inner_text() and "Người gọi: Hàng xóm · <b o**" in row.inner_text()
    assert page.locator("#cases-body img, #cases-body script, #cases-body b").count() == 0

    page.click(f"#cases-body a:has-text('{code}')")
    page.wait_for_selector(f"#view-detail[data-code='{code}']")
    assert page.text_content("#d-description") == XSS_DESCRIPTION
    fields = page.inner_text("#d-fields")
    assert "<script>alert(9)</script>" in fields and XSS_COMMUNE in fields and XSS_CALLER in fields
    assert page.locator("main img, main script, main b").count() == 0

    page.click("#nav-stats")
    page.wait_for_selector("#chart-group svg")
    labels = page.eval_on_selector_all("#chart-group svg title", "t => t.map(x => x.textContent)")
    assert labels and all(label.startswith("Khoản 3 — Trẻ em") for label in labels)  # a label, not the code
    topics = page.eval_on_selector_all("#chart-topic svg title", "t => t.map(x => x.textContent)")
    assert any(label.startswith("Đất đai") for label in topics) and not any("dat_dai" in t for t in topics)
    assert page.locator("#view-stats b, #view-stats img").count() == 0

    page.wait_for_timeout(300)  # an onerror handler would have run by now
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # the `page` fixture asserts afterwards that no dialog fired and no script error happened


def test_csv_export(page, server: Server, seeded: Seeded) -> None:
    sign_in(page, server, seeded.reviewer)
    page.select_option("#f-province", "Lào Cai")
    expected = {c["code"]: c for c in seeded.cases if c["province"] == "Lào Cai"}
    apply_filters(page, len(expected))
    with page.expect_download() as download_info:
        page.click("#export-csv")
    download = download_info.value
    assert re.fullmatch(r"ho-so-tro-giup-phap-ly-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã hồ sơ", "Ngày tiếp nhận (giờ Việt Nam)"]
    assert {row[0] for row in rows[1:]} == set(expected)
    names = {row[0]: row[4] for row in rows[1:]}
    assert all(names[code] == case["full_name"] for code, case in expected.items())  # full values
    header = rows[0]
    topics = {row[0]: row[header.index("Lĩnh vực")] for row in rows[1:]}
    assert set(topics.values()) <= {"Đất đai", "Hôn nhân và gia đình", "Lao động", "Dân sự"}  # labels
    page.wait_for_selector("#notice:not([hidden])")
    assert page.inner_text("#notice") == "Đã xuất tệp CSV theo bộ lọc đang chọn."


def test_operator_sees_the_api_refusals(page, server: Server, seeded: Seeded) -> None:
    sign_in(page, server, seeded.operator)
    page.click("#export-csv")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error") == "Mã truy cập của bạn không có quyền thực hiện thao tác này."
    code = seeded.cases[5]["code"]
    page.goto(f"{server.base_url}/center#ho-so/{code}")
    page.wait_for_selector(f"#view-detail[data-code='{code}']")
    assert "*" in page.inner_text("#d-fields")  # masked for an operator
    page.fill("#u-note", "Thử ghi chú")
    page.click("#save-update")
    page.wait_for_selector("#update-error:not([hidden])")
    assert "không có quyền" in page.inner_text("#update-error")


def test_stats_charts(page, server: Server, seeded: Seeded) -> None:
    with server.client() as client:
        stats = client.get("/api/v1/stats").json()
    sign_in(page, server, seeded.reviewer)
    page.click("#nav-stats")
    page.wait_for_selector("#chart-month svg")
    assert page.url.endswith("#thong-ke")
    assert page.inner_text("#stats-total") == f"Tổng số: {stats['total']} hồ sơ."
    tiles = page.eval_on_selector_all(
        "#stats-status .tile",
        "t => Object.fromEntries(t.map(x => [x.dataset.status, x.querySelector('strong').textContent]))",
    )
    assert tiles == {s.value: str(stats["by_status"].get(s.value, 0)) for s in STATUS_LABELS}
    bars = page.eval_on_selector_all(
        "#chart-month rect.bar", "r => r.map(x => x.querySelector('title').textContent)"
    )
    assert len(bars) == len(stats["by_month"]) == 6  # six consecutive months, no gap
    for month, count in stats["by_month"].items():
        year, number = month.split("-")
        assert f"Tháng {int(number)}/{year}: {count} hồ sơ" in bars
    heights = page.eval_on_selector_all("#chart-month rect.bar", "r => r.map(x => x.getBBox().height)")
    assert all(h > 0 for h in heights)
    provinces = page.eval_on_selector_all("#chart-province rect.bar", "r => r.length")
    assert provinces == len(stats["by_province"])
    assert page.locator("#chart-group rect.bar").count() == len(stats["by_eligibility_group"])

    # The charts follow the list's filters.
    page.click("#nav-list")
    page.select_option("#f-province", "Cần Thơ")
    expected = sum(1 for c in seeded.cases if c["province"] == "Cần Thơ")
    apply_filters(page, expected)
    page.click("#nav-stats")
    expect(page.locator("#stats-total")).to_have_text(f"Tổng số: {expected} hồ sơ (theo bộ lọc).")
    assert page.locator("#chart-province rect.bar").count() == 1


def test_phone_layout(browser, server: Server, seeded: Seeded, watch: PageWatch) -> None:
    context, page = open_page(browser, server, watch, width=390, height=844)
    try:
        sign_in(page, server, seeded.reviewer)
        assert not page.is_visible("#cases thead")  # one card per case
        overflow = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
        assert page.evaluate(overflow) <= 0
        page.click("#cases-body a.code-link >> nth=0")
        page.wait_for_selector("#view-detail:not([hidden]) #d-events li")
        assert page.evaluate(overflow) <= 0
        page.click("#nav-stats")
        page.wait_for_selector("#chart-month svg")
        assert page.evaluate(overflow) <= 0
    finally:
        context.close()
    assert watch.dialogs == [] and watch.errors == [] and watch.foreign == []


def test_screenshot(page, server: Server, seeded: Seeded) -> None:
    sign_in(page, server, seeded.reviewer)
    # the whole table fits a 1280 px laptop screen: no sideways scrolling
    assert page.eval_on_selector(".table-wrap", "w => w.scrollWidth - w.clientWidth") <= 0
    page.screenshot(path=SCREENSHOT, full_page=True)
    with open(SCREENSHOT, "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"



# ---------- issue 11: duplicates shown to staff, audit log for admins (last: they add data) ----------


def test_a_duplicate_submission_is_shown_in_the_history_and_changes_nothing(
    page, server: Server, seeded: Seeded
) -> None:
    from tests.pages.conftest import case_body

    owner = case_body(200, full_name="Lương Thị Thảo", province="Cần Thơ")
    with server.client() as client:
        code = client.post("/api/v1/cases", json=owner).json()["code"]
        duplicate = client.post(
            "/api/v1/cases", json=owner | {"full_name": "Người Lạ", "province": "Hà Nội", "channel": "web"}
        )
    assert duplicate.status_code == 200 and duplicate.json()["code"] == ""
    sign_in(page, server, seeded.reviewer)
    page.goto(f"{server.base_url}/center#ho-so/{code}")
    page.wait_for_selector(f"#view-detail[data-code='{code}']")
    fields = page.inner_text("#d-fields")
    assert "Lương Thị Thảo" in fields and "Cần Thơ" in fields and "Người Lạ" not in fields
    event = page.locator("#d-events li[data-action='resubmitted']").inner_text()
    assert "Có yêu cầu trùng được gửi (hồ sơ không thay đổi)" in event
    assert "Đã gửi – Họ và tên: Người Lạ" in event and "Đã gửi – Kênh: Trang web" in event
    assert "Đã gửi – Tỉnh/thành phố: Hà Nội" in event and "→" not in event


def test_admins_see_the_audit_log_of_case_views_and_exports(browser, server: Server, seeded: Seeded) -> None:
    from tests.pages.conftest import ADMIN_TOKEN

    code = seeded.cases[7]["code"]
    with server.client(token=seeded.reviewer) as client:
        assert client.get(f"/api/v1/cases/{code}").status_code == 200
        assert client.get("/api/v1/cases.csv", params={"province": "Cần Thơ"}).status_code == 200
        exported = client.get("/api/v1/cases", params={"province": "Cần Thơ"}).json()["count"]

    watch = PageWatch()
    context, page = open_page(browser, server, watch)
    try:
        sign_in(page, server, seeded.reviewer)  # not an admin: no audit page
        page.wait_for_timeout(300)
        assert not page.is_visible("#nav-audit")
        page.goto(f"{server.base_url}/center#nhat-ky")
        page.wait_for_selector("#view-list:not([hidden])")
        assert not page.is_visible("#view-audit")
        page.click("#sign-out")

        sign_in(page, server, ADMIN_TOKEN)
        page.wait_for_selector("#nav-audit:not([hidden])")
        page.click("#nav-audit")
        page.wait_for_selector("#view-audit:not([hidden])")
        assert page.url.endswith("#nhat-ky")
        expect(page.locator("#audit-summary")).to_have_text(re.compile(r"^Có \d+ lượt truy cập\.$"))
        rows = page.locator("#audit-body tr")
        export, view = rows.nth(0).inner_text(), rows.nth(1).inner_text()  # newest first
        assert "Xuất tệp CSV" in export and "Tỉnh/thành phố: Cần Thơ" in export
        assert "Lò Thị Mai - TT TGPL Lai Châu (reviewer)" in export
        assert rows.nth(0).locator("td[data-label='Số hồ sơ']").inner_text() == str(exported)
        assert "Xem chi tiết hồ sơ" in view and code in view and "đầy đủ họ tên" in view

        page.select_option("#a-action", "case_viewed")
        page.fill("#a-code", code.lower())
        page.click("#apply-audit")
        expect(page.locator("#audit-summary")).to_have_text(re.compile(r"^Có \d+ lượt truy cập\.$"))
        actions = page.eval_on_selector_all("#audit-body tr", "rows => rows.map(r => r.dataset.action)")
        assert actions and set(actions) == {"case_viewed"}
        page.click(f"#audit-body a:has-text('{code}')")  # the code opens the case
        page.wait_for_selector(f"#view-detail[data-code='{code}']")
    finally:
        context.close()
    assert watch.dialogs == [] and watch.errors == [] and watch.foreign == []
