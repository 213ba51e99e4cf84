"""Retrieval benchmark: BM25-only vs dense-only vs hybrid, overall and without diacritics.

    .venv/bin/python bench/retrieval.py [--data bench/data/retrieval_dev.yml] [--tune] [--calibrate]

Prints recall@1/3/5, MRR and p50/p95 query latency (ms, index in memory) and saves
``bench/results/retrieval.json`` + ``bench/results/retrieval.md``.  ``--tune`` grid-searches the
fusion weight and card boost; ``--calibrate`` fits the confidence thresholds of
``knowledge.answer`` on the dev set plus built-in out-of-scope questions (weather, football...).

An item is found at rank r when the r-th hit is one of its ``expected`` card ids, or a statute
article whose ``<document number>:<article>`` is in ``expected_articles``.  The
``statute_articles`` rows rank statute articles only (``sources=("statute",)``) for the items
that carry ``expected_articles``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.text import has_diacritics  # noqa: E402

DEV = ROOT / "bench" / "data" / "retrieval_dev.yml"
FALLBACK = ROOT / "tests" / "knowledge" / "data" / "check_set.yml"
RESULTS = ROOT / "bench" / "results"
MODES = ("sparse", "dense", "hybrid")
LABEL = {"sparse": "BM25", "dense": "dense", "hybrid": "hybrid"}

OUT_OF_SCOPE = [
    "thời tiết hà nội hôm nay thế nào",
    "mai troi co mua khong",
    "doi tuyen viet nam da voi thai lan luc may gio",
    "ket qua bong da ngoai hang anh toi qua",
    "Messi hay Ronaldo giỏi hơn?",
    "cach nau pho bo ngon",
    "gia vang hom nay bao nhieu",
    "iphone 16 gia bao nhieu",
    "hom nay xo so mien bac ve so may",
    "bai hat nao dang hot nhat",
    "cach giam can nhanh trong 1 tuan",
    "lich chieu phim rap cgv",
    "ty gia do la my hom nay",
    "Tôi muốn đặt vé máy bay đi Đà Nẵng",
    "cong thuc lam banh flan",
    "chao ban, ban ten gi",
    "ok cam on",
    "hello",
    "may tinh cua toi bi cham phai lam sao",
    "dia chi quan an ngon o sai gon",
]


def load_items(path: Path) -> list[dict]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(items, dict):
        items = items.get("items") or items.get("questions") or []
    out = []
    for it in items:
        q = str(it.get("q") or it.get("question") or "").strip()
        if not q:
            continue
        out.append(
            {
                "q": q,
                "expected": [str(x) for x in (it.get("expected") or [])],
                "expected_articles": [str(x) for x in (it.get("expected_articles") or [])],
                "on_date": it.get("on_date") or it.get("date"),
            }
        )
    return out


def rank_of(hit_ids: list[str], keys: list[str | None], sources: list[str], item: dict) -> int | None:
    exp, arts = set(item["expected"]), set(item["expected_articles"])
    for r, (hid, key, src) in enumerate(zip(hit_ids, keys, sources, strict=True), 1):
        if hid in exp or (src == "statute" and key in arts):
            return r
    return None


def metrics(ranks: list[int | None]) -> dict:
    n = len(ranks) or 1
    return {
        "n": len(ranks),
        "recall@1": sum(1 for r in ranks if r and r <= 1) / n,
        "recall@3": sum(1 for r in ranks if r and r <= 3) / n,
        "recall@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(values, p)) if values else float("nan")


def evaluate(index, items, default_date: date, k: int = 5) -> tuple[dict, dict]:
    """Run the three modes through the public search(); returns metrics and raw per-item data."""
    for q in ("warm up", "tro giup phap ly", "hòa giải"):
        for mode in MODES:
            index.search(q, k=k, mode=mode)
    ranks = {m: [] for m in MODES}
    lat = {m: [] for m in MODES}
    tops = []
    for it in items:
        on = date.fromisoformat(str(it["on_date"])) if it["on_date"] else default_date
        for mode in MODES:
            t0 = time.perf_counter()
            hits = index.search(it["q"], k=k, on_date=on, mode=mode)
            lat[mode].append((time.perf_counter() - t0) * 1000)
            r = rank_of(
                [h.id for h in hits], [h.extra.get("key") for h in hits], [h.source for h in hits], it
            )
            ranks[mode].append(r)
            if mode == "hybrid":
                tops.append((it, hits, r))
    nod = [i for i, it in enumerate(items) if not has_diacritics(it["q"])]
    art_items = [it for it in items if it["expected_articles"]]
    result = {}
    for mode in MODES:
        result[mode] = {
            "overall": metrics(ranks[mode]),
            "no_diacritics": metrics([ranks[mode][i] for i in nod]),
            "latency_ms": {"p50": percentile(lat[mode], 50), "p95": percentile(lat[mode], 95)},
        }
        # statute level: items with expected_articles, ranking statute articles only
        art_ranks = []
        for it in art_items:
            on = date.fromisoformat(str(it["on_date"])) if it["on_date"] else default_date
            hits = index.search(it["q"], k=k, on_date=on, mode=mode, sources=("statute",))
            art_ranks.append(
                rank_of(
                    [h.id for h in hits],
                    [h.extra.get("key") for h in hits],
                    [h.source for h in hits],
                    {"expected": [], "expected_articles": it["expected_articles"]},
                )
            )
        result[mode]["statute_articles"] = metrics(art_ranks)
    return result, {"ranks": ranks, "tops": tops}


def tune(index, items, default_date: date) -> dict:
    """Grid search of sparse weight × card boost on cached per-query scores (by MRR, then recall@3)."""
    from knowledge.search import fuse_scores

    cache = []
    for it in items:
        on = date.fromisoformat(str(it["on_date"])) if it["on_date"] else default_date
        sparse, dense = index.sparse_scores(it["q"]), index.dense_scores(it["q"])
        cache.append((it, sparse, dense, index.allowed(on, it["q"])))
    keys = [d.get("key") for d in index.docs]
    ids = [d["id"] for d in index.docs]
    srcs = [d["source"] for d in index.docs]
    grid = []
    for w, boost in itertools.product(
        np.round(np.arange(0.2, 0.81, 0.05), 2), (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
    ):
        ranks = []
        for it, s, d, allowed in cache:
            pool, fused = fuse_scores(s, d, index.is_card, allowed, float(w), boost)
            order = pool[np.argsort(-fused[pool], kind="stable")][:5]
            ranks.append(
                rank_of([ids[i] for i in order], [keys[i] for i in order], [srcs[i] for i in order], it)
            )
        m = metrics(ranks)
        grid.append({"sparse_weight": float(w), "card_boost": boost, **m})
    grid.sort(key=lambda g: (-g["recall@3"], -g["mrr"], abs(g["sparse_weight"] - 0.5), g["card_boost"]))
    return {"best": grid[0], "top10": grid[:10]}


def calibrate(index, items, default_date: date) -> dict:
    """Fit MIN_SCORE / MIN_DENSE / MIN_MARGIN of knowledge.answer: confident only when the top hit
    is right; out-of-scope questions count as "top hit wrong"."""
    from knowledge.answer import evidence

    rows = []  # (evidence, dense, margin, correct)
    for it in items + [
        {"q": q, "expected": [], "expected_articles": [], "on_date": None} for q in OUT_OF_SCOPE
    ]:
        on = date.fromisoformat(str(it["on_date"])) if it["on_date"] else default_date
        hits = index.search(it["q"], k=5, on_date=on)
        if not hits:
            rows.append((0.0, 0.0, 0.0, False, it["q"]))
            continue
        r = rank_of([hits[0].id], [hits[0].extra.get("key")], [hits[0].source], it)
        margin = hits[0].score - hits[1].score if len(hits) > 1 else hits[0].score
        rows.append((evidence(hits[0]), hits[0].dense_score, margin, r == 1, it["q"]))
    arr = np.array([r[:3] for r in rows], dtype=np.float64)
    ok = np.array([r[3] for r in rows])
    oos = np.array([i >= len(items) for i in range(len(rows))])
    best = None
    for ts in np.round(np.arange(0.3, 1.01, 0.02), 2):
        for td in np.round(np.arange(0.70, 0.90, 0.005), 3):
            for tm in (0.0, 0.02, 0.05, 0.1):
                conf = (arr[:, 0] >= ts) & (arr[:, 1] >= td) & (arr[:, 2] >= tm)
                if (conf & oos).any():
                    continue  # never confident on out-of-scope questions
                tp = int((conf & ok).sum())
                fp = int((conf & ~ok).sum())
                utility = tp - 2 * fp
                key = (utility, -ts, -td)
                if best is None or key > best[0]:
                    best = (
                        key,
                        {
                            "MIN_SCORE": float(ts),
                            "MIN_DENSE": float(td),
                            "MIN_MARGIN": float(tm),
                            "confident_correct": tp,
                            "confident_wrong": fp,
                            "in_scope_top1_correct": int(ok[~oos].sum()),
                            "in_scope": int((~oos).sum()),
                            "out_of_scope": int(oos.sum()),
                        },
                    )
    return best[1] if best else {}


def markdown(report: dict) -> str:
    lines = [
        f"# Retrieval benchmark — {report['date']}",
        "",
        f"Data: `{report['data']}` ({report['n']} questions, "
        f"{report['n_no_diacritics']} without diacritics). "
        f"Index: {report['index']['counts']} (model `{report['index']['model_id']}`). "
        f"Fusion: sparse weight {report['fusion']['sparse_weight']}, "
        f"card boost {report['fusion']['card_boost']}, link weight {report['fusion']['link_weight']}.",
        "",
        "| method | subset | n | R@1 | R@3 | R@5 | MRR | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for mode in MODES:
        r = report["results"][mode]
        for subset in ("overall", "no_diacritics", "statute_articles"):
            m = r[subset]
            lat = r["latency_ms"]
            lines.append(
                f"| {LABEL[mode]} | {subset} | {m['n']} | {m['recall@1']:.3f} | {m['recall@3']:.3f} | "
                f"{m['recall@5']:.3f} | {m['mrr']:.3f} | {lat['p50']:.1f} | {lat['p95']:.1f} |"
            )
    if report.get("calibration"):
        lines += ["", "Confidence calibration (knowledge.answer): " + json.dumps(report["calibration"])]
    if report.get("misses"):
        lines += ["", "Hybrid misses at @3:", ""]
        lines += [
            f"- `{m['q']}` → expected {m['expected'] or m['expected_articles']}, got {m['got']}"
            for m in report["misses"]
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--data-dir", type=Path, help="knowledge data dir (default $KNOWLEDGE_DATA_DIR)")
    ap.add_argument("--date", help="on_date for the questions (default today)")
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--name", default="retrieval", help="results file stem under bench/results/")
    args = ap.parse_args(argv)

    data = args.data or (DEV if DEV.exists() else FALLBACK)
    items = load_items(data)
    if not items:
        print(f"Không có câu hỏi trong {data}", file=sys.stderr)
        return 2
    default_date = date.fromisoformat(args.date) if args.date else date.today()

    from knowledge.search import KnowledgeIndex

    t0 = time.perf_counter()
    index = KnowledgeIndex.load(args.data_dir)
    load_s = time.perf_counter() - t0

    tuned = None
    if args.tune:
        tuned = tune(index, items, default_date)
        print("Fusion grid (best first):")
        for g in tuned["top10"]:
            print(
                f"  w={g['sparse_weight']:.2f} boost={g['card_boost']:.2f}  R@1={g['recall@1']:.3f} "
                f"R@3={g['recall@3']:.3f} R@5={g['recall@5']:.3f} MRR={g['mrr']:.3f}"
            )

    results, raw = evaluate(index, items, default_date)
    misses = []
    for it, hits, r in raw["tops"]:
        if not r or r > 3:
            misses.append(
                {
                    "q": it["q"],
                    "expected": it["expected"],
                    "expected_articles": it["expected_articles"],
                    "got": [h.id for h in hits[:3]],
                }
            )
    cal = calibrate(index, items, default_date) if args.calibrate else None
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "data": str(data.relative_to(ROOT) if data.is_relative_to(ROOT) else data),
        "n": len(items),
        "n_no_diacritics": sum(1 for it in items if not has_diacritics(it["q"])),
        "on_date": default_date.isoformat(),
        "index": {
            "path": str(index.path),
            "model_id": index.manifest.get("model_id"),
            "counts": index.manifest.get("counts"),
            "build_seconds": index.manifest.get("seconds"),
            "load_seconds": round(load_s, 1),
        },
        "fusion": {
            "sparse_weight": index.sparse_weight,
            "card_boost": index.card_boost,
            "link_weight": index.link_weight,
        },
        "results": results,
        "tuning": tuned,
        "calibration": cal,
        "misses": misses,
    }
    hdr = f"{'method':<8} {'subset':<14} {'n':>4} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6}"
    hdr += f" {'p50ms':>7} {'p95ms':>7}"
    print(hdr)
    for mode in MODES:
        r = results[mode]
        for subset in ("overall", "no_diacritics", "statute_articles"):
            m = r[subset]
            print(
                f"{LABEL[mode]:<8} {subset:<14} {m['n']:>4} {m['recall@1']:>6.3f} {m['recall@3']:>6.3f} "
                f"{m['recall@5']:>6.3f} {m['mrr']:>6.3f} "
                f"{r['latency_ms']['p50']:>7.1f} {r['latency_ms']['p95']:>7.1f}"
            )
    if cal:
        print("Calibration:", json.dumps(cal))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (RESULTS / f"{args.name}.md").write_text(markdown(report), encoding="utf-8")
    print(f"→ {RESULTS / (args.name + '.json')}, {RESULTS / (args.name + '.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
