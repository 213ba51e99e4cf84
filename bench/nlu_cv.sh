#!/usr/bin/env bash
# 5-fold cross-validation of the NLU pipeline, then intent macro-F1 overall and for
# messages with / without Vietnamese diacritics (bench/nlu_cv.py). Takes ~3–5 min on 2 cores.
#
#   bench/nlu_cv.sh [OUT_DIR]        (default /tmp/nlu_cv; run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-/tmp/nlu_cv}"
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false

start=$(date +%s)
.venv-bot/bin/rasa test nlu --cross-validation --folds 5 \
  --nlu "${NLU_DATA:-bot/data}" --config config.yml --successes --out "$OUT" > "$OUT.log" 2>&1
echo "cross-validation: $(( $(date +%s) - start )) s, log $OUT.log, predictions in $OUT/"
.venv-bot/bin/python bench/nlu_cv.py "$OUT" --markdown
