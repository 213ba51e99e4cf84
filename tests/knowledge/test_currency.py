"""Citations know whether their text is still in force (amendment registry, issue 13).

Two tiny single-document "statutes" on the same subject: NĐ 62/2015 (ended on 01/7/2026 by
NĐ 152/2026, knowledge/data/amendments.yml) and NĐ 152/2026. The fake embedder keeps this fast.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.answer import compose_answer
from knowledge.currency import is_current, status_note
from knowledge.index import build_index
from knowledge.search import Hit, KnowledgeIndex

OLD = """---
sohieu: "62/2015/NĐ-CP"
loai_van_ban: "Nghị định"
title: "Quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi hành án dân sự"
ngay_ban_hanh: "18/07/2015"
ngay_hieu_luc: "01/09/2015"
---
# NGHỊ ĐỊNH
### Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết thủ tục thi hành án dân sự.
### Điều 2. Xác minh điều kiện thi hành án của người phải thi hành án
Chấp hành viên xác minh điều kiện thi hành án của người phải thi hành án trong thời hạn mười ngày.
"""
NEW = """---
sohieu: "152/2026/NĐ-CP"
loai_van_ban: "Nghị định"
title: "Quy định chi tiết một số điều và biện pháp thi hành Luật Thi hành án dân sự"
ngay_ban_hanh: "13/05/2026"
ngay_hieu_luc: "01/07/2026"
---
# NGHỊ ĐỊNH
### Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết một số điều của Luật Thi hành án dân sự.
### Điều 2. Xác minh điều kiện thi hành án
Chấp hành viên xác minh điều kiện thi hành án của người phải thi hành án trên môi trường số.
"""
QUESTION = "chấp hành viên xác minh điều kiện thi hành án của người phải thi hành án thế nào"


@pytest.fixture
def index(tmp_path: Path, fake_embedder) -> KnowledgeIndex:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nd-62-2015.md").write_text(OLD, encoding="utf-8")
    (corpus / "nd-152-2026.md").write_text(NEW, encoding="utf-8")
    cards = tmp_path / "cards"
    cards.mkdir()
    data = tmp_path / "data"
    build_index(data_dir=data, corpus=corpus, cards=cards, embedder=fake_embedder, progress=False)
    return KnowledgeIndex.load(data, embedder=fake_embedder)


def test_after_the_end_date_the_text_in_force_ranks_first_and_the_old_one_says_so(index) -> None:
    hits = index.search(QUESTION, k=4, on_date=date(2026, 12, 2))
    assert hits[0].citation["document_number"] == "152/2026/NĐ-CP"
    old = [h for h in hits if h.citation["document_number"] == "62/2015/NĐ-CP"]
    assert old and all(h.extra["status"].startswith("hết hiệu lực từ 01/07/2026") for h in old)
    assert "status" not in hits[0].extra


def test_before_the_end_date_the_old_text_is_not_marked(index) -> None:
    hits = index.search(QUESTION, k=4, on_date=date(2026, 6, 30))
    old = [h for h in hits if h.citation["document_number"] == "62/2015/NĐ-CP"]
    assert old and not any("status" in h.extra for h in old)


def test_naming_the_old_document_lifts_the_penalty_but_still_marks_it(index) -> None:
    named = "nghị định 62/2015 xác minh điều kiện thi hành án"

    def old_hit(query: str, day: date):
        hits = index.search(query, k=4, on_date=day)
        return next(h for h in hits if h.citation["document_number"] == "62/2015/NĐ-CP")

    assert old_hit(named, date(2026, 12, 2)).score == pytest.approx(old_hit(named, date(2026, 6, 30)).score)
    assert old_hit(QUESTION, date(2026, 12, 2)).score < old_hit(QUESTION, date(2026, 6, 30)).score
    hit = old_hit(named, date(2026, 12, 2))
    assert hit.extra["status"].startswith("hết hiệu lực từ 01/07/2026")
    assert "hết hiệu lực từ 01/07/2026" in compose_answer(named, [hit], on_date=date(2026, 12, 2)).text


def test_a_confident_answer_from_an_ended_text_is_never_quoted_as_current_law() -> None:
    citation = {"document_number": "62/2015/NĐ-CP", "document_type": "Nghị định", "article": "2",
                "document_title": "Quy định chi tiết Luật Thi hành án dân sự", "effective_date": "2015-09-01"}
    hit = Hit(id="62/2015/NĐ-CP:2", text="Điều 2. Xác minh\nChấp hành viên xác minh.", score=1.6,
              source="statute", citation=citation, title="Điều 2. Xác minh", dense_score=0.95)
    after = compose_answer("xác minh điều kiện thi hành án", [hit], on_date=date(2026, 12, 2))
    assert after.confident and after.text.startswith("Lưu ý: điều luật dưới đây không còn hiệu lực")
    assert "hết hiệu lực từ 01/07/2026" in after.citations[0]
    before = compose_answer("xác minh điều kiện thi hành án", [hit], on_date=date(2026, 6, 30))
    assert not before.text.startswith("Lưu ý") and "hết hiệu lực" not in before.text


def test_card_citations_carry_their_status() -> None:
    amended = {"document_number": "11/2017/QH14", "article": "7", "clause": "6a"}
    assert status_note(amended, date(2026, 1, 1)).startswith("được bổ sung bởi Luật Phòng, chống mua bán")
    assert not is_current({"document_number": "26/2008/QH12", "article": "30"}, date(2026, 7, 1))
    assert is_current({"document_number": "26/2008/QH12", "article": "30"}, date(2026, 6, 30))
