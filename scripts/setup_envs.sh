#!/usr/bin/env bash
# Create both virtual environments from the lock files. Idempotent: an environment whose
# lock file has not changed since it was installed is left as it is.
#   .venv-bot  Python 3.10: Rasa 3.6.21, rasa-sdk, underthesea (never torch here)
#   .venv      Python 3.11: FastAPI api, torch CPU, sentence-transformers, faiss, bm25s
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

find_python() {  # $1 = minor version, e.g. 3.10
  local want="$1" candidate
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  for candidate in "${PYTHON:-}" "$pyenv_root"/versions/"$want".*/bin/python"$want" "$(command -v "python$want" || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Không tìm thấy Python $want / Python $want not found (install it, e.g. 'pyenv install $want')." >&2
  return 1
}

lock_hash() { sha256sum "$1" | cut -c1-16; }

make_env() {  # $1 = venv dir, $2 = python version, $3 = lock file, $4... = packages installed first
  local venv="$1" version="$2" lock="$3"; shift 3
  local stamp="$venv/.installed-$(lock_hash "$lock")"
  if [ -f "$stamp" ]; then
    echo "✓ $venv đã sẵn sàng / is up to date"
    return 0
  fi
  echo "→ Đang tạo môi trường $venv (Python $version) từ $lock — có thể mất vài phút / creating..."
  [ -x "$venv/bin/python" ] || "$(PYTHON="" find_python "$version")" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  if [ $# -gt 0 ]; then "$venv/bin/python" -m pip install --progress-bar on "$@"; fi
  "$venv/bin/python" -m pip install --progress-bar on -r "$lock"
  rm -f "$venv"/.installed-*
  touch "$stamp"
  echo "✓ $venv xong / done"
}

make_env .venv-bot 3.10 requirements/bot.lock
# torch first: on this machine kind pip takes the CPU build from the local wheel folder.
make_env .venv 3.11 requirements/api.lock "torch==2.13.0"
