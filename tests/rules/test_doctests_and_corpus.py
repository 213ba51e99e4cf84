"""Docstring examples run as tests; legal wording checked against the Pháp điển corpus when present."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

from knowledge.rules.amendments import Change, default_registry
from knowledge.rules.eligibility import ROUTES
from knowledge.text import fold

MODULES = [
    "knowledge.contacts",
    "knowledge.currency",
    "knowledge.focus",
    "knowledge.questions",
    "knowledge.rules.amendments",
    "knowledge.rules.amounts",
    "knowledge.rules.citations",
    "knowledge.rules.eligibility",
    "knowledge.rules.extract",
    "knowledge.rules.facts",
    "knowledge.rules.groups",
    "knowledge.rules.poverty",
    "knowledge.rules.questions",
    "knowledge.rules.result",
    "knowledge.text",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    failures, _ = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert failures == 0


CORPUS = Path("/work/shared/corpus/phapdien")


def _article(file: str, provenance: str) -> str:
    """Text of the article whose provenance line starts with *provenance*, up to the next article."""
    text = (CORPUS / file).read_text(encoding="utf-8")
    start = text.index(provenance)
    following = re.compile(r"\nĐiều \d+\.\d+\.").search(text, start)
    return text[start : following.start() if following else None]


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="Pháp điển corpus not available")


def _added_by_registry(route) -> str | None:
    """The wording of a clause the corpus lacks, from the amendment registry."""
    for amendment in default_registry().about(route.provision):
        if amendment.change is Change.ADDED and amendment.target == route.provision:
            return amendment.text
    return None


@pytest.mark.parametrize("route", [r for r in ROUTES if _added_by_registry(r)], ids=lambda r: r.id)
def test_added_route_wording_is_the_registry_text(route) -> None:
    assert fold(route.group) in fold(_added_by_registry(route))


@needs_corpus
@pytest.mark.parametrize("route", [r for r in ROUTES if not _added_by_registry(r)], ids=lambda r: r.id)
def test_route_group_wording_is_in_article_7(route) -> None:
    article = _article("tro-giup-phap-ly.md", "(Điều 7 Luật số 11/2017/QH14")
    marker = f" {route.point}) " if route.point else f" {route.clause}. "
    line = article[article.index(marker) :].split("\n")[0]
    assert fold(route.group.split(" (")[0]) in fold(line)


@needs_corpus
@pytest.mark.parametrize(
    ("file", "provenance", "wording"),
    [
        (
            "tro-giup-phap-ly.md",
            "(Điều 2 Nghị định số 144/2017/NĐ-CP",
            "là người thuộc hộ cận nghèo hoặc là người đang hưởng trợ cấp xã hội hàng tháng",
        ),
        (
            "tro-giup-phap-ly.md",
            "(Điều 27 Luật số 11/2017/QH14",
            "được thực hiện trong các lĩnh vực pháp luật, trừ lĩnh vực kinh doanh, thương mại.",
        ),
        (
            "tro-giup-phap-ly.md",
            "(Điều 30 Luật số 11/2017/QH14",
            "chỉ được thụ lý khi có vụ việc cụ thể liên quan trực tiếp đến quyền và lợi ích hợp pháp",
        ),
        ("tre-em.md", "(Điều 1 Luật số 102/2016/QH13", "Trẻ em là người dưới 16 tuổi."),
        ("nguoi-cao-tuoi.md", "(Điều 2 Luật số 39/2009/QH12", "từ đủ 60 tuổi trở lên"),
    ],
)
def test_facts_used_are_in_the_corpus(file: str, provenance: str, wording: str) -> None:
    assert wording in _article(file, provenance)
