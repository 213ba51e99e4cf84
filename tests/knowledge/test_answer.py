"""compose_answer: format of the text, the citation line, and the not-sure fallback."""

from __future__ import annotations

from datetime import date

from knowledge.answer import NOT_SURE, compose_answer
from knowledge.cards import Card
from knowledge.search import Hit

CARD = Card.model_validate(
    {
        "id": "tgpl-nguoi-thuoc-ho-ngheo",
        "topic": "legal_aid_eligibility",
        "title": "Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí",
        "questions": ["nha toi ho ngheo co dc tgpl ko"],
        "answer": "Có. Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí.",
        "citations": [
            {
                "document_number": "11/2017/QH14",
                "document_title": "Luật Trợ giúp pháp lý",
                "document_type": "Luật",
                "article": "7",
                "effective_from": "2018-01-01",
            },
            {
                "document_number": "144/2017/NĐ-CP",
                "document_title": "Quy định chi tiết một số điều của Luật Trợ giúp pháp lý",
                "document_type": "Nghị định",
                "article": "2",
                "clause": "1",
                "effective_from": "2018-01-01",
            },
        ],
    }
)


def card_hit(score=1.1, dense=0.9, card=CARD):
    return Hit(
        id=card.id,
        text=card.answer,
        score=score,
        source="card",
        citation={},
        title=card.title,
        topic=card.topic,
        card=card,
        sparse_score=20.0,
        dense_score=dense,
    )


def statute_hit(score=0.9, dense=0.88):
    body = "1. Người có công với cách mạng.\n\n2. Người thuộc hộ nghèo.\n\n" + "3. Trẻ em. " * 80
    return Hit(
        id="11/2017/QH14:7",
        text="Điều 7. Người được trợ giúp pháp lý\n" + body,
        score=score,
        source="statute",
        citation={
            "document_number": "11/2017/QH14",
            "document_title": "Trợ giúp pháp lý",
            "document_type": "Luật",
            "article": "7",
            "clause": None,
            "effective_date": "2018-01-01",
            "source": "phapdien:x.md#4.5.LQ.7",
        },
        title="Điều 7. Người được trợ giúp pháp lý — Luật Trợ giúp pháp lý số 11/2017/QH14",
        topic="Trợ giúp pháp lý",
        card=None,
        sparse_score=15.0,
        dense_score=dense,
    )


# Điều 7 as a whole carries the status the amendment registry gives it (khoản 6a, điểm g khoản 7).
ARTICLE_7_STATUS = (
    " — có nội dung được sửa đổi, bổ sung bởi Luật Phòng, chống mua bán người số 53/2024/QH15 từ 01/07/2025"
)


def test_card_answer_then_citation_line():
    ans = compose_answer(
        "nha toi ho ngheo co dc tgpl ko", [card_hit(), statute_hit(0.5)], on_date=date(2026, 11, 24)
    )
    assert ans.confident
    assert ans.text == (
        "Có. Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí.\n\n"
        f"Căn cứ: Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018){ARTICLE_7_STATUS}; "
        "Khoản 1 Điều 2 Nghị định quy định chi tiết một số điều của Luật Trợ giúp pháp lý số 144/2017/NĐ-CP "
        "(hiệu lực từ 01/01/2018)"
    )
    assert ans.citations[0] == (
        "Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018)" + ARTICLE_7_STATUS
    )
    assert ans.hit_ids == ["tgpl-nguoi-thuoc-ho-ngheo", "11/2017/QH14:7"]
    assert ans.best_id == "tgpl-nguoi-thuoc-ho-ngheo"


def test_statute_answer_is_a_short_excerpt_with_citation():
    ans = compose_answer("nguoi duoc tro giup phap ly", [statute_hit()], on_date=date(2026, 11, 24))
    assert ans.confident
    head, _, basis = ans.text.rpartition("\n\nCăn cứ: ")
    assert basis == "Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018)" + ARTICLE_7_STATUS
    assert head.startswith("Điều 7. Người được trợ giúp pháp lý")
    assert "2. Người thuộc hộ nghèo." in head
    assert len(head) < 600 and head.endswith("…")


def test_low_scores_are_not_confident():
    weak = [card_hit(score=0.3, dense=0.76), statute_hit(score=0.29, dense=0.75)]
    ans = compose_answer("thoi tiet ha noi hom nay", weak, on_date=date(2026, 11, 24))
    assert not ans.confident
    assert ans.text.startswith(NOT_SURE)
    assert "Căn cứ:" not in ans.text
    empty = compose_answer("abc", [], on_date=date(2026, 11, 24))
    assert not empty.confident and empty.text.startswith(NOT_SURE) and empty.hit_ids == []


def test_cards_outside_their_period_are_not_used():
    old = CARD.model_copy(update={"id": "chuan-ngheo-cu", "applies_to": date(2025, 12, 31)})
    ans = compose_answer("chuan ngheo", [card_hit(card=old), statute_hit()], on_date=date(2026, 11, 24))
    assert ans.best_id == "11/2017/QH14:7"
    assert "chuan-ngheo-cu" not in ans.hit_ids
