#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed since the last training (content hash of
# bot/, config.yml, domain.yml and the shared text normalisation the tokenizer uses).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
inputs_hash() {
  find bot config.yml domain.yml knowledge/text.py -type f \
    -not -path '*/__pycache__/*' -not -name '*.pyc' -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum | sha256sum | cut -c1-32
}
hash="$(inputs_hash)"
mkdir -p "$MODEL_DIR"
if [ -f "$MODEL_DIR/assistant.tar.gz" ] && [ "$(cat "$MODEL_DIR/.inputs-hash" 2>/dev/null)" = "$hash" ]; then
  echo "✓ Mô hình Rasa đã khớp dữ liệu huấn luyện / model is up to date"
  exit 0
fi
echo "→ Đang huấn luyện mô hình Rasa (vài phút) / training the Rasa model..."
start=$(date +%s)
.venv-bot/bin/rasa train --domain domain.yml --data bot/data --config config.yml \
  --out "$MODEL_DIR" --fixed-model-name assistant
echo "$hash" > "$MODEL_DIR/.inputs-hash"
echo "✓ Huấn luyện xong sau $(( $(date +%s) - start )) giây / trained"
