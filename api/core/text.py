"""Text typed by a person, checked once at the edge of the api.

A JSON string may carry a lone UTF-16 surrogate (`"\\ud800"`): Python decodes it, but it cannot be
encoded as UTF-8, so it would fail later (sending it to Rasa, writing it to the database) as a
500. `clean_text` refuses it with a Vietnamese message (a 422 when raised inside a pydantic
validator) and NFC-normalises everything else. `UserText` is the same check as a pydantic type, for
every model field that holds what a citizen or an operator typed.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from knowledge.text import nfc

INVALID_CHARACTERS = (
    "Nội dung có ký tự không hợp lệ (lỗi mã hóa Unicode). Bạn hãy gõ lại hoặc dán lại nội dung rồi gửi lại."
)


def has_lone_surrogate(text: str) -> bool:
    """True when *text* holds a code point U+D800–U+DFFF, which UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_text(text: str) -> str:
    """NFC form of *text*; `ValueError` (Vietnamese message) on a lone surrogate."""
    if has_lone_surrogate(text):
        raise ValueError(INVALID_CHARACTERS)
    return nfc(text)


def _clean_if_text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


# A str field of a request model: lone surrogates refused (422), NFC-normalised; other checks
# (strip, length, emptiness) stay with the model.
UserText = Annotated[str, BeforeValidator(_clean_if_text)]
