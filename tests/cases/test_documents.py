"""Printable documents of a case (issue 14 item 12): the prefilled request form and the case sheet,
from the shipped YAML templates (pure), and over the api: blocks for the print page, the A4 PDF
read back as text (pypdf; pdftotext too where installed), a centre's own template, the audit row,
no font → 503, roles."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
import yaml
from pypdf import PdfReader

from api.documents.fonts import find_font
from api.documents.pdf import document_pdf
from api.documents.render import SHIPPED_DIR, load_template, render
from api.documents.values import Vocabulary, case_values, event_lines
from api.routes.documents import document_vocabulary
from tests.cases.conftest import case_body

CASE = {
    "code": "TGPL-2026-K7QM4X", "full_name": "Nguyễn Thị Hoa", "phone": "+84912345678", "province": "Lào Cai",
    "commune": "Xã Tân Lập", "channel": "hotline", "eligibility_group": "khoan_2_ho_ngheo",
    "description": "Bà bị hàng xóm lấn đất vườn.", "created_at": "2026-11-03T02:00:00+00:00",
    "caller_name": "Trần Văn Bình", "caller_phone": "+84987111222", "caller_relation": "con",
    "legal_aid_form": "tham_gia_to_tung", "status": "new",
}
VOCABULARY = Vocabulary(
    groups={"khoan_2_ho_ngheo": "Khoản 2 — Người thuộc hộ nghèo"}, relations={"con": "Con"},
    legal_aid_forms={"tham_gia_to_tung": "Tham gia tố tụng"}, channels={"hotline": "Tổng đài"},
    group_clause=lambda code: "khoản 2 Điều 7" if code == "khoan_2_ho_ngheo" else None,
    province_official=lambda name: "Tỉnh " + name,
)
TODAY = date(2026, 12, 3)


def _text(blocks) -> str:
    parts = []
    for b in blocks:
        parts += [b.text, b.label, b.value, *b.items, *b.checked, b.note]
        parts += [s.title + " " + s.hint for s in (b.left, b.right) if s]
    return "\n".join(p for p in parts if p)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_request_form_has_what_article_29_and_the_circulars_ask() -> None:
    blocks = render(load_template("don-yeu-cau"), case_values(CASE, VOCABULARY, TODAY))
    text = _text(blocks)
    assert "ĐƠN YÊU CẦU TRỢ GIÚP PHÁP LÝ" in text
    assert "Kính gửi: Trung tâm trợ giúp pháp lý nhà nước tỉnh Lào Cai" in text
    # requester (the caller, a son) and beneficiary are two people (Điều 8 khoản 2)
    fields = [(b.label, b.value) for b in blocks if b.kind == "field"]
    assert fields[:3] == [("Họ và tên", "Trần Văn Bình"), ("Số điện thoại", "0987 111 222"),
                          ("Quan hệ với người được trợ giúp pháp lý", "Con")]
    assert ("Họ và tên", "Nguyễn Thị Hoa") in fields and ("Số điện thoại liên hệ", "0912 345 678") in fields
    assert ("Căn cứ", "khoản 2 Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14") in fields
    # unknown facts leave a line to write on
    assert {b.label for b in blocks if b.kind == "field" and b.blank} >= {"Năm sinh", "Giới tính", "Dân tộc"}
    [checks] = [b for b in blocks if b.kind == "checks"]
    assert checks.items == ["Tư vấn pháp luật", "Tham gia tố tụng", "Đại diện ngoài tố tụng"]
    assert checks.checked == ["Tham gia tố tụng"]
    # the papers: the form, the proof of the group (Điều 33 TT 08/2017), the papers of the matter
    [papers] = [b for b in blocks if b.kind == "papers"]
    assert papers.items == ["Giấy chứng nhận hộ nghèo.", "Đơn yêu cầu trợ giúp pháp lý (đơn này).",
                            "Các giấy tờ, tài liệu có liên quan đến vụ việc."]
    assert "05 ngày làm việc" in papers.note
    # signature or fingerprint (Điều 29 khoản 2 điểm a), the commitments of Điều 9
    assert "(ký, ghi rõ họ tên hoặc điểm chỉ)" in text and "NGƯỜI TIẾP NHẬN YÊU CẦU" in text
    assert "không được tổ chức thực hiện trợ giúp pháp lý nào khác thụ lý" in text
    assert "Lào Cai, ngày 03 tháng 12 năm 2026" in text
    assert "Mẫu số 02-TP-TGPL" in text  # says plainly that it is not the official template


def test_every_group_has_its_papers_and_an_unknown_group_is_told_to_ask() -> None:
    template = load_template("don-yeu-cau")
    from knowledge.rules.groups import GROUPS

    for code, _ in GROUPS.values():
        assert template.papers.groups.get(code), f"no papers for {code}"
    blocks = render(template, case_values(CASE | {"eligibility_group": None}, VOCABULARY, TODAY))
    [papers] = [b for b in blocks if b.kind == "papers"]
    assert "Trung tâm hướng dẫn" in papers.items[0]


def test_when_the_caller_is_the_beneficiary() -> None:
    values = case_values(CASE | {"caller_name": None, "caller_relation": None}, VOCABULARY, TODAY)
    assert (values["requester_name"], values["requester_phone"]) == ("Nguyễn Thị Hoa", "0912 345 678")
    assert values["requester_relation"] == "Chính người được trợ giúp pháp lý"


def test_a_value_is_never_read_as_a_placeholder() -> None:
    typed = {"full_name": "{phone} {code}", "description": "{description}"}
    values = case_values(CASE | typed, VOCABULARY, TODAY)
    blocks = render(load_template("don-yeu-cau"), values)
    assert ("Họ và tên", "{phone} {code}") in [(b.label, b.value) for b in blocks if b.kind == "field"]


def test_case_sheet_with_history() -> None:
    events = [{"at": "2026-11-03T02:00:00+00:00", "actor": "Tổng đài 1900", "action": "created",
               "to_status": "new"},
              {"at": "2026-11-04T03:30:00+00:00", "actor": "Lò Thị Mai", "action": "status_changed",
               "from_status": "new", "to_status": "accepted", "note": "Đã gọi lại."}]
    vocabulary = Vocabulary(statuses={"new": "Mới", "accepted": "Đã thụ lý"})
    lines = event_lines(events, vocabulary)
    assert lines == [
        "03/11/2026 09:00 — Tổng đài 1900 — Tiếp nhận hồ sơ",
        "04/11/2026 10:30 — Lò Thị Mai — Chuyển trạng thái: Mới → Đã thụ lý. Ghi chú: Đã gọi lại.",
    ]
    blocks = render(load_template("phieu-ho-so"), case_values(CASE, VOCABULARY, TODAY), events=lines)
    assert "PHIẾU HỒ SƠ YÊU CẦU TRỢ GIÚP PHÁP LÝ" in _text(blocks) and lines[1] in _text(blocks)


def test_the_pdf_reads_back_in_vietnamese() -> None:
    font = find_font()
    assert font is not None, "no Vietnamese TrueType font (install fonts-dejavu-core)"
    template = load_template("don-yeu-cau")
    blocks = render(template, case_values(CASE, VOCABULARY, TODAY))
    data = document_pdf(template.title, blocks, font)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4
    text = _pdf_text(data)
    for expected in (
        "ĐƠN YÊU CẦU TRỢ GIÚP PHÁP LÝ", "Họ và tên: Trần Văn Bình", "Họ và tên: Nguyễn Thị Hoa",
        "Nơi cư trú: Xã Tân Lập, Lào Cai", "Giấy chứng nhận hộ nghèo.", "điểm chỉ", "☒ Tham gia tố tụng",
        "☐ Tư vấn pháp luật", "Trang 1/",
    ):
        assert expected in text, expected
    if shutil.which("pdftotext"):  # the tool the issue names, when the machine has it
        out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
        assert "Họ và tên: Nguyễn Thị Hoa" in out.decode("utf-8")


# ---------- the api ----------


def _case(client, staff) -> str:
    body = case_body(channel="hotline", caller_name="Trần Văn Bình", caller_phone="0987 111 222",
                     caller_relation="con")
    response = client.post("/api/v1/cases", json=body, headers=staff.admin)
    assert response.status_code == 201, response.text
    return response.json()["code"]


def test_documents_over_the_api(client, staff) -> None:
    code = _case(client, staff)
    path = f"/api/v1/cases/{code}/documents"
    assert client.get(f"{path}/don-yeu-cau").status_code == 401
    assert client.get(f"{path}/don-yeu-cau", headers=staff.operator).status_code == 403
    assert client.get(f"{path}/don-yeu-cau.pdf", headers=staff.operator).status_code == 403
    assert client.get(f"{path}/khac", headers=staff.reviewer).status_code == 422
    unknown = client.get("/api/v1/cases/TGPL-2026-ZZZZZZ/documents/don-yeu-cau", headers=staff.reviewer)
    assert unknown.status_code == 404

    answer = client.get(f"{path}/don-yeu-cau", headers=staff.reviewer)
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["code"] == code and document["file_name"] == "don-yeu-cau-tro-giup-phap-ly"
    fields = {b["label"]: b["value"] for b in document["blocks"] if b["kind"] == "field"}
    detail = client.get(f"/api/v1/cases/{code}", headers=staff.reviewer).json()
    if "caller_name" in detail:  # the case store keeps the caller (issue 14 item 8)
        assert fields["Quan hệ với người được trợ giúp pháp lý"] == "Con"
    assert fields["Nơi cư trú"] == "Xã Bảo Hà, Lào Cai"
    assert fields["Thuộc diện được trợ giúp pháp lý"] == "Khoản 2 — Người thuộc hộ nghèo"

    pdf = client.get(f"{path}/don-yeu-cau.pdf", headers=staff.reviewer)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert f'filename="don-yeu-cau-tro-giup-phap-ly-{code}.pdf"' in pdf.headers["content-disposition"]
    text = _pdf_text(pdf.content)
    assert "Họ và tên: Nguyễn Văn An" in text and "Số điện thoại liên hệ: 0912 345 678" in text
    assert "Giấy chứng nhận hộ nghèo." in text and f"Mã hồ sơ tiếp nhận: {code}" in text
    sheet = _pdf_text(client.get(f"{path}/phieu-ho-so.pdf", headers=staff.reviewer).content)
    assert "PHIẾU HỒ SƠ YÊU CẦU TRỢ GIÚP PHÁP LÝ" in sheet and "Tiếp nhận hồ sơ" in sheet

    # every document opened is a full-data view in the audit log
    audit = client.get("/api/v1/audit", params={"case_code": code}, headers=staff.admin).json()
    assert sum(row["action"] == "case_viewed" and row["full_data"] for row in audit["data"]) >= 3


def test_a_centre_replaces_the_template_without_code(client, staff, tmp_path, monkeypatch) -> None:
    code = _case(client, staff)
    data = yaml.safe_load((SHIPPED_DIR / "don-yeu-cau.yml").read_text(encoding="utf-8"))
    data["blocks"].insert(0, {"kind": "center", "text": "SỞ TƯ PHÁP TỈNH LÀO CAI — MẪU RIÊNG"})
    (tmp_path / "don-yeu-cau.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("DOCUMENT_TEMPLATES_DIR", str(tmp_path))
    own = client.get(f"/api/v1/cases/{code}/documents/don-yeu-cau.pdf", headers=staff.reviewer)
    text = _pdf_text(own.content)
    assert "SỞ TƯ PHÁP TỈNH LÀO CAI — MẪU RIÊNG" in text
    # the case sheet is not in the centre's folder: the shipped one is used
    sheet = client.get(f"/api/v1/cases/{code}/documents/phieu-ho-so", headers=staff.reviewer)
    assert sheet.status_code == 200
    (tmp_path / "don-yeu-cau.yml").write_text("blocks: [", encoding="utf-8")  # broken file: a clear 500
    broken = client.get(f"/api/v1/cases/{code}/documents/don-yeu-cau", headers=staff.reviewer)
    assert broken.status_code == 500 and "don-yeu-cau" in broken.json()["detail"]


def test_without_a_font_the_pdf_says_how_to_fix_it(client, staff) -> None:
    from api.documents.fonts import find_font as dependency

    code = _case(client, staff)
    client.app.dependency_overrides[dependency] = lambda: None
    try:
        answer = client.get(f"/api/v1/cases/{code}/documents/don-yeu-cau.pdf", headers=staff.reviewer)
    finally:
        client.app.dependency_overrides.pop(dependency)
    assert answer.status_code == 503 and "fonts-dejavu-core" in answer.json()["detail"]


@pytest.mark.parametrize("kind", ["don-yeu-cau", "phieu-ho-so"])
def test_shipped_templates_are_valid(kind: str) -> None:
    template = load_template(kind)
    assert template.blocks and template.file_name
    assert document_vocabulary().groups  # the labels the documents use exist


def test_characters_the_font_lacks_never_reach_a_log(caplog: pytest.LogCaptureFixture) -> None:
    """fpdf2 logs the glyphs a font is missing; those would be what a citizen typed."""
    font = find_font()
    assert font is not None
    template = load_template("don-yeu-cau")
    typed = CASE | {"full_name": "Nguyễn Thị 中文", "description": "Việc\tcủa tôi 🙏"}
    with caplog.at_level("DEBUG"):
        data = document_pdf(template.title, render(template, case_values(typed, VOCABULARY, TODAY)), font)
    assert "中" not in caplog.text and "🙏" not in caplog.text and "missing" not in caplog.text
    text = _pdf_text(data)
    assert "Họ và tên: Nguyễn Thị ??" in text and "Việc của tôi ?" in text
