"""Nothing the assistant tells a citizen sends them to a district body (issue 13, item 6).

Since 01/7/2025 there is no district level. Scanned: every card title and answer, every
domain.yml response (text and buttons), every Vietnamese string literal in actions/*.py and
api/assist/*.py, the web-chat / operator / centre static pages (api/static/**/*.html|js) and the
citizen-facing data files (centres' contacts, amendment notes).

Rule (knowledge.district_note): a district *body* (Phòng Tư pháp huyện, UBND cấp huyện/quận,
Chi cục Thi hành án, Chi nhánh … huyện, Tòa án nhân dân huyện, Phòng Lao động … huyện) is never
allowed; other district wording ("cấp huyện", "huyện nghèo", "huyện đảo": a quoted statute
condition) is allowed only in a text that carries the note "Từ 01/7/2025 không còn cấp huyện".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from knowledge.cards import load_cards_with_errors
from knowledge.district_note import (
    DISTRICT_NOTE,
    NOTE_MARKER,
    district_bodies,
    district_mentions,
    district_note,
    has_district_note,
    with_district_note,
)
from knowledge.text import has_diacritics

REPO = Path(__file__).resolve().parents[2]


def violations(where: str, text: str) -> list[str]:
    """What is wrong with one citizen-facing text (empty list when it is fine)."""
    found = [f"{where}: cơ quan cấp huyện «{b}»" for b in district_bodies(text)]
    if not found and district_mentions(text) and not has_district_note(text):
        found.append(f"{where}: nhắc cấp huyện {district_mentions(text)} mà thiếu ghi chú «{NOTE_MARKER}»")
    return found


# --- sources ----------------------------------------------------------------------------------


def card_texts(folder: Path = REPO / "knowledge" / "cards") -> Iterator[tuple[str, str]]:
    cards, errors = load_cards_with_errors(folder)
    assert not errors, [str(e) for e in errors]
    for card in cards:
        # the note may sit in the answer while the title names the condition: judge them together
        yield f"thẻ {card.id}", f"{card.title}\n{card.answer}"


def domain_texts(path: Path = REPO / "domain.yml") -> Iterator[tuple[str, str]]:
    domain = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name, variants in (domain.get("responses") or {}).items():
        for i, variant in enumerate(variants or []):
            parts = [variant.get("text") or ""]
            parts += [b.get("title") or "" for b in variant.get("buttons") or []]
            yield f"domain.yml {name}[{i}]", "\n".join(parts)


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def python_strings(path: Path) -> Iterator[tuple[str, str]]:
    """Vietnamese string literals (with diacritics; f-string pieces included), not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            pieces = [v.value for v in node.values if isinstance(v, ast.Constant)]
            text = "".join(pieces)
            if has_diacritics(text):
                yield f"{path.relative_to(REPO)}:{node.lineno}", text
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and has_diacritics(node.value)
        ):
            yield f"{path.relative_to(REPO)}:{node.lineno}", node.value


def code_texts() -> Iterator[tuple[str, str]]:
    for folder in ("actions", "api/assist"):
        for path in sorted((REPO / folder).glob("*.py")):
            yield from python_strings(path)


def static_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((REPO / "api" / "static").rglob("*")):
        if path.suffix in (".html", ".js") and path.is_file():
            yield str(path.relative_to(REPO)), path.read_text(encoding="utf-8")


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def data_texts() -> Iterator[tuple[str, str]]:
    """The centres' contact data and the amendment notes (what a citizen reads of the registry)."""
    data = REPO / "knowledge" / "data"
    centres = yaml.safe_load((data / "legal_aid_centres.yml").read_text(encoding="utf-8"))
    for i, text in enumerate(_strings(centres)):
        if has_diacritics(text):
            yield f"knowledge/data/legal_aid_centres.yml#{i}", text
    registry = yaml.safe_load((data / "amendments.yml").read_text(encoding="utf-8"))
    for entry in registry["amendments"]:
        yield f"knowledge/data/amendments.yml {entry['id']}", entry.get("note") or ""


SOURCES = {
    "cards": card_texts,
    "domain": domain_texts,
    "code": code_texts,
    "static": static_texts,
    "data": data_texts,
}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_no_citizen_facing_text_sends_people_to_a_district_body(source):
    texts = list(SOURCES[source]())
    assert texts, f"không tìm thấy văn bản nào để kiểm tra ({source})"
    problems = [p for where, text in texts for p in violations(where, text)]
    assert problems == []


def test_the_scan_reaches_the_texts_that_carry_the_convention():
    """The scanner sees the cards quoting district conditions, and they carry the note."""
    texts = dict(card_texts())
    quoting = ("bhyt-nguoi-thuoc-ho-ngheo", "bhyt-nguoi-thuoc-ho-can-ngheo",
               "thads-hoan-thi-hanh-an-truoc-2026")
    for card_id in quoting:
        text = texts[f"thẻ {card_id}"]
        assert district_mentions(text) and not district_bodies(text)
        assert has_district_note(text)
    code = dict(code_texts())
    assert any(w.startswith("actions/") for w in code) and any(w.startswith("api/assist/") for w in code)
    assert any(w.endswith("operator/index.html") for w in dict(static_texts()))


# --- the rule itself on known-bad texts -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Bạn mang hồ sơ đến Phòng Tư pháp huyện nơi cư trú.",
        "Ban len phong tu phap huyen hoi nhe",  # typed without diacritics
        "Bạn hỏi Phòng Tư pháp nơi cư trú.",  # Phòng Tư pháp was the district justice office
        "Nộp đơn tại UBND huyện hoặc Ủy ban nhân dân quận.",
        "Chủ tịch Ủy ban nhân dân cấp huyện quyết định trợ cấp.",
        "Yêu cầu gửi Chi cục Thi hành án dân sự nơi Tòa xử.",
        "Liên hệ Chi nhánh Trung tâm trợ giúp pháp lý tại các huyện miền núi.",
        "Khởi kiện tại Tòa án nhân dân cấp huyện.",
        "Hỏi Phòng Lao động - Thương binh và Xã hội huyện.",
        "Lên cấp huyện để nộp hồ sơ.",
        # the old enforcement card: a quoted condition without the note
        "người phải thi hành án bị ốm nặng (có xác nhận của cơ sở y tế từ cấp huyện trở lên)",
    ],
)
def test_district_wording_is_caught(text):
    assert violations("mẫu", text)


@pytest.mark.parametrize(
    "text",
    [
        "Bạn hỏi Ủy ban nhân dân cấp xã hoặc Sở Tư pháp của tỉnh.",
        "Trung tâm Trợ giúp pháp lý nhà nước của tỉnh hoặc Chi nhánh của Trung tâm.",
        "Gửi đơn đến cơ quan thi hành án dân sự có thẩm quyền; khởi kiện tại Tòa án có thẩm quyền.",
        "Cơ quan quản lý, Ủy ban nhân dân quản lý địa bàn; chị Huyền ở phường Quán Thánh.",
        "người cư trú ở huyện nghèo. Từ 01/7/2025 không còn cấp huyện: hãy hỏi Ủy ban nhân dân cấp xã.",
    ],
)
def test_current_bodies_and_noted_quotes_pass(text):
    assert violations("mẫu", text) == []


def test_a_quoted_statute_article_gets_one_note_line():
    excerpt = "Điều 12. Phòng Tư pháp cấp huyện có trách nhiệm hướng dẫn hòa giải ở cơ sở."
    assert district_note(excerpt) == DISTRICT_NOTE
    noted = with_district_note(excerpt)
    assert noted.splitlines() == [excerpt, DISTRICT_NOTE]
    assert with_district_note(noted) == noted  # never twice
    assert district_note("Điều 5. Ủy ban nhân dân cấp xã có trách nhiệm …") == ""
    assert DISTRICT_NOTE.startswith("Lưu ý: " + NOTE_MARKER) and "\n" not in DISTRICT_NOTE
    assert not district_bodies(DISTRICT_NOTE)


def test_district_note_doctests():
    import doctest

    import knowledge.district_note as module

    failures, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failures == 0


CORPUS = Path("/work/shared/corpus/phapdien")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="kho văn bản Pháp điển không có trên máy này")
@pytest.mark.parametrize(
    ("file", "phrase"),
    [
        ("thi-hanh-an-dan-su.md", "Chi cục Thi hành án dân sự"),
        ("to-tung-dan-su.md", "Tòa án nhân dân cấp huyện"),
        ("ho-tich.md", "Ủy ban nhân dân cấp huyện"),
    ],
)
def test_corpus_articles_naming_district_bodies_get_the_note(file, phrase):
    """The statutes still name district bodies: a paragraph quoted from them gets the note."""
    text = (CORPUS / file).read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n") if phrase in p)
    assert district_bodies(paragraph)
    assert with_district_note(paragraph).endswith("\n" + DISTRICT_NOTE)
