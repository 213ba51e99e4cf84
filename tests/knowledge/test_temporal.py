"""Reference time of a question: on_date by default, a named year, upcoming rules, a named document."""

from __future__ import annotations

from datetime import date

from knowledge.cards import Card
from knowledge.temporal import card_allowed, reference_time

TODAY = date(2026, 11, 24)


def poverty_card(card_id, start, end, number):
    return Card.model_validate(
        {
            "id": card_id,
            "topic": "poverty_standard",
            "title": "Chuẩn nghèo",
            "questions": ["q"],
            "answer": "a",
            "applies_from": start,
            "applies_to": end,
            "citations": [
                {
                    "document_number": number,
                    "document_title": "Nghị định quy định chuẩn nghèo đa chiều",
                    "document_type": "Nghị định",
                    "article": "3",
                    "effective_from": "2021-03-15",
                }
            ],
        }
    )


OLD = poverty_card("chuan-ngheo-2022-2025", "2022-01-01", "2026-12-31", "07/2021/NĐ-CP")
NEW = poverty_card("chuan-ngheo-2027-2030", "2027-01-01", None, "351/2025/NĐ-CP")


def allowed(query, on=TODAY):
    ref = reference_time(query, on)
    return [c.id for c in (OLD, NEW) if card_allowed(c, ref)]


def test_default_is_the_day_of_the_question():
    assert allowed("chuan ngheo hien nay la bao nhieu") == ["chuan-ngheo-2022-2025"]
    assert allowed("chuan ngheo hien nay la bao nhieu", date(2027, 3, 1)) == ["chuan-ngheo-2027-2030"]


def test_a_named_year_replaces_the_day():
    assert allowed("sang nam 2027 thu nhap bao nhieu la ho ngheo") == ["chuan-ngheo-2027-2030"]
    assert allowed("Theo chuẩn 2027-2030 thì thế nào là cận nghèo?") == ["chuan-ngheo-2027-2030"]
    assert allowed("Năm nay (2026) mức thu nhập để xét hộ nghèo") == ["chuan-ngheo-2022-2025"]


def test_upcoming_rules_and_named_documents():
    assert allowed("chuan ngheo sap toi tang len bao nhieu") == [
        "chuan-ngheo-2022-2025",
        "chuan-ngheo-2027-2030",
    ]
    assert allowed("nghi dinh 351/2025 noi gi") == ["chuan-ngheo-2022-2025", "chuan-ngheo-2027-2030"]
    # the year of a document number is not a reference year
    assert allowed("nghị định 07/2021/NĐ-CP quy định gì") == ["chuan-ngheo-2022-2025"]


def test_a_past_year_with_a_question_about_now_keeps_today() -> None:
    """Issue 13: "án xử từ 2020, giờ còn kịp không" must reach the card in force today too."""
    on = date(2026, 12, 2)
    for query in ("toa xu tu nam 2020, gio con yeu cau thi hanh an duoc khong",
                  "Án xử năm 2019, bây giờ tôi mới đòi thì còn kịp không?"):
        periods = reference_time(query, on).periods
        assert (on, on) in periods and (date(periods[0][0].year, 1, 1), periods[0][1]) == periods[0]
    assert (on, on) not in reference_time("chuẩn nghèo năm 2027 là bao nhiêu", on).periods
