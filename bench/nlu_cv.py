"""Intent macro-F1 of a `rasa test nlu --cross-validation --successes` run, split by diacritics.

Rasa writes every test-fold prediction to intent_successes.json and intent_errors.json
under --out; this reads both and scores all examples, those typed with Vietnamese
diacritics and those typed without (knowledge.text.has_diacritics).

`rasa test nlu` undoes FallbackClassifier predictions before scoring; --fallback-threshold T
counts a prediction whose confidence is below T as nlu_fallback (a miss) again, which shows
what the threshold costs. (The ambiguity_threshold cannot be replayed: Rasa does not write
the ranking.)

    PYTHONPATH=. .venv-bot/bin/python bench/nlu_cv.py /tmp/nlu_cv [--markdown] [--fallback-threshold 0.5]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import yaml
from sklearn.metrics import accuracy_score, f1_score

from knowledge.text import has_diacritics


def load_predictions(out_dir: Path, fallback_threshold: float = 0.0) -> list[dict]:
    """(text, gold intent, predicted intent) for every test-fold example."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out_dir / name
        if not path.exists():
            raise SystemExit(f"{path} missing: run rasa test nlu with --successes and --out")
        for item in json.loads(path.read_text(encoding="utf-8")):
            prediction = item.get("intent_prediction") or {}
            predicted = prediction.get("name") or "None"
            if (prediction.get("confidence") or 0.0) < fallback_threshold:
                predicted = "nlu_fallback"
            rows.append({"text": item["text"], "gold": item["intent"], "pred": predicted})
    return rows


def intent_actions(rules_file: Path) -> dict[str, str]:
    """intent → the action its rule runs (five intents share action_answer_from_knowledge)."""
    rules = yaml.safe_load(rules_file.read_text(encoding="utf-8"))["rules"]
    mapping = {}
    for rule in rules:
        steps = rule["steps"]
        if len(steps) >= 2 and "intent" in steps[0] and "action" in steps[1]:
            mapping[steps[0]["intent"]] = steps[1]["action"]
    return mapping


def scores(rows: list[dict], labels: list[str], actions: dict[str, str]) -> dict:
    """Macro-F1 over the gold intents (a fallback prediction counts as a miss), accuracy,
    and how often the predicted intent leads to the same bot action as the gold one."""
    gold = [r["gold"] for r in rows]
    pred = [r["pred"] for r in rows]
    same_action = sum(actions.get(g, g) == actions.get(p, p) for g, p in zip(gold, pred, strict=True))
    return {
        "n": len(rows),
        "macro_f1": f1_score(gold, pred, labels=labels, average="macro", zero_division=0),
        "accuracy": accuracy_score(gold, pred),
        "action_accuracy": same_action / len(rows) if rows else 0.0,
        "fallback": sum(p == "nlu_fallback" for p in pred),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="the --out folder of the cross-validation run")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument(
        "--fallback-threshold", type=float, default=0.0, help="count confidences below this as nlu_fallback"
    )
    parser.add_argument("--rules", type=Path, default=Path("bot/data/rules.yml"), help="intent → action")
    args = parser.parse_args()

    rows = load_predictions(args.out_dir, args.fallback_threshold)
    labels = sorted({r["gold"] for r in rows})
    subsets = {
        "all examples": rows,
        "with diacritics": [r for r in rows if has_diacritics(r["text"])],
        "without diacritics": [r for r in rows if not has_diacritics(r["text"])],
    }
    actions = intent_actions(args.rules)
    results = {name: scores(subset, labels, actions) for name, subset in subsets.items()}

    if not args.markdown:
        print(json.dumps(results, indent=2))
        return
    print("| subset | examples | intent macro-F1 | accuracy | same bot action | nlu_fallback |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, s in results.items():
        print(
            f"| {name} | {s['n']} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} "
            f"| {s['action_accuracy']:.3f} | {s['fallback']} |"
        )
    confusions = Counter((r["gold"], r["pred"]) for r in rows if r["gold"] != r["pred"])
    print("\n| gold intent | predicted | count |")
    print("|---|---|---:|")
    for (gold, pred), count in confusions.most_common(12):
        print(f"| {gold} | {pred} | {count} |")


if __name__ == "__main__":
    main()
