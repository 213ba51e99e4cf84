"""The centre's report (issue 14 item 11): every table computed from known cases (pure), then the
api over a real case store (SQLite and PostgreSQL): JSON, one table as CSV, the .xlsx workbook."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from api.cases.models import Case
from api.cases.reports import NOT_CONTACTED, NOT_RECORDED, CaseRow, Period, ReportLabels, build_report
from api.routes.reports import report_labels
from tests.cases.conftest import case_body

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LABELS = ReportLabels(
    channels={"web": "Trang web", "zalo": "Zalo", "hotline": "Tổng đài", "api": "Hệ thống khác"},
    groups={"khoan_2_ho_ngheo": "Khoản 2 — Người thuộc hộ nghèo", "khoan_3_tre_em": "Khoản 3 — Trẻ em"},
    topics={"dat_dai": "Đất đai", "lao_dong": "Lao động"},
    legal_aid_forms={"tu_van_phap_luat": "Tư vấn pháp luật", "tham_gia_to_tung": "Tham gia tố tụng"},
    outcomes={"hoan_thanh": "Đã thực hiện xong", "rut_yeu_cau": "Rút yêu cầu"},
)
NOV = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def row(**values) -> CaseRow:
    defaults = {"created_at": NOV, "status": "new", "channel": "web", "province": "Lào Cai"}
    return CaseRow(**(defaults | values))


KNOWN = [
    row(eligibility_group="khoan_2_ho_ngheo", topic="dat_dai", commune="Xã Bảo Hà",
        first_contact_at=NOV + timedelta(hours=5)),
    row(eligibility_group="khoan_2_ho_ngheo", topic="dat_dai", commune="Xã Bảo Hà", channel="zalo",
        status="closed", outcome="hoan_thanh", legal_aid_form="tu_van_phap_luat",
        first_contact_at=NOV + timedelta(days=2)),
    row(eligibility_group="khoan_3_tre_em", topic="lao_dong", channel="hotline", province="Hà Nội",
        commune="Phường Ba Đình", status="rejected", first_contact_at=NOV + timedelta(days=10)),
    row(topic="thuế", channel="hotline", province="Hà Nội", status="accepted",
        legal_aid_form="tham_gia_to_tung"),
    # outside November (Vietnam time): 1 December 00:30 is 30 November 17:30 UTC
    row(created_at=datetime(2026, 11, 30, 17, 30, tzinfo=UTC), status="new"),
    row(created_at=datetime(2026, 10, 31, 16, 59, tzinfo=UTC), status="new"),
]


def counts(report, key: str) -> dict[tuple[str, ...] | str, int]:
    return {(r.cells[0] if len(r.cells) == 1 else r.cells): r.count for r in report.table(key).rows}


def test_period_bounds() -> None:
    assert (Period.of("month", 2026, 12).start.isoformat(), Period.of("month", 2026, 12).end.isoformat()) == (
        "2026-12-01", "2027-01-01")
    quarter = Period.of("quarter", 2026, 4)
    assert (quarter.start.isoformat(), quarter.end.isoformat(), quarter.label) == (
        "2026-10-01", "2027-01-01", "Quý IV năm 2026")
    year = Period.of("year", 2026)
    assert (year.start.isoformat(), year.end.isoformat(), year.slug) == ("2026-01-01", "2027-01-01", "2026")
    with pytest.raises(ValueError):
        Period.of("quarter", 2026, 5)


def test_every_table_from_known_cases() -> None:
    report = build_report(KNOWN, Period.of("month", 2026, 11), LABELS)
    assert report.total == 4  # the two cases outside November (Vietnam time) are not counted
    assert report.title == "Báo cáo hồ sơ trợ giúp pháp lý Tháng 11/2026"
    assert counts(report, "status") == {
        "Mới": 1, "Đã thụ lý": 1, "Bị từ chối": 1, "Đã chuyển nơi khác": 0, "Đang thực hiện": 0, "Đã đóng": 1,
    }
    assert counts(report, "route") == {
        "Khoản 2 — Người thuộc hộ nghèo": 2, "Khoản 3 — Trẻ em": 1, NOT_RECORDED: 1,
    }
    assert counts(report, "legal_aid_form") == {"Tư vấn pháp luật": 1, "Tham gia tố tụng": 1, NOT_RECORDED: 2}
    # a code the vocabulary does not know is shown as stored, never dropped
    assert counts(report, "topic") == {"Đất đai": 2, "Lao động": 1, "thuế": 1}
    assert counts(report, "channel") == {"Trang web": 1, "Zalo": 1, "Tổng đài": 2, "Hệ thống khác": 0}
    assert counts(report, "province") == {"Hà Nội": 2, "Lào Cai": 2}
    assert counts(report, "commune") == {
        ("Hà Nội", "Phường Ba Đình"): 1, ("Hà Nội", NOT_RECORDED): 1, ("Lào Cai", "Xã Bảo Hà"): 2,
    }
    # outcome: over finished cases only (closed, rejected, referred)
    assert counts(report, "outcome") == {"Đã thực hiện xong": 1, "Rút yêu cầu": 0, NOT_RECORDED: 1}
    assert report.table("outcome").total == 2
    assert counts(report, "first_contact") == {
        "Trong 24 giờ": 1, "Từ 1 đến 3 ngày": 1, "Từ 3 đến 7 ngày": 0, "Từ 7 đến 30 ngày": 1,
        "Trên 30 ngày": 0, NOT_CONTACTED: 1,
    }
    assert report.table("first_contact").note == "Trung vị: 48,0 giờ (3 hồ sơ đã được liên hệ)."
    status = report.table("status")
    assert [round(r.share, 2) for r in status.rows] == [0.25, 0.25, 0.25, 0.0, 0.0, 0.25]
    assert all(t.total == 4 for t in report.tables if t.key != "outcome")


def test_province_filter_and_empty_period() -> None:
    report = build_report(KNOWN, Period.of("month", 2026, 11), LABELS, province="Hà Nội")
    assert report.total == 2 and report.title.endswith("— Hà Nội")
    assert counts(report, "province") == {"Hà Nội": 2}
    empty = build_report(KNOWN, Period.of("year", 2025), LABELS)
    assert empty.total == 0 and counts(empty, "route") == {}
    assert all(r.share == 0 for t in empty.tables for r in t.rows)


def test_labels_cover_every_code_the_store_accepts() -> None:
    labels = report_labels()
    assert labels.channels["hotline"] == "Tổng đài"
    assert "khoan_2_ho_ngheo" in labels.groups


# ---------- the api ----------


def _seed(client, staff, session) -> list[str]:
    """Four cases in November 2026 and one in December, two of them handled by staff."""
    bodies = [
        case_body(),
        case_body(phone="0912 000 001", channel="hotline", description="Việc thứ hai về đất."),
        case_body(phone="0912 000 002", province="Hà Nội", commune="Phường Ba Đình",
                  eligibility_group="khoan_3_tre_em", description="Việc thứ ba."),
        case_body(phone="0912 000 003", channel="web", commune=None, description="Việc thứ tư."),
        case_body(phone="0912 000 004", description="Tháng mười hai."),
    ]
    codes = []
    for body in bodies:
        response = client.post("/api/v1/cases", json=body, headers=staff.admin)
        assert response.status_code == 201, response.text
        codes.append(response.json()["code"])
    created = [NOV, NOV, NOV, NOV, datetime(2026, 12, 2, 3, tzinfo=UTC)]
    for code, at in zip(codes, created, strict=True):
        session.execute(update(Case).where(Case.code == code).values(created_at=at))
    session.commit()
    accept = {"status": "accepted", "legal_aid_form": "tu_van_phap_luat"}
    answer = client.patch(f"/api/v1/cases/{codes[0]}", json=accept, headers=staff.reviewer)
    assert answer.status_code == 200, answer.text
    reject = {"status": "rejected", "rejection_reason": "Không thuộc diện."}
    answer = client.patch(f"/api/v1/cases/{codes[2]}", json=reject, headers=staff.reviewer)
    assert answer.status_code == 200, answer.text
    # a note is not a contact: the case stays "new", not contacted
    note = {"note": "Chưa gọi được."}
    answer = client.patch(f"/api/v1/cases/{codes[3]}", json=note, headers=staff.reviewer)
    assert answer.status_code == 200, answer.text
    return codes


NOVEMBER = {"period": "month", "year": 2026, "month": 11}


def test_report_api(client, staff, session) -> None:
    _seed(client, staff, session)
    assert client.get("/api/v1/reports", params=NOVEMBER).status_code == 401
    assert client.get("/api/v1/reports", params=NOVEMBER, headers=staff.operator).status_code == 403
    response = client.get("/api/v1/reports", params=NOVEMBER, headers=staff.reviewer)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["total"] == 4 and report["period"] == "Tháng 11/2026"
    tables = {t["key"]: t for t in report["tables"]}
    assert list(tables) == [
        "status", "route", "legal_aid_form", "topic", "channel", "province", "commune", "outcome",
        "first_contact",
    ]

    def table(key: str) -> dict:
        rows = tables[key]["rows"]
        return {tuple(r["cells"]) if len(r["cells"]) > 1 else r["cells"][0]: r["count"] for r in rows}

    status = table("status")
    assert status["Mới"] == 2 and status["Đã thụ lý"] == 1 and status["Bị từ chối"] == 1
    assert table("province") == {"Lào Cai": 3, "Hà Nội": 1}
    assert table("commune") == {("Hà Nội", "Phường Ba Đình"): 1, ("Lào Cai", "Xã Bảo Hà"): 2,
                                ("Lào Cai", NOT_RECORDED): 1}
    assert sum(table("channel").values()) == 4 and table("channel")["Tổng đài"] == 1
    assert sum(table("route").values()) == 4
    assert table("route")["Khoản 2 — Người thuộc hộ nghèo"] == 3  # the vocabulary's label of the code
    assert table("legal_aid_form") == {
        "Tham gia tố tụng": 0, "Tư vấn pháp luật": 1, "Đại diện ngoài tố tụng": 0, NOT_RECORDED: 3,
    }
    assert table("topic") == {"Đất đai": 4}
    # two cases were moved out of "new" by staff (today, so long after November), the other two not yet
    contact = table("first_contact")
    assert contact[NOT_CONTACTED] == 2 and sum(contact.values()) == 4
    assert tables["outcome"]["total"] == 1  # the rejected case
    quarter = client.get("/api/v1/reports", params={"period": "quarter", "year": 2026, "quarter": 4},
                         headers=staff.reviewer).json()
    assert quarter["total"] == 5 and quarter["period"] == "Quý IV năm 2026"
    only = client.get("/api/v1/reports", params=NOVEMBER | {"province": "ha noi"}, headers=staff.reviewer)
    only = only.json()
    assert only["total"] == 1 and only["province"] == "Hà Nội"


def test_report_api_refuses_bad_periods(client, staff) -> None:
    for params in ({"period": "month", "year": 2026}, {"period": "week", "year": 2026},
                   {"period": "quarter", "year": 2026, "quarter": 5}, {"period": "year", "year": 1900},
                   NOVEMBER | {"province": "Atlantis"}):
        assert client.get("/api/v1/reports", params=params, headers=staff.reviewer).status_code == 422, params
    assert client.get("/api/v1/reports.csv", params=NOVEMBER, headers=staff.reviewer).status_code == 422
    bad = client.get("/api/v1/reports.csv", params=NOVEMBER | {"table": "x"}, headers=staff.reviewer)
    assert bad.status_code == 422 and "status" in bad.json()["detail"]


def test_report_csv_and_xlsx(client, staff, session) -> None:
    _seed(client, staff, session)
    params = NOVEMBER | {"table": "province"}
    response = client.get("/api/v1/reports.csv", params=params, headers=staff.reviewer)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="bao-cao-tgpl-2026-11-province.csv"' in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == ["Báo cáo hồ sơ trợ giúp pháp lý Tháng 11/2026"]
    assert lines[2] == ["Tỉnh/thành phố", "Số hồ sơ", "Tỷ lệ"]
    assert lines[3] == ["Lào Cai", "3", "75.0"] and lines[4] == ["Hà Nội", "1", "25.0"]
    assert lines[5] == ["Tổng số", "4", "100.0"]

    workbook = client.get("/api/v1/reports.xlsx", params=NOVEMBER, headers=staff.reviewer)
    assert workbook.status_code == 200
    assert workbook.headers["content-type"] == XLSX
    with zipfile.ZipFile(io.BytesIO(workbook.content)) as book:
        sheets = [n for n in book.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
        names = book.read("xl/workbook.xml").decode("utf-8")
    assert len(sheets) == 9
    assert "Tỉnh, thành phố" in names and "Báo cáo hồ sơ trợ giúp pháp lý Tháng 11/2026" in strings
    assert "Lào Cai" in strings and "Phường Ba Đình" in strings
    one = client.get("/api/v1/reports.xlsx", params=NOVEMBER | {"table": "status"}, headers=staff.reviewer)
    with zipfile.ZipFile(io.BytesIO(one.content)) as book:
        assert len([n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]) == 1


def test_a_commune_never_becomes_a_formula(client, staff) -> None:
    body = case_body(commune="=HYPERLINK(\"http://x\")", description="Công thức.")
    assert client.post("/api/v1/cases", json=body, headers=staff.admin).status_code == 201
    today = datetime.now(UTC) + timedelta(hours=7)
    params = {"period": "year", "year": today.year, "table": "commune"}
    text = client.get("/api/v1/reports.csv", params=params, headers=staff.reviewer).content.decode("utf-8")
    assert "'=HYPERLINK" in text
    book = client.get("/api/v1/reports.xlsx", params=params, headers=staff.reviewer).content
    with zipfile.ZipFile(io.BytesIO(book)) as files:
        sheet = files.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet  # a string cell, not a formula
