"""Text-level behaviour of the sparse side and of the fused ranking, on tiny indexes.

A deterministic fake embedder stands in for the model, so these run in well under a second.
"""

from __future__ import annotations

from datetime import date

import bm25s
import pytest

from knowledge.index import build_index
from knowledge.search import IndexNotBuiltError, KnowledgeIndex
from knowledge.sparse import bm25_tokens

from .test_cards import GOOD, write


def tiny_bm25(texts):
    retriever = bm25s.BM25()
    retriever.index([bm25_tokens(t) for t in texts], show_progress=False)
    return retriever


def best(retriever, query):
    return int(retriever.get_scores(bm25_tokens(query)).argmax())


def test_tokens_fold_expand_slang_and_add_bigrams():
    assert bm25_tokens("Hộ nghèo có dc TGPL ko", bigrams=False) == [
        "ho",
        "ngheo",
        "co",
        "duoc",
        "tro",
        "giup",
        "phap",
        "ly",
        "khong",
    ]
    assert "ho_ngheo" in bm25_tokens("hộ nghèo")
    assert bm25_tokens("   ") == []


def test_query_without_diacritics_matches_text_with_diacritics():
    docs = ["Người thuộc hộ nghèo được trợ giúp pháp lý.", "Hòa giải viên ở cơ sở.", "Thi hành án dân sự."]
    r = tiny_bm25(docs)
    assert best(r, "nguoi ho ngheo co dc tgpl ko") == 0
    assert best(r, "hoa giai vien") == 1
    assert best(r, "THADS") == 2


def test_bigrams_prefer_the_word_over_scattered_syllables():
    docs = [
        "Hộ gia đình này rất nghèo về tinh thần, ngheo ngóc.",  # "hộ" and "nghèo" apart
        "Chuẩn hộ nghèo áp dụng cho giai đoạn mới của chương trình.",  # the word "hộ nghèo"
        "Một văn bản khác hoàn toàn.",
    ]
    assert best(tiny_bm25(docs), "ho ngheo") == 1


@pytest.fixture
def tiny_cards(tmp_path):
    folder = tmp_path / "cards"
    write(folder, "legal_aid_eligibility/ho-ngheo.yml", GOOD.format(id="tgpl-ho-ngheo"))
    for period, start, end in (
        ("2022-2025", "2022-01-01", "2026-12-31"),
        ("2027-2030", "2027-01-01", "null"),
    ):
        text = (
            GOOD.format(id=f"chuan-ngheo-{period}")
            .replace("legal_aid_eligibility", "poverty_standard")
            .replace("Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí", f"Chuẩn nghèo giai đoạn {period}")
            .replace("applies_from: null", f"applies_from: {start}")
            .replace("applies_to: null", f"applies_to: {end}")
        )
        write(folder, f"poverty_standard/chuan-ngheo-{period}.yml", text)
    return folder


def test_build_load_search_and_on_date(tmp_path, tiny_cards, fake_embedder):
    data = tmp_path / "data"
    with pytest.raises(IndexNotBuiltError, match="Chưa có chỉ mục"):
        KnowledgeIndex.load(data, embedder=fake_embedder)
    result = build_index(data_dir=data, corpus=None, cards=tiny_cards, embedder=fake_embedder, progress=False)
    assert result.rebuilt and (data / "index" / "manifest.json").exists()
    again = build_index(data_dir=data, corpus=None, cards=tiny_cards, embedder=fake_embedder, progress=False)
    assert not again.rebuilt and "up to date" in again.message

    index = KnowledgeIndex.load(data, embedder=fake_embedder)
    hits = index.search("chuan ngheo giai doan", k=5, on_date=date(2025, 6, 1))
    ids = [h.id for h in hits]
    assert "chuan-ngheo-2022-2025" in ids and "chuan-ngheo-2027-2030" not in ids
    ids_2028 = [h.id for h in index.search("chuan ngheo giai doan", k=5, on_date=date(2028, 1, 1))]
    assert "chuan-ngheo-2027-2030" in ids_2028 and "chuan-ngheo-2022-2025" not in ids_2028
    hit = index.search("ho ngheo co dc tgpl ko", k=1)[0]
    assert hit.id == "tgpl-ho-ngheo" and hit.source == "card" and hit.card is not None
    assert hit.citation["document_number"] == "11/2017/QH14" and hit.citation["article"] == "7"
    assert hit.citation["effective_date"] == "2018-01-01"
    assert index.search("", k=5) == []


def test_changed_inputs_trigger_a_rebuild_that_reuses_vectors(tmp_path, tiny_cards, fake_embedder):
    data = tmp_path / "data"
    build_index(data_dir=data, corpus=None, cards=tiny_cards, embedder=fake_embedder, progress=False)
    write(
        tiny_cards,
        "mediation/hoa-giai.yml",
        GOOD.format(id="hoa-giai-co-so").replace("legal_aid_eligibility", "mediation"),
    )
    result = build_index(data_dir=data, corpus=None, cards=tiny_cards, embedder=fake_embedder, progress=False)
    assert result.rebuilt
    counts = result.manifest["counts"]
    assert counts["cards"] == 4 and counts["reused"] > 0 and counts["embedded"] < counts["vectors"]


def test_prefetched_queries_are_encoded_in_one_batch(tmp_path, tiny_cards, fake_embedder):
    class Counting(type(fake_embedder)):
        def __init__(self) -> None:
            self.calls: list[int] = []

        def encode_queries(self, texts):
            self.calls.append(len(texts))
            return super().encode_queries(texts)

    embedder = Counting()
    data = tmp_path / "data"
    build_index(data_dir=data, corpus=None, cards=tiny_cards, embedder=embedder, progress=False)
    index = KnowledgeIndex.load(data, embedder=embedder)
    queries = ["ho ngheo co dc tgpl ko", "chuan ngheo giai doan nao"]
    plain = [[(h.id, round(h.score, 6)) for h in index.search(q, k=3)] for q in queries]
    embedder.calls.clear()
    index.prefetch(queries)
    again = [[(h.id, round(h.score, 6)) for h in index.search(q, k=3)] for q in queries]
    assert embedder.calls == [2] and again == plain  # one batch, no encoding at search time
    index.search(queries[0], k=3)
    assert embedder.calls == [2, 1]  # a prefetched vector serves one search only
