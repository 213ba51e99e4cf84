"""Parsing both Pháp điển formats from small inline samples."""

from __future__ import annotations

import json

from knowledge.ingest import parse_corpus, parse_file, parse_text, read_jsonl

TOPIC = """---
layout: page
title: Trợ giúp pháp lý
---

## THÔNG TIN VĂN BẢN

| Thuộc tính | Nội dung |
|---|---|
| **Số hiệu** | Đang cập nhật |

---

## VĂN BẢN
# Trợ giúp pháp lý

Chương I

NHỮNG QUY ĐỊNH CHUNG

Điều 4.5.LQ.3. Nguyên tắc hoạt động trợ giúp pháp lý

(Điều 3 Luật số 11/2017/QH14 Trợ giúp pháp lý ngày 20/06/2017 của Quốc hội,
có hiệu lực thi hành kể từ ngày 01/01/2018)

1. Tuân thủ pháp luật và quy tắc nghề nghiệp trợ giúp pháp lý.

2. Không thu tiền, lợi ích vật chất từ người được trợ giúp pháp lý.Điều 4.5.LQ.7. Người được trợ giúp pháp lý

(Điều 7 Luật số 11/2017/QH14, có hiệu lực thi hành kể từ ngày 01/01/2018)

1. Người có công với cách mạng.

2. Người thuộc hộ nghèo.(Điều này có nội dung liên quan đến Điều 4.5.NĐ.1.2. Người thuộc hộ cận nghèo;
Điều 37.6.LQ.19. Quyền của trẻ em)

Chương II

TỔ CHỨC THỰC HIỆN

Điều 4.5.LQ.9.

(Điều 9 Luật số 11/2017/QH14, có hiệu lực thi hành kể từ ngày 01/01/2018)

Nội dung của một điều không có tiêu đề.

Điều 2.2.LQ.7a. Quỹ bảo hiểm y tế

(Điều 7a Luật số 25/2008/QH12, có hiệu lực thi hành kể từ ngày 01/07/2009,
được bổ sung bởi Điều 1 Luật số 46/2014/QH13
có hiệu lực thi hành kể từ ngày 01/01/2015)

Quỹ bảo hiểm y tế được quản lý tập trung, thống nhất.

Điều 30.2.LQ.1. Phạm vi điều chỉnh

(Điều 1 Luật số 26/2008/QH12, có hiệu lực thi hành kể từ ngày 01/07/2009)

Luật này quy định nguyên tắc thi hành án; theo Luật Thi hành án dân sự số 26/2008/QH12 và các văn bản khác.

Điều 4.5.LQ.99. Điều hỏng

(Điều 99 Luật số 11/2017/QH14 không có ngày hiệu lực)

Nội dung điều hỏng.

Điều 4.5.LQ.10. Điều cuối

(Điều 10 Luật số 11/2017/QH14, có hiệu lực thi hành kể từ ngày 01/01/2018)

Nội dung điều cuối.

## Danh sách điều khoản

### 0400500000000000100000100000000000000000

Điều 4.5.LQ.3. Nguyên tắc hoạt động trợ giúp pháp lý

### 0400500000000000100000100000000000000001

Điều 4.5.LQ.7. Người được trợ giúp pháp lý

(Điều 7 Luật số 11/2017/QH14, có hiệu lực thi hành kể từ ngày 01/01/2018)
"""

SINGLE = """---
title: "Quy định chi tiết một số điều và biện pháp thi hành Luật Thi hành án dân sự"
sohieu: "152/2026/NĐ-CP"
loai_van_ban: "Nghị định"
ngay_ban_hanh: "13/05/2026"
ngay_hieu_luc: "01/07/2026"
---

# NGHỊ ĐỊNH

Chương ]
QUY ĐỊNH CHUNG

### Điều 1. Phạm vi điều chỉnh

Nghị định này quy định chi tiết khoản 3 Điều 22 và
Điều 34. của Luật Thi hành án dân sự thuộc một trong các trường hợp sau đây:

### Điều 2. Đại diện trong thi hành án dân sự

Đương sự có thể ủy quyền.

Điều 3. Tình trạng khẩn cấp

Nội dung điều 3 (OCR mất dấu ###).
"""


def by_id(records):
    return {r.id: r for r in records}


def test_topic_file_articles_glued_headings_and_provenance():
    records, report = parse_text(TOPIC, "sample.md")
    ids = [r.id for r in records]
    assert ids == ["4.5.LQ.3", "4.5.LQ.7", "4.5.LQ.9", "2.2.LQ.7a", "30.2.LQ.1", "4.5.LQ.10"]
    assert report.headings == 7  # the malformed one is found but skipped
    assert report.line_start_headings == 6  # 4.5.LQ.7 is glued to the previous body line
    assert report.parsed == 6
    assert len(report.skipped) == 1 and "4.5.LQ.99" in report.skipped[0]
    r = by_id(records)
    first = r["4.5.LQ.3"]
    assert first.body.endswith("từ người được trợ giúp pháp lý.")
    assert "Điều 4.5.LQ.7" not in first.body
    assert first.document_number == "11/2017/QH14" and first.document_type == "Luật"
    assert first.document_title == "Trợ giúp pháp lý"
    assert first.issue_date == "2017-06-20" and first.effective_date == "2018-01-01"
    art7 = r["4.5.LQ.7"]
    assert art7.article == "7" and art7.title == "Người được trợ giúp pháp lý"
    assert art7.key == "11/2017/QH14:7"
    assert art7.document_title == "Trợ giúp pháp lý"  # provenance without a title: taken from the first one
    assert art7.cross_references == ["4.5.NĐ.1.2", "37.6.LQ.19"]
    assert "liên quan đến" not in art7.body
    assert "Chương II" not in art7.body and "TỔ CHỨC THỰC HIỆN" not in art7.body


def test_empty_title_letter_suffix_and_title_missing_from_provenance():
    r = by_id(parse_text(TOPIC, "sample.md")[0])
    assert r["4.5.LQ.9"].title == ""
    assert r["4.5.LQ.9"].body == "Nội dung của một điều không có tiêu đề."
    a7a = r["2.2.LQ.7a"]
    assert a7a.article == "7a" and a7a.document_number == "25/2008/QH12"
    assert a7a.effective_date == "2009-07-01"
    assert a7a.amendments and a7a.amendments[0]["document_number"] == "46/2014/QH13"
    thads = r["30.2.LQ.1"]
    assert thads.document_title == "Thi hành án dân sự"  # found in the text, never in the provenance


def test_trailing_heading_list_is_not_content():
    records, _ = parse_text(TOPIC, "sample.md")
    assert sum(1 for r in records if r.article == "7" and r.document_number == "11/2017/QH14") == 1
    assert "Danh sách điều khoản" not in records[-1].body
    assert records[-1].body == "Nội dung điều cuối."


def test_single_document_format():
    records, report = parse_text(SINGLE, "nghi-dinh.md")
    assert report.format == "single"
    assert [r.article for r in records] == ["1", "2", "3"]  # "Điều 34. của Luật" is not a heading
    first = records[0]
    assert first.id == "152/2026/NĐ-CP:1" and first.phapdien_id is None
    assert first.document_type == "Nghị định" and first.effective_date == "2026-07-01"
    assert first.issue_date == "2026-05-13"
    assert "Điều 34. của Luật" in first.body
    assert records[2].title == "Tình trạng khẩn cấp"


def test_bad_file_is_reported_not_raised(tmp_path):
    (tmp_path / "good.md").write_text(TOPIC, encoding="utf-8")
    (tmp_path / "broken.md").write_bytes(b"\xff\xfe\x00 not utf-8 \x81")
    records, reports = parse_corpus(tmp_path, progress=False)
    assert len(records) == 6
    broken = next(r for r in reports if r.file == "broken.md")
    assert broken.error and broken.parsed == 0
    recs, rep = parse_file(tmp_path / "missing.md")
    assert recs == [] and rep.error


def test_cli_ingest_writes_jsonl(tmp_path, capsys):
    from knowledge.__main__ import main

    (tmp_path / "a.md").write_text(TOPIC, encoding="utf-8")
    out = tmp_path / "out" / "articles.jsonl"
    assert main(["ingest", str(tmp_path), "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    assert json.loads(lines[1])["id"] == "4.5.LQ.7"
    assert next(r.id for r in read_jsonl(out)) == "4.5.LQ.3"
    assert "a.md" in capsys.readouterr().out
