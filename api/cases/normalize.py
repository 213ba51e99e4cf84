"""Pure normalisation of case input: phone numbers, dedup keys, the folded search text.

Case codes (format, generation, parsing) live in `knowledge.case_code`, shared with the action
server; they are re-exported here."""

from __future__ import annotations

import hashlib
import re

from knowledge.case_code import is_valid_code, legacy_code, new_code, normalize_code, parse_code
from knowledge.text import fold, nfc

__all__ = [
    "PhoneError", "dedup_key", "is_valid_code", "legacy_code", "local_phone", "new_code", "normalize_code",
    "normalize_description", "normalize_phone", "parse_code", "search_text", "search_words",
]

_PHONE_JUNK = re.compile(r"[\s.\-()/]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


class PhoneError(ValueError):
    pass


def normalize_phone(raw: str) -> str:
    """A Vietnamese phone number in +84 form: "0912 345 678" → "+84912345678".

    Accepts 0…, 84…, +84…, 0084… with spaces, dots, dashes or brackets. Mobile numbers have
    9 digits after the country code, landlines (02x…) 10.
    """
    text = _PHONE_JUNK.sub("", nfc(raw or "").strip())
    if text.startswith("+84"):
        national = text[3:]
    elif text.startswith("0084"):
        national = text[4:]
    elif text.startswith("84") and len(text) in (11, 12):
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    else:
        raise PhoneError("Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678.")
    national = national.removeprefix("0")  # "+84 0912…" is a common way to write it
    if not national.isdigit() or len(national) not in (9, 10) or national[0] == "0":
        raise PhoneError("Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678.")
    return f"+84{national}"


def local_phone(phone: str) -> str:
    """"+84912345678" → "0912345678", the form people read."""
    return "0" + phone[3:] if phone.startswith("+84") else phone


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
