"""Default locations (no heavy imports)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CARDS_DIR = Path(__file__).resolve().parent / "cards"


def data_dir() -> Path:
    """``$KNOWLEDGE_DATA_DIR`` or ``<repo>/data/knowledge``."""
    env = os.environ.get("KNOWLEDGE_DATA_DIR")
    return Path(env) if env else REPO_ROOT / "data" / "knowledge"


def default_corpus() -> Path | None:
    """``$KNOWLEDGE_CORPUS`` if set (empty string = no corpus), else ``<repo>/../shared/corpus/phapdien``
    if it exists, else ``None`` (the cards alone are indexed)."""
    env = os.environ.get("KNOWLEDGE_CORPUS")
    if env is not None:
        return Path(env) if env.strip() else None
    candidate = REPO_ROOT.parent / "shared" / "corpus" / "phapdien"
    return candidate if candidate.is_dir() else None


def models_dir() -> Path:
    return data_dir() / "models"
