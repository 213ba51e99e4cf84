"""Pure normalisation of case input: dedup keys, the folded search text.

Phone numbers and case codes are defined once in `knowledge.vocabulary` (phones) and
`knowledge.case_code` (codes, re-exported by the vocabulary), shared with the action server;
they are re-exported here."""

from __future__ import annotations

import hashlib
import re

from knowledge.text import fold, nfc
from knowledge.vocabulary import (
    PhoneError,
    is_valid_code,
    legacy_code,
    local_phone,
    new_code,
    normalize_code,
    normalize_phone,
    parse_code,
    parse_phone,
)

__all__ = [
    "PhoneError", "dedup_key", "is_valid_code", "legacy_code", "local_phone", "new_code", "normalize_code",
    "normalize_description", "normalize_phone", "parse_code", "parse_phone", "search_text", "search_words",
]

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_description(text: str) -> str:
    """Folded, punctuation-free, single-spaced: two submissions of the same story compare equal."""
    return " ".join(_NON_WORD.sub(" ", fold(nfc(text))).split())


def dedup_key(phone: str, description: str) -> str:
    """sha256 of the normalised phone and description. Stores no name or number in clear."""
    return hashlib.sha256(f"{phone}|{normalize_description(description)}".encode()).hexdigest()


def search_text(*parts: str | None) -> str:
    """The text the `q` filter searches: folded words, each preceded by a space, so that
    "% lan%" finds the words starting with "lan" (code, commune, description)."""
    return " " + " ".join(normalize_description(p) for p in parts if p) + " "


def search_words(query: str) -> list[str]:
    """The words of a search query, folded like `search_text`."""
    return normalize_description(query).split()
