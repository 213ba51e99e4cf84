"""What the amendment registry changes: each entry, the corpus articles and the cards it touches.

    .venv/bin/python bench/legal_currency.py [--on 2026-12-02] [--out bench/results/legal_currency.md]

Reads ``knowledge/data/amendments.yml``, parses the corpus (``../shared/corpus/phapdien`` when
present) and loads the cards; for every registry entry it lists the articles of the corpus it
concerns (with their status on the date), the cards citing them, and the eligibility routes of
the rule engine it opens or closes. Nothing here is timed: it is a report, run again after each
change to the registry.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.cards import load_cards  # noqa: E402
from knowledge.currency import provision_of  # noqa: E402
from knowledge.ingest import parse_corpus  # noqa: E402
from knowledge.paths import default_corpus  # noqa: E402
from knowledge.rules.amendments import Amendment, AmendmentRegistry, default_registry  # noqa: E402
from knowledge.rules.eligibility import ROUTES, routes_on  # noqa: E402

CARDS = ROOT / "knowledge" / "cards"


def _concerns(amendment: Amendment, provision) -> bool:
    return amendment.target.contains(provision) or provision.contains(amendment.target)


def _route_changes(amendment: Amendment, registry: AmendmentRegistry) -> str:
    if amendment.target.document != "11/2017/QH14":
        return ""
    before = {r.id for r in routes_on(date.fromordinal(amendment.effective.toordinal() - 1), registry)}
    after = {r.id for r in routes_on(amendment.effective, registry)}
    opened = sorted(after - before)
    closed = sorted(before - after)
    parts = []
    if opened:
        parts.append("mở " + ", ".join(opened))
    if closed:
        parts.append("đóng " + ", ".join(closed))
    return "; ".join(parts)


def report(on: date) -> str:
    registry = default_registry()
    corpus = default_corpus()
    records = parse_corpus(corpus, progress=False)[0] if corpus else []
    cards = load_cards(CARDS)
    lines = [
        "# Sổ sửa đổi: văn bản và thẻ bị ảnh hưởng · Amendment registry report",
        "",
        f"Command: `.venv/bin/python bench/legal_currency.py --on {on.isoformat()}` "
        f"(registry `knowledge/data/amendments.yml`, {len(registry.amendments)} entries; "
        f"corpus: {'`' + str(corpus.relative_to(corpus.parents[2])) + '`' if corpus else 'absent'}, "
        f"{len(records)} articles; {len(cards)} cards). Status as of {on:%d/%m/%Y}.",
        "",
        "Eligibility routes of Điều 7 in force on that date: "
        + ", ".join(r.id for r in routes_on(on, registry))
        + f" (of {len(ROUTES)} known).",
        "",
    ]
    for amendment in registry.amendments:
        target = amendment.target
        where = " ".join(
            part for part in (
                f"điểm {target.point}" if target.point else "",
                f"khoản {target.clause}" if target.clause else "",
                f"Điều {target.article}" if target.article else "",
            ) if part
        )
        lines += [
            f"## `{amendment.id}`",
            "",
            f"- **{amendment.change.value}** from {amendment.effective:%d/%m/%Y}: "
            f"{where + ' ' if where else ''}{amendment.target_title or target.document} "
            f"({target.document}), by {amendment.by_label()}",
            f"- source: {amendment.source}",
        ]
        routes = _route_changes(amendment, registry)
        if routes:
            lines.append(f"- rule engine: {routes}")
        if target.document == "*":
            lines += ["- applies to wording across documents (no single article)", ""]
            continue
        articles = [r for r in records if _concerns(amendment, provision_of(
            {"document_number": r.document_number, "article": r.article}))]
        by_file: dict[str, list[str]] = defaultdict(list)
        for record in articles:
            by_file[record.source_file].append(record.article)
        if articles:
            lines.append(f"- corpus: {len(articles)} article(s)")
            for file, numbers in sorted(by_file.items()):
                shown = ", ".join(numbers[:12]) + (f", … (+{len(numbers) - 12})" if len(numbers) > 12 else "")
                sample = next(r for r in articles if r.source_file == file)
                status = registry.status(
                    provision_of({"document_number": sample.document_number, "article": sample.article}), on
                ).label() or "in force"
                lines.append(f"  - `{file}`: Điều {shown} — {status}")
        else:
            lines.append("- corpus: no article of this document (the change is recorded for the rule engine)")
        touched = []
        for card in cards:
            cited = [c for c in card.citations if _concerns(amendment, provision_of(c))]
            if cited:
                marks = ", ".join(
                    f"{c.document_number} Điều {c.article}" + (f" khoản {c.clause}" if c.clause else "")
                    + (f" (effective_to {c.effective_to})" if c.effective_to else "")
                    for c in cited
                )
                window = f"{card.applies_from or '…'}–{card.applies_to or '…'}"
                touched.append(f"  - `{card.id}` (applies {window}): {marks}")
        lines.append(f"- cards citing it: {len(touched)}" + ("" if touched else " (none)"))
        lines += touched
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", type=date.fromisoformat, default=date.today())
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "legal_currency.md")
    args = parser.parse_args()
    text = report(args.on)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
