"""Sparse (BM25) side: tokens are folded syllables plus syllable bigrams.

Folding (``knowledge.text.normalize_for_search``) makes "hộ nghèo", "ho ngheo" and "hộ ngheo"
the same tokens and expands chat slang (tgpl → tro giup phap ly); bigrams ("ho_ngheo") reward
the Vietnamese multi-syllable words that single syllables cannot tell apart.
"""

from __future__ import annotations

import itertools

from .text import normalize_for_search

__all__ = ["bm25_tokens"]


def bm25_tokens(text: str, *, bigrams: bool = True) -> list[str]:
    syl = normalize_for_search(text).split()
    if not bigrams:
        return syl
    return syl + [f"{a}_{b}" for a, b in itertools.pairwise(syl)]
