"""Intent macro-F1 of a `rasa test nlu --cross-validation --successes` run, split by diacritics.

Rasa writes every test-fold prediction to intent_successes.json and intent_errors.json
under --out; this reads both and scores all examples, those typed with Vietnamese
diacritics and those typed without (knowledge.text.has_diacritics).

    PYTHONPATH=. .venv-bot/bin/python bench/nlu_cv.py /tmp/nlu_cv [--markdown]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from knowledge.text import has_diacritics


def load_predictions(out_dir: Path) -> list[dict]:
    """(text, gold intent, predicted intent) for every test-fold example."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out_dir / name
        if not path.exists():
            raise SystemExit(f"{path} missing: run rasa test nlu with --successes and --out")
        for item in json.loads(path.read_text(encoding="utf-8")):
            predicted = (item.get("intent_prediction") or {}).get("name") or "None"
            rows.append({"text": item["text"], "gold": item["intent"], "pred": predicted})
    return rows


def scores(rows: list[dict], labels: list[str]) -> dict:
    """Macro-F1 over the gold intents (a fallback prediction counts as a miss), accuracy."""
    gold = [r["gold"] for r in rows]
    pred = [r["pred"] for r in rows]
    return {
        "n": len(rows),
        "macro_f1": f1_score(gold, pred, labels=labels, average="macro", zero_division=0),
        "accuracy": accuracy_score(gold, pred),
        "fallback": sum(p == "nlu_fallback" for p in pred),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="the --out folder of the cross-validation run")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args()

    rows = load_predictions(args.out_dir)
    labels = sorted({r["gold"] for r in rows})
    subsets = {
        "all examples": rows,
        "with diacritics": [r for r in rows if has_diacritics(r["text"])],
        "without diacritics": [r for r in rows if not has_diacritics(r["text"])],
    }
    results = {name: scores(subset, labels) for name, subset in subsets.items()}

    if not args.markdown:
        print(json.dumps(results, indent=2))
        return
    print("| subset | examples | intent macro-F1 | accuracy | predicted nlu_fallback |")
    print("|---|---:|---:|---:|---:|")
    for name, s in results.items():
        print(f"| {name} | {s['n']} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | {s['fallback']} |")
    confusions = Counter((r["gold"], r["pred"]) for r in rows if r["gold"] != r["pred"])
    print("\n| gold intent | predicted | count |")
    print("|---|---|---:|")
    for (gold, pred), count in confusions.most_common(12):
        print(f"| {gold} | {pred} | {count} |")


if __name__ == "__main__":
    main()
