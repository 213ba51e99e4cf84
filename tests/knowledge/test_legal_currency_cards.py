"""Civil-enforcement cards cite only law in force during their window (issue 13, item 5).

From 01/7/2026 civil judgment enforcement follows the new Luật Thi hành án dân sự (text not in
the corpus) and Nghị định 152/2026/NĐ-CP, which ended Nghị định 62/2015/NĐ-CP (amendment
registry). A card may state a rule of Luật 26/2008/QH12 only in a historical card whose window
ends on 30/6/2026.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from knowledge.cards import Card, load_cards_with_errors
from knowledge.currency import is_current
from knowledge.rules.amendments import default_registry
from knowledge.text import fold

CARDS = Path(__file__).resolve().parents[2] / "knowledge" / "cards"
TODAY = date(2026, 12, 2)
NEW_REGIME = date(2026, 7, 1)
OLD_TEXTS = ("26/2008/QH12", "62/2015/NĐ-CP")


def _cards() -> list[Card]:
    cards, errors = load_cards_with_errors(CARDS)
    assert not errors, [str(e) for e in errors]
    return cards


def _enforcement() -> list[Card]:
    return [c for c in _cards() if c.topic == "civil_enforcement"]


def _window(card: Card) -> tuple[date, date]:
    return card.applies_from or date.min, card.applies_to or date.max


def _probe_dates(card: Card) -> list[date]:
    """Every date on which a citation's status can change, clipped to the card's window.

    Citation.in_force changes at effective_from and the day after effective_to; the registry's
    status changes on each amendment's effective date. Checking the window's ends and both sides
    of each breakpoint inside it checks every date of the window.
    """
    start, end = _window(card)
    points = {start, end}
    breaks = [a.effective for a in default_registry().amendments]
    for c in card.citations:
        breaks += [d for d in (c.effective_from, c.issued_on) if d]
        if c.effective_to and c.effective_to < date.max:
            breaks.append(c.effective_to + timedelta(days=1))
    for day in breaks:
        for probe in (day - timedelta(days=1), day):
            if start <= probe <= end:
                points.add(probe)
    return sorted(points)


def _out_of_force(card: Card) -> list[str]:
    return [
        f"{card.id}: {c.line()} không còn/chưa có hiệu lực ngày {day:%d/%m/%Y}"
        for day in _probe_dates(card)
        for c in card.citations
        if not (c.in_force(day) and is_current(c, day))
    ]


def _window_includes(card: Card, day: date) -> bool:
    start, end = _window(card)
    return start <= day <= end


def test_the_enforcement_cards_are_there():
    ids = {c.id for c in _enforcement()}
    for card_id in (
        "thads-cach-yeu-cau-thi-hanh-an",
        "thads-chua-co-dieu-kien-thi-hanh-an",
        "thads-hoan-thi-hanh-an",
        "thads-mien-giam-an-phi-tien-phat",
        "thads-mien-giam-chi-phi-cuong-che",
        "thads-quyen-nguoi-duoc-thi-hanh-an",
        "thads-thoi-hieu-yeu-cau-thi-hanh-an",
    ):
        assert card_id in ids
        current = next(c for c in _enforcement() if c.id == card_id)
        assert _window_includes(current, TODAY), f"{card_id} phải áp dụng cho ngày hỏi hiện nay"


@pytest.mark.parametrize("card", _enforcement(), ids=lambda c: c.id)
def test_every_enforcement_card_cites_only_texts_in_force_in_its_window(card):
    assert _out_of_force(card) == []


def test_the_window_check_catches_an_old_citation_without_end_date():
    """The check itself: the shipped card of 24/11/2026 (Điều 30 Luật 26/2008, no end date, no
    window) fails, and so does a current card that cites Luật 26/2008 ending on 30/6/2026."""
    citation = {
        "document_number": "26/2008/QH12", "document_title": "Luật Thi hành án dân sự",
        "document_type": "Luật", "article": "30", "effective_from": "2009-07-01",
    }
    base = {"id": "x", "topic": "civil_enforcement", "title": "t", "questions": ["q"], "answer": "a"}
    old = Card.model_validate({**base, "citations": [citation]})
    assert any("01/07/2026" in line for line in _out_of_force(old))
    current = Card.model_validate(
        {**base, "citations": [{**citation, "effective_to": "2026-06-30"}], "applies_from": "2026-07-01"}
    )
    assert _out_of_force(current)
    historical = Card.model_validate(
        {**base, "citations": [{**citation, "effective_to": "2026-06-30"}],
         "applies_from": "2015-07-01", "applies_to": "2026-06-30"}
    )
    assert _out_of_force(historical) == []


def test_no_card_applying_today_cites_the_2008_law_or_decree_62_2015():
    offending = [
        f"{card.id}: {c.line()}"
        for card in _cards()
        if _window_includes(card, TODAY)
        for c in card.citations
        if c.document_number in OLD_TEXTS and (c.in_force(TODAY) or is_current(c, TODAY))
    ]
    assert offending == []
    # …and none cites them at all, even as ended: a current card rests on texts in force.
    assert not [
        card.id for card in _cards()
        if _window_includes(card, TODAY) and any(c.document_number in OLD_TEXTS for c in card.citations)
    ]


def test_historical_enforcement_cards_end_before_the_new_regime_and_say_so():
    historical = [c for c in _enforcement() if any(x.document_number == "26/2008/QH12" for x in c.citations)]
    assert historical, "các thẻ lịch sử (trước 01/7/2026) vẫn giữ quy định cũ để tham khảo"
    for card in historical:
        assert card.applies_to is not None and card.applies_to < NEW_REGIME, card.id
        text = fold(card.answer)
        assert "truoc ngay 01/7/2026" in text and "luat thi hanh an dan su (moi)" in text, card.id
        # each historical card has a current counterpart for the same question
        assert any(c.id == card.id.removesuffix("-truoc-2026") for c in _enforcement()), card.id


@pytest.mark.parametrize("card", _enforcement(), ids=lambda c: c.id)
def test_no_number_is_given_for_the_new_law(card):
    """The new law's number is unconfirmed: cards name it "Luật Thi hành án dân sự (mới)"."""
    text = f"{card.title} {card.answer}"
    for number in ("106/2025", "24/2017", "26/2025"):
        assert number not in text
    if _window_includes(card, TODAY):
        assert "Nghị định 152/2026/NĐ-CP" in card.answer or "Điều" in card.answer
        assert all(c.document_number == "152/2026/NĐ-CP" for c in card.citations), card.id


def test_cards_without_the_rule_in_decree_152_point_to_the_enforcement_office_or_the_centre():
    """Where the detailed rule is in the new law (thời hiệu, hoãn, miễn giảm án phí...), the card
    says we lack its text and sends the citizen to the enforcement office or the centre."""
    by_id = {c.id: c for c in _enforcement()}
    for card_id in (
        "thads-thoi-hieu-yeu-cau-thi-hanh-an",
        "thads-hoan-thi-hanh-an",
        "thads-mien-giam-an-phi-tien-phat",
        "thads-chua-co-dieu-kien-thi-hanh-an",
        "thads-quyen-nguoi-duoc-thi-hanh-an",
    ):
        text = fold(by_id[card_id].answer)
        assert "luat thi hanh an dan su (moi)" in text, card_id
        assert "chua co van ban" in text, card_id
        assert "co quan thi hanh an dan su" in text and "trung tam tro giup phap ly nha nuoc" in text, card_id
    thoi_hieu = fold(by_id["thads-thoi-hieu-yeu-cau-thi-hanh-an"].answer)
    assert "05 nam" not in thoi_hieu and "5 nam" not in thoi_hieu


def test_enforcement_cost_card_gives_half_off_and_exemption_only_to_policy_families():
    card = next(c for c in _enforcement() if c.id == "thads-mien-giam-chi-phi-cuong-che")
    assert "1/2" in card.answer and "1/2" in card.title
    title = fold(card.title)
    assert not title.startswith("nguoi ngheo duoc xet mien")
    assert "giam 1/2" in title and "gia dinh chinh sach" in title
    points = {(c.article, c.clause, c.point) for c in card.citations if c.document_number == "152/2026/NĐ-CP"}
    assert ("87", "3", "b") in points and ("87", "3", "a") in points
    lines = [c.line() for c in card.citations]
    assert any(line.startswith("Điểm b khoản 3 Điều 87 Nghị định") for line in lines)
    answer = fold(card.answer)
    assert "chi duoc xet giam 1/2" in answer
    assert "it nhat 1/2" in answer and "mien phan con lai" in answer
    assert "cap co ban tro len" in answer  # not "cấp huyện": two-tier government since 01/7/2025


def test_last_reviewed_is_set_on_the_enforcement_cards():
    """Every enforcement card was reviewed on or after the day NĐ 152/2026 was brought in (2026-12-02)."""
    assert all(c.last_reviewed is not None and c.last_reviewed >= date(2026, 12, 2) for c in _enforcement())
