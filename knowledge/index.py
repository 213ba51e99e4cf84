"""Build the persisted hybrid index (``python -m knowledge build``).

Layout of ``<data dir>/index/`` (plain files):

* ``manifest.json`` — format version, content hash of cards + corpus, model id, counts, timings
* ``docs.jsonl`` — one line per retrievable unit (a card or a statute article): id, source,
  title, text, citation, topic, card (the card's JSON for cards)
* ``bm25/`` — bm25s files (arrays as .npy, vocab/params as json)
* ``chunks.npy`` — for each dense vector, the row of its doc in docs.jsonl
* ``dense.faiss`` — faiss inner-product index over L2-normalised vectors
* ``chunk_keys.json`` — sha1 of each embedded text, used to reuse vectors on the next build

Long articles are embedded as up to :data:`MAX_CHUNKS` windows of :data:`CHUNK_TOKENS` tokens
cut at paragraph/sentence boundaries, each prefixed with the article heading; BM25 always sees
the whole article.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .cards import Card, load_cards_with_errors
from .ingest import ArticleRecord, iter_corpus_files, parse_corpus
from .paths import CARDS_DIR, default_corpus
from .paths import data_dir as default_data_dir
from .sparse import bm25_tokens
from .text import fold, has_diacritics

FORMAT_VERSION = 4
CHUNK_TOKENS = 256
MAX_CHUNKS = 2
INDEX_DIRNAME = "index"


@dataclass
class BuildResult:
    path: Path
    rebuilt: bool
    message: str
    manifest: dict


def index_dir(data_dir: Path | None = None) -> Path:
    return (Path(data_dir) if data_dir else default_data_dir()) / INDEX_DIRNAME


def _hash_inputs(card_dir: Path, corpus: Path | None) -> str:
    h = hashlib.sha256()
    files: list[tuple[str, Path]] = []
    if card_dir.is_dir():
        files += [
            ("card:" + str(p.relative_to(card_dir)), p)
            for p in sorted(card_dir.rglob("*"))
            if p.suffix in (".yml", ".yaml") and p.is_file()
        ]
    if corpus is not None:
        files += [("corpus:" + p.name, p) for p in iter_corpus_files(corpus)]
    for name, p in files:
        h.update(name.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def card_doc(card: Card) -> dict:
    c = card.citations[0]
    return {
        "id": card.id,
        "source": "card",
        "title": card.title,
        "text": card.answer,
        "topic": card.topic,
        "citation": {
            "document_number": c.document_number,
            "document_title": c.document_title,
            "document_type": c.document_type,
            "article": c.article,
            "clause": c.clause,
            "effective_date": c.effective_from.isoformat() if c.effective_from else "",
            "issued_on": c.issued_on.isoformat() if c.issued_on else "",
            "source": f"card:{card.id}",
        },
        "card": card.model_dump(mode="json"),
        "key": f"{c.document_number}:{c.article}",
    }


def article_doc(r: ArticleRecord, doc_id: str) -> dict:
    heading = r.heading()
    return {
        "id": doc_id,
        "source": "statute",
        "title": f"{heading} — {r.document_type} {r.document_title} số {r.document_number}",
        "text": f"{heading}\n{r.body}",
        "topic": r.topic or None,
        "citation": {
            "document_number": r.document_number,
            "document_title": r.document_title,
            "document_type": r.document_type,
            "article": r.article,
            "clause": None,
            "effective_date": r.effective_date or "",
            "source": f"phapdien:{r.source_file}#{r.phapdien_id or r.article}",
        },
        "card": None,
        "key": r.key,
        "phapdien_id": r.phapdien_id,
        "amendments": r.amendments,
    }


def sparse_text(doc: dict) -> str:
    if doc["source"] == "card":
        card = doc["card"]
        return "\n".join([card["title"], *card["questions"], card["answer"]])
    return f"{doc['title']}\n{doc['text']}"


def _chunks(doc: dict, tokenizer) -> list[str]:
    """Texts to embed for one doc (cards: title + questions + answer, one vector per question
    too, so a paraphrase of any listed question lands close)."""
    if doc["source"] == "card":
        card = doc["card"]
        texts = [f"{card['title']}\n{card['answer']}", *[f"{q}\n{card['title']}" for q in card["questions"]]]
        # citizens often type without diacritics: folded questions land closer to such queries
        folded = [fold(f"{q}\n{card['title']}") for q in card["questions"] if has_diacritics(q)]
        return texts + folded
    heading = doc["title"]
    body = doc["text"].split("\n", 1)[1] if "\n" in doc["text"] else doc["text"]
    budget = CHUNK_TOKENS - 8 - len(tokenizer(heading, add_special_tokens=False, verbose=False)["input_ids"])
    budget = max(budget, 64)
    enc = tokenizer(body, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    offsets = enc["offset_mapping"]
    n = len(offsets)
    out: list[str] = []
    t0 = 0
    while t0 < n and len(out) < MAX_CHUNKS:
        s = offsets[t0][0]
        if t0 + budget >= n:
            out.append(body[s:].strip())
            break
        hard = offsets[t0 + budget][0]
        window = body[s:hard]
        cut = -1
        for sep in ("\n", ". ", "; ", ", ", " "):
            pos = window.rfind(sep)
            if pos > len(window) // 2:
                cut = s + pos + len(sep)
                break
        if cut < 0:
            cut = hard
        out.append(body[s:cut].strip())
        t1 = t0
        while t1 < n and offsets[t1][0] < cut:
            t1 += 1
        t0 = max(t1, t0 + 1)
    return [f"{heading}\n{c}" for c in out if c] or [heading]


def _load_docs(card_dir: Path, corpus: Path | None, progress: bool) -> tuple[list[dict], dict]:
    cards, errors = load_cards_with_errors(card_dir)
    for e in errors:
        print(f"CẢNH BÁO: {e}")
    docs = [card_doc(c) for c in cards]
    stats = {"cards": len(cards), "card_errors": len(errors), "articles": 0, "files": []}
    if corpus is not None:
        records, reports = parse_corpus(corpus, progress=progress)
        used: dict[str, int] = {}
        for r in records:
            key = r.key
            used[key] = used.get(key, 0) + 1
            doc_id = key if used[key] == 1 else f"{key}#{r.phapdien_id or used[key]}"
            docs.append(article_doc(r, doc_id))
        stats["articles"] = len(records)
        stats["files"] = [
            {
                "file": r.file,
                "headings": r.headings,
                "parsed": r.parsed,
                "skipped": len(r.skipped),
                "error": r.error,
            }
            for r in reports
        ]
    return docs, stats


def build_index(
    *,
    data_dir: Path | None = None,
    corpus: Path | bool | None = True,
    cards: Path | None = None,
    force: bool = False,
    progress: bool = True,
    embedder=None,
) -> BuildResult:
    """Build (or reuse) the hybrid index. ``corpus=True`` means the default location."""
    t_start = time.perf_counter()
    card_dir = Path(cards) if cards else CARDS_DIR
    corpus_path: Path | None = default_corpus() if corpus is True else (Path(corpus) if corpus else None)
    if corpus_path is not None and not corpus_path.exists():
        raise FileNotFoundError(f"Không tìm thấy kho văn bản {corpus_path}")
    out = index_dir(data_dir)

    from .embedding.model import model_id as current_model_id

    mid = embedder.model_id if embedder is not None else current_model_id()
    content_hash = _hash_inputs(card_dir, corpus_path)
    manifest_path = out / "manifest.json"
    if not force and manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text())
        except ValueError:
            old = {}
        if (
            old.get("format_version") == FORMAT_VERSION
            and old.get("content_hash") == content_hash
            and old.get("model_id") == mid
        ):
            return BuildResult(out, False, f"Chỉ mục đã cập nhật (up to date): {out}", old)

    docs, stats = _load_docs(card_dir, corpus_path, progress)
    if not docs:
        raise RuntimeError("Không có thẻ kiến thức hay điều luật nào để lập chỉ mục.")

    # ---- sparse
    t0 = time.perf_counter()
    import bm25s

    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    iterator = docs
    if progress:
        from tqdm import tqdm

        iterator = tqdm(docs, desc="BM25", unit="mục")
    corpus_tokens = [bm25_tokens(sparse_text(d)) for d in iterator]
    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    retriever.save(str(tmp / "bm25"), show_progress=False)
    t_sparse = time.perf_counter() - t0

    # ---- dense
    t0 = time.perf_counter()
    if embedder is None:
        from .embedding.model import Embedder

        embedder = Embedder(mid, data_dir=out.parent)
    texts: list[str] = []
    owner: list[int] = []
    for i, d in enumerate(docs):
        for t in _chunks(d, embedder.tokenizer):
            texts.append(t)
            owner.append(i)
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    cache: dict[str, np.ndarray] = {}
    if manifest_path.exists() and (out / "chunk_keys.json").exists():
        try:
            old = json.loads(manifest_path.read_text())
            if old.get("model_id") == mid and old.get("chunking") == [CHUNK_TOKENS, MAX_CHUNKS]:
                import faiss

                old_index = faiss.read_index(str(out / "dense.faiss"))
                old_vecs = old_index.reconstruct_n(0, old_index.ntotal)
                old_keys = json.loads((out / "chunk_keys.json").read_text())
                cache = dict(zip(old_keys, old_vecs, strict=False))
        except Exception:  # noqa: BLE001 - a broken cache only costs time
            cache = {}
    todo = [i for i, k in enumerate(keys) if k not in cache]
    vecs = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        if k in cache:
            vecs[i] = cache[k]
    if todo:
        # longest first keeps padding low and the progress bar honest
        order = sorted(todo, key=lambda i: -len(texts[i]))
        bs = 32
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(order), desc="Vector hóa", unit="đoạn")
        for s in range(0, len(order), bs):
            idx = order[s : s + bs]
            vecs[idx] = embedder.encode_passages([texts[i] for i in idx], batch_size=bs)
            if bar:
                bar.update(len(idx))
        if bar:
            bar.close()
    t_dense = time.perf_counter() - t0

    import faiss

    index = faiss.IndexFlatIP(embedder.dim)
    index.add(vecs)
    faiss.write_index(index, str(tmp / "dense.faiss"))
    np.save(tmp / "chunks.npy", np.asarray(owner, dtype=np.int32))
    (tmp / "chunk_keys.json").write_text(json.dumps(keys))
    with (tmp / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    manifest = {
        "format_version": FORMAT_VERSION,
        "content_hash": content_hash,
        "model_id": mid,
        "dim": embedder.dim,
        "chunking": [CHUNK_TOKENS, MAX_CHUNKS],
        "cards_dir": str(card_dir),
        "corpus": str(corpus_path) if corpus_path else None,
        "counts": {
            "docs": len(docs),
            "cards": stats["cards"],
            "articles": stats["articles"],
            "vectors": len(texts),
            "embedded": len(todo),
            "reused": len(texts) - len(todo),
        },
        "files": stats["files"],
        "seconds": {
            "sparse": round(t_sparse, 1),
            "dense": round(t_dense, 1),
            "total": round(time.perf_counter() - t_start, 1),
        },
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    old_dir = out.with_name(out.name + ".old")
    if out.exists():
        if old_dir.exists():
            shutil.rmtree(old_dir)
        out.rename(old_dir)
    tmp.rename(out)
    if old_dir.exists():
        shutil.rmtree(old_dir)
    c = manifest["counts"]
    msg = (
        f"Đã xây chỉ mục {out}: {c['cards']} thẻ, {c['articles']} điều luật, {c['vectors']} vector "
        f"({c['embedded']} mới, {c['reused']} dùng lại) trong {manifest['seconds']['total']} s"
    )
    return BuildResult(out, True, msg, manifest)
