"""Public search interface used by the api: :class:`KnowledgeIndex` and :class:`Hit`.

>>> index = KnowledgeIndex.load()            # once per process (loads BM25, faiss, the model)
>>> hits = index.search("nha toi ho ngheo co dc tgpl ko", k=5, on_date=date.today())

Ranking: BM25 over folded syllables + bigrams and dense (e5) cosine are each min-max normalised
over the candidate pool and summed with weight :data:`SPARSE_WEIGHT`; cards get a small boost
(:data:`CARD_BOOST`) so that a card usually ranks above the statute article it rests on.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np

from .cards import Card
from .currency import provision_of
from .index import index_dir
from .rules.amendments import AmendmentRegistry, default_registry
from .sparse import bm25_tokens
from .temporal import card_allowed, reference_time
from .text import has_diacritics, nfc, normalize_for_search

__all__ = ["CARD_BOOST", "SPARSE_WEIGHT", "Hit", "IndexNotBuiltError", "KnowledgeIndex", "fuse_scores"]

# Tuned on bench/data/retrieval_dev.yml (see bench/retrieval.py and bench/results/).
SPARSE_WEIGHT = 0.5
CARD_BOOST = 0.15
POOL = 50  # candidates taken from each method before fusion
LINK_WEIGHT = 0.5  # statute-only ranking: share of a card's score given to the articles it cites
# Subtracted from the fused score of an article that is no longer in force on the day asked (amendment
# registry) unless the question names its document: texts in force rank first, old ones stay findable.
OUTDATED_PENALTY = 0.3


class IndexNotBuiltError(RuntimeError):
    """The persisted index is missing or unreadable."""


@dataclass(frozen=True)
class Hit:
    id: str
    text: str
    score: float
    source: Literal["card", "statute"]
    citation: dict  # document_number, document_title, document_type, article, clause, effective_date, source
    title: str
    topic: str | None = None
    card: Card | None = None
    sparse_score: float = 0.0  # raw BM25 score
    dense_score: float = 0.0  # raw cosine (best chunk)
    extra: dict = field(default_factory=dict, compare=False, repr=False)


def _minmax(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-9:
        return np.where(values > 0, 1.0, 0.0).astype(np.float32) if hi > 0 else np.zeros_like(values)
    return ((values - lo) / (hi - lo)).astype(np.float32)


def fuse_scores(
    sparse: np.ndarray,
    dense: np.ndarray,
    is_card: np.ndarray,
    allowed: np.ndarray,
    sparse_weight: float = SPARSE_WEIGHT,
    card_boost: float = CARD_BOOST,
    pool_size: int = POOL,
    links: tuple[np.ndarray, np.ndarray] | None = None,
    link_weight: float = LINK_WEIGHT,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pool (top *pool_size* of each method) and fused scores (valid on the pool):
    ``w·minmax(bm25) + (1−w)·minmax(cosine) + boost·is_card``.

    *links* = (card rows, statute rows) for every article a card cites: a cited article gains
    ``link_weight`` × the best citing card's score without boost, so the statute behind a good
    card surfaces even when the citizen's words are far from the legal text."""
    cand_s = np.flatnonzero(allowed & (sparse > 0))
    cand_s = cand_s[np.argsort(-sparse[cand_s], kind="stable")[:pool_size]]
    cand_d = np.flatnonzero(allowed)
    cand_d = cand_d[np.argsort(-dense[cand_d], kind="stable")[:pool_size]]
    pool = np.union1d(cand_s, cand_d)
    fused = np.zeros(sparse.shape[0], dtype=np.float32)
    if pool.size:
        fused[pool] = sparse_weight * _minmax(sparse[pool]) + (1 - sparse_weight) * _minmax(dense[pool])
        if links is not None and link_weight and links[0].size:
            in_pool = np.zeros(sparse.shape[0], dtype=bool)
            in_pool[pool] = True
            cards, statutes = links
            keep = in_pool[cards] & allowed[cards] & allowed[statutes]
            if keep.any():
                gain = np.zeros(sparse.shape[0], dtype=np.float32)
                np.maximum.at(gain, statutes[keep], fused[cards[keep]])
                linked = np.flatnonzero(gain > 0)
                fused[linked] += link_weight * gain[linked]
                pool = np.union1d(pool, linked)
        fused[pool] += card_boost * is_card[pool]
    return pool, fused


PREFETCH_KEPT = 64


class KnowledgeIndex:
    """The persisted hybrid index, loaded once; :meth:`search` is thread-safe."""

    def __init__(
        self,
        path: Path,
        manifest: dict,
        docs: list[dict],
        retriever,
        faiss_index,
        owner: np.ndarray,
        embedder=None,
        registry: AmendmentRegistry | None = None,
    ):
        self.path = path
        self.manifest = manifest
        self.docs = docs
        self._retriever = retriever
        self._faiss = faiss_index
        self._owner = owner
        self._embedder = embedder
        self._lock = threading.Lock()
        self._prefetched: OrderedDict[str, np.ndarray] = OrderedDict()  # model text → query vector
        self._cards: list[Card | None] = [
            Card.model_validate(d["card"]) if d.get("card") else None for d in docs
        ]
        self._is_card = np.array([d["source"] == "card" for d in docs])
        by_key: dict[str, int] = {}
        for i, d in enumerate(docs):
            if d["source"] == "statute" and d.get("key"):
                by_key.setdefault(d["key"], i)
        pairs = [
            (i, by_key[f"{c.document_number}:{c.article}"])
            for i, card in enumerate(self._cards)
            if card is not None
            for c in card.citations
            if f"{c.document_number}:{c.article}" in by_key
        ]
        self._links = (
            np.array([p[0] for p in pairs], dtype=np.int64),
            np.array([p[1] for p in pairs], dtype=np.int64),
        )
        self.link_weight = LINK_WEIGHT
        self.sparse_weight = SPARSE_WEIGHT
        self.card_boost = CARD_BOOST
        # Statute articles the amendment registry says something about (usually a few hundred of
        # thousands): their status is computed per question date, the rest are in force as ingested.
        self.registry = registry or default_registry()
        self._amended: dict[int, object] = {}
        self._not_in_force_by_date: dict[date, np.ndarray] = {}
        for i, d in enumerate(docs):
            if d["source"] == "statute":
                provision = provision_of(d["citation"])
                if self.registry.about(provision):
                    self._amended[i] = provision

    def status_note(self, i: int, on_date: date | None) -> str:
        """"hết hiệu lực từ …", "được bổ sung bởi …" for doc *i* on *on_date*; "" when in force as is."""
        provision = self._amended.get(i)
        if provision is None or on_date is None:
            return ""
        return self.registry.status(provision, on_date).label()

    def outdated(self, on_date: date | None, query: str = "") -> np.ndarray:
        """Docs no longer in force on *on_date* whose document the question does not name.

        The registry is asked once per date (a few thousand provisions: ~50 ms), then the mask is
        kept (:meth:`_not_in_force`); the documents the question names are taken out per query."""
        if on_date is None or not self._amended:
            return np.zeros(len(self.docs), dtype=bool)
        mask = self._not_in_force(on_date).copy()
        for ref in reference_time(query, on_date).doc_refs:
            for i, provision in self._amended.items():
                if mask[i] and provision.document.startswith(ref):
                    mask[i] = False
        return mask

    def _not_in_force(self, on_date: date) -> np.ndarray:
        cached = self._not_in_force_by_date.get(on_date)
        if cached is None:
            cached = np.zeros(len(self.docs), dtype=bool)
            for i, provision in self._amended.items():
                cached[i] = not self.registry.in_force(provision, on_date)
            if len(self._not_in_force_by_date) >= 64:  # question dates are few: today, a past day
                self._not_in_force_by_date.clear()
            self._not_in_force_by_date[on_date] = cached
        return cached

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, data_dir: Path | None = None, *, embedder=None) -> KnowledgeIndex:
        """Load ``<data dir>/index``; raises :class:`IndexNotBuiltError` (Vietnamese message) when missing."""
        path = index_dir(data_dir)
        manifest_path = path / "manifest.json"
        if not manifest_path.exists():
            raise IndexNotBuiltError(
                f"Chưa có chỉ mục tìm kiếm tại {path}. Hãy chạy: python -m knowledge build"
            )
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            with (path / "docs.jsonl").open(encoding="utf-8") as fh:
                docs = [json.loads(line) for line in fh if line.strip()]
            import bm25s
            import faiss

            retriever = bm25s.BM25.load(str(path / "bm25"))
            faiss_index = faiss.read_index(str(path / "dense.faiss"))
            owner = np.load(path / "chunks.npy")
        except (OSError, ValueError, RuntimeError) as e:
            raise IndexNotBuiltError(
                f"Chỉ mục tìm kiếm tại {path} bị hỏng hoặc thiếu tệp ({e}). "
                "Hãy chạy lại: python -m knowledge build --force"
            ) from e
        if embedder is None:
            from .embedding.model import Embedder

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            # One intra-op thread per query: a short query gains little from two, and on a busy
            # 2-core machine thread barriers gave p95 > 100 ms (one thread: p95 ≈ 17 ms).
            threads = int(os.environ.get("KNOWLEDGE_QUERY_THREADS", "1"))
            embedder = Embedder(manifest["model_id"], threads=threads, data_dir=path.parent)
        if embedder.dim != faiss_index.d:
            raise IndexNotBuiltError(
                f"Chỉ mục dùng vector {faiss_index.d} chiều nhưng mô hình cho {embedder.dim} chiều."
            )
        return cls(path, manifest, docs, retriever, faiss_index, owner, embedder)

    def __len__(self) -> int:
        return len(self.docs)

    # ------------------------------------------------------------------ scoring
    def sparse_scores(self, query: str) -> np.ndarray:
        tokens = bm25_tokens(query)
        if not tokens:
            return np.zeros(len(self.docs), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)

    @staticmethod
    def _model_text(query: str) -> str:
        """What the model reads for *query*: chat slang (tgpl, ko, dc…) expanded when typed plain."""
        query = nfc(query or "").strip()
        return query if has_diacritics(query) else (normalize_for_search(query) or query)

    def prefetch(self, queries: list[str]) -> None:
        """Encode *queries* in one batch for the searches that follow (the sub-questions of one
        message): one forward pass for three queries costs about what two single ones do. At most
        :data:`PREFETCH_KEPT` vectors are kept, the oldest dropped first."""
        if self._embedder is None:
            return
        texts = [t for t in dict.fromkeys(self._model_text(q) for q in queries) if t]
        with self._lock:
            missing = [t for t in texts if t not in self._prefetched]
            if missing:
                for text, vector in zip(missing, self._embedder.encode_queries(missing), strict=True):
                    self._prefetched[text] = vector
            while len(self._prefetched) > PREFETCH_KEPT:
                self._prefetched.popitem(last=False)

    def dense_scores(self, query: str) -> np.ndarray:
        """Best chunk cosine for every doc (-1 for docs without vectors)."""
        query = self._model_text(query)
        with self._lock:  # torch inference from several threads at once only adds contention
            vector = self._prefetched.pop(query, None)
            qv = vector[None, :] if vector is not None else self._embedder.encode_queries([query])
        n = self._faiss.ntotal
        sims, idx = self._faiss.search(qv, n)
        out = np.full(len(self.docs), -1.0, dtype=np.float32)
        valid = idx[0] >= 0
        np.maximum.at(out, self._owner[idx[0][valid]], sims[0][valid])
        return out

    def allowed(self, on_date: date | None, query: str = "") -> np.ndarray:
        """Mask of docs usable for *query* asked on *on_date*: cards whose applies_from/applies_to
        exclude the date are not, unless the question names another year, asks about upcoming
        rules or names a document the card cites (see :mod:`knowledge.temporal`)."""
        allowed = np.ones(len(self.docs), dtype=bool)
        if on_date is not None:
            ref = reference_time(query, on_date)
            for i, card in enumerate(self._cards):
                if card is not None and not card_allowed(card, ref):
                    allowed[i] = False
        return allowed

    @property
    def is_card(self) -> np.ndarray:
        return self._is_card

    @property
    def links(self) -> tuple[np.ndarray, np.ndarray]:
        """(card rows, statute rows) for every cited article present in the index."""
        return self._links

    def hit(self, i: int, score: float, sparse: float = 0.0, dense: float = 0.0) -> Hit:
        return self._hit(i, score, sparse, dense)

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        on_date: date | None = None,
        mode: Literal["hybrid", "sparse", "dense"] = "hybrid",
        sources: tuple[str, ...] = ("card", "statute"),
    ) -> list[Hit]:
        """Top *k* cards and statute articles for *query* (with or without diacritics).

        ``on_date``: cards whose applies_from/applies_to exclude that date are dropped.
        ``mode`` selects BM25 only or dense only (for benchmarks); ``sources=("statute",)`` ranks
        statute articles only (e.g. to show the articles behind an answer)."""
        query = nfc(query or "").strip()
        if not query or k <= 0:
            return []
        ndocs = len(self.docs)
        allowed = self.allowed(on_date, query)
        # cards take part in the fusion even when only statutes are wanted (they lift the articles
        # they cite); the source filter applies to the output
        wanted = allowed.copy()
        if "card" not in sources:
            wanted &= ~self._is_card
        if "statute" not in sources:
            wanted &= self._is_card
        sparse = self.sparse_scores(query) if mode in ("hybrid", "sparse") else np.zeros(ndocs, np.float32)
        dense = self.dense_scores(query) if mode in ("hybrid", "dense") else np.zeros(ndocs, np.float32)

        if mode == "sparse":
            fused = sparse.copy()
            pool = np.flatnonzero(wanted & (sparse > 0))
        elif mode == "dense":
            fused = dense.copy()
            pool = np.flatnonzero(wanted)
        else:
            pool, fused = fuse_scores(
                sparse,
                dense,
                self._is_card,
                allowed,
                self.sparse_weight,
                self.card_boost,
                # statute-only ranking: articles cited by well-matching cards are lifted; in the
                # joint ranking this would push those articles above the next cards (R@1 −9 points)
                links=self._links if "card" not in sources else None,
                link_weight=self.link_weight,
            )
        pool = pool[wanted[pool]]
        if pool.size == 0:
            return []
        fused = fused - OUTDATED_PENALTY * self.outdated(on_date, query)
        order = pool[np.argsort(-fused[pool], kind="stable")][:k]
        hits = [self._hit(int(i), float(fused[i]), float(sparse[i]), float(dense[i])) for i in order]
        for i, hit in zip(order, hits, strict=True):
            note = self.status_note(int(i), on_date)
            if note:
                hit.extra["status"] = note
        return hits

    def _hit(self, i: int, score: float, sparse: float, dense: float) -> Hit:
        d = self.docs[i]
        return Hit(
            id=d["id"],
            text=d["text"],
            score=score,
            source=d["source"],
            citation=dict(d["citation"]),
            title=d["title"],
            topic=d.get("topic"),
            card=self._cards[i],
            sparse_score=sparse,
            dense_score=dense,
            extra={"key": d.get("key"), "phapdien_id": d.get("phapdien_id")},
        )
