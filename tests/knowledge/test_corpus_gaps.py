"""knowledge/data/corpus_gaps.yml: the record of what the corpus lacks is well formed and points at
topics and corpus files that exist."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.paths import CARDS_DIR, default_corpus

GAPS = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "corpus_gaps.yml"
FIELDS = {"id", "document", "missing", "evidence", "topics", "found_on"}


@pytest.fixture(scope="module")
def gaps() -> list[dict]:
    data = yaml.safe_load(GAPS.read_text(encoding="utf-8"))
    assert data["version"] == 1
    return data["gaps"]


def test_every_gap_has_its_fields_a_known_topic_and_a_date(gaps):
    topics = {p.name for p in CARDS_DIR.iterdir() if p.is_dir()}
    ids = [g["id"] for g in gaps]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    for gap in gaps:
        assert set(gap) == FIELDS, gap["id"]
        assert gap["topics"] and set(gap["topics"]) <= topics, gap["id"]
        assert isinstance(gap["found_on"], date), gap["id"]
        assert gap["missing"].strip() and gap["document"].strip(), gap["id"]


def test_the_corpus_files_named_as_evidence_exist(gaps):
    corpus = default_corpus()
    if corpus is None:
        pytest.skip("no corpus here")
    for gap in gaps:
        for name in re.findall(r"[\w-]+\.md", gap["evidence"]):
            assert (corpus / name).is_file(), (gap["id"], name)
