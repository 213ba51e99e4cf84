"""Card loading: validation, NFC, Vietnamese error messages naming the file, duplicates."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from knowledge.cards import Card, Citation, load_cards, load_cards_with_errors

GOOD = """\
id: {id}
topic: legal_aid_eligibility
title: "Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí"
questions:
  - "nha toi ho ngheo co dc tgpl ko"
  - "Hộ nghèo có được trợ giúp pháp lý miễn phí không?"
answer: "Có. Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí."
citations:
  - document_number: 11/2017/QH14
    document_title: "Luật Trợ giúp pháp lý"
    document_type: Luật
    article: 7
    clause: 2
    effective_from: 2018-01-01
    effective_to: null
applies_from: null
applies_to: null
last_reviewed: 2026-11-24
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_card_is_loaded_and_normalised_to_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", GOOD.format(id="tgpl-ho-ngheo"))
    write(tmp_path, "legal_aid_eligibility/tgpl-ho-ngheo.yml", nfd)
    cards = load_cards(tmp_path)
    assert len(cards) == 1
    card = cards[0]
    assert isinstance(card, Card)
    assert card.title == unicodedata.normalize("NFC", card.title)
    assert card.title.startswith("Người thuộc hộ nghèo")
    assert card.citations[0].article == "7" and card.citations[0].clause == "2"
    assert (
        card.citations[0].line()
        == "Khoản 2 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018)"
    )


def test_bad_files_are_reported_in_vietnamese_and_skipped(tmp_path):
    write(tmp_path, "a/good.yml", GOOD.format(id="good-card"))
    bad_yaml = write(tmp_path, "a/bad-yaml.yml", "id: [khong dong ngoac\n")
    missing = write(tmp_path, "a/missing.yml", "id: thieu-truong\ntopic: mediation\n")
    bad_topic = write(
        tmp_path, "a/bad-topic.yml", GOOD.format(id="bad-topic").replace("legal_aid_eligibility", "bong_da")
    )
    no_date = write(tmp_path, "a/no-date.yml", GOOD.format(id="no-date").replace("2018-01-01", "null"))
    not_a_card = write(tmp_path, "a/list.yml", "- mot\n- hai\n")
    cards, errors = load_cards_with_errors(tmp_path)
    assert [c.id for c in cards] == ["good-card"]
    by_file = {e.path: str(e) for e in errors}
    assert set(by_file) == {bad_yaml, missing, bad_topic, no_date, not_a_card}
    for path, message in by_file.items():
        assert str(path) in message
        assert "đã bỏ qua" in message
    assert "lỗi cú pháp YAML" in by_file[bad_yaml]
    assert "thiếu trường bắt buộc" in by_file[missing] and "'answer'" in by_file[missing]
    assert "topic" in by_file[bad_topic] and "bong_da" in by_file[bad_topic]
    assert "thiếu ngày hiệu lực" in by_file[no_date]


def test_duplicate_ids_are_rejected(tmp_path):
    first = write(tmp_path, "a/one.yml", GOOD.format(id="same-id"))
    second = write(tmp_path, "b/two.yml", GOOD.format(id="same-id"))
    cards, errors = load_cards_with_errors(tmp_path)
    assert len(cards) == 1
    assert len(errors) == 1
    assert (
        errors[0].path == second
        and "trùng id 'same-id'" in errors[0].message
        and str(first) in errors[0].message
    )


def test_missing_folder_does_not_crash(tmp_path):
    cards, errors = load_cards_with_errors(tmp_path / "khong-co")
    assert cards == [] and len(errors) == 1


def test_applies_on_period():
    card = Card.model_validate(
        {
            "id": "chuan-ngheo-x",
            "topic": "poverty_standard",
            "title": "t",
            "questions": ["q"],
            "answer": "a",
            "citations": [
                Citation(
                    document_number="07/2021/NĐ-CP",
                    document_title="Nghị định quy định chuẩn nghèo",
                    document_type="Nghị định",
                    article="3",
                    effective_from="2021-03-15",
                )
            ],
            "applies_from": "2022-01-01",
            "applies_to": "2026-12-31",
        }
    )
    from datetime import date

    assert card.applies_on(date(2024, 5, 1))
    assert not card.applies_on(date(2027, 1, 1))
    assert not card.applies_on(date(2021, 12, 31))
    assert card.citations[0].line().startswith("Điều 3 Nghị định quy định chuẩn nghèo số 07/2021/NĐ-CP")


def test_project_given_fact_may_cite_a_decree_without_article():
    citation = Citation(
        document_number="351/2025/NĐ-CP", document_type="Nghị định", issued_on="2025-12-30", basis="project"
    )
    assert citation.line() == "Nghị định số 351/2025/NĐ-CP (ban hành 30/12/2025)"
    assert citation.in_force(date(2026, 1, 1)) and not citation.in_force(date(2025, 12, 1))


def test_corpus_citation_still_needs_article_and_effective_date():
    with pytest.raises(ValidationError, match="số điều"):
        Citation(document_number="11/2017/QH14", document_title="Luật Trợ giúp pháp lý",
                 document_type="Luật", effective_from="2018-01-01")
    with pytest.raises(ValidationError, match="ngày hiệu lực"):
        Citation(document_number="11/2017/QH14", document_title="Luật Trợ giúp pháp lý",
                 document_type="Luật", article="7")
    with pytest.raises(ValidationError, match="ngày ban hành"):
        Citation(document_number="351/2025/NĐ-CP", document_type="Nghị định", basis="project")


def test_shipped_poverty_cards_cite_the_decrees_they_were_given():
    shipped = Path(__file__).resolve().parents[2] / "knowledge" / "cards"
    cards = {card.id: card for card in load_cards(shipped)}
    assert [c.document_number for c in cards["chuan-ngheo-2027-2030"].citations] == ["351/2025/NĐ-CP"]
    assert "07/2021/NĐ-CP" in [c.document_number for c in cards["chuan-ngheo-2022-2025"].citations]
