"""Search and answers over the real cards (+ one corpus file when the corpus is present).

Expensive: uses the converted model and a session-scoped index built in a temporary folder.
"""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answer import compose_answer

pytestmark = pytest.mark.slow

TODAY = date(2026, 11, 24)


def test_poor_household_question_returns_card_citing_article_7(real_index):
    hits = real_index.search("nha toi ho ngheo co duoc tro giup phap ly mien phi ko", k=5, on_date=TODAY)
    top = hits[0]
    assert top.source == "card" and top.card is not None
    cited = {(c.document_number, c.article) for c in top.card.citations}
    assert ("11/2017/QH14", "7") in cited
    assert top.citation["document_number"] == "11/2017/QH14" and top.citation["article"] == "7"


def test_answer_text_ends_with_the_legal_basis(real_index):
    q = "nha toi ho ngheo co dc tgpl ko"
    ans = compose_answer(q, real_index.search(q, k=5, on_date=TODAY), on_date=TODAY)
    assert ans.confident
    assert "\n\nCăn cứ: " in ans.text
    assert "Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018)" in ans.text


@pytest.mark.parametrize(
    "question",
    [
        "thời tiết hà nội hôm nay thế nào",
        "doi tuyen bong da viet nam da voi thai lan luc may gio",
        "cach nau pho bo ngon",
    ],
)
def test_out_of_scope_questions_are_not_confident(real_index, question):
    ans = compose_answer(question, real_index.search(question, k=5, on_date=TODAY), on_date=TODAY)
    assert not ans.confident
    assert ans.text.startswith("Xin lỗi, tôi chưa chắc chắn")


def _poverty_cards(index):
    ids = {d["id"] for d in index.docs}
    old = sorted(i for i in ids if i.startswith("chuan-ngheo-2022"))
    new = sorted(i for i in ids if i.startswith("chuan-ngheo-2027"))
    if not old or not new:
        pytest.skip("thẻ chuẩn nghèo 2022–2025 / 2027–2030 chưa có hoặc chưa hợp lệ trong knowledge/cards")
    return old[0], new[0]


def test_on_date_picks_the_poverty_standard_in_force(real_index):
    old, new = _poverty_cards(real_index)
    q = "chuan ngheo hien nay la bao nhieu"
    ids_2025 = [h.id for h in real_index.search(q, k=5, on_date=date(2025, 6, 1))]
    ids_2028 = [h.id for h in real_index.search(q, k=5, on_date=date(2028, 6, 1))]
    assert old in ids_2025 and new not in ids_2025
    assert new in ids_2028 and old not in ids_2028


def test_statute_articles_are_searchable(real_index):
    if real_index.corpus_file is None:
        pytest.skip("không có kho văn bản Pháp điển trên máy này")
    hits = real_index.search("nguyên tắc hoạt động trợ giúp pháp lý", k=5, on_date=TODAY)
    statutes = [h for h in hits if h.source == "statute"]
    assert any(h.id == "11/2017/QH14:3" for h in statutes)
    h = next(h for h in statutes if h.id == "11/2017/QH14:3")
    assert h.citation["effective_date"] == "2018-01-01" and h.citation["document_title"] == "Trợ giúp pháp lý"


def test_second_build_is_up_to_date(real_index, real_embedder):
    from knowledge.index import build_index

    from .conftest import CARDS

    again = build_index(
        data_dir=real_index.data_dir,
        corpus=real_index.corpus_file,
        cards=CARDS,
        embedder=real_embedder,
        progress=False,
    )
    assert not again.rebuilt


def test_statute_only_ranking_lifts_the_articles_cards_rest_on(real_index):
    if real_index.corpus_file is None:
        pytest.skip("không có kho văn bản Pháp điển trên máy này")
    q = "nha toi ho ngheo co duoc tro giup phap ly mien phi ko"
    hits = real_index.search(q, k=5, on_date=TODAY, sources=("statute",))
    assert hits and all(h.source == "statute" for h in hits)
    assert "11/2017/QH14:7" in [h.id for h in hits]
    cards_only = real_index.search(q, k=5, on_date=TODAY, sources=("card",))
    assert cards_only and all(h.source == "card" for h in cards_only)
