"""Case codes: the one definition of their format, shared by the api and the Rasa action server.

Pure and stdlib-only (plus ``knowledge.text.nfc``), so both environments import it.

* New codes: ``TGPL-<year>-<6 random characters>``, e.g. ``TGPL-2026-K7QM4X``. The characters come
  from ``ALPHABET`` (digits 2–9 and letters without I and O: nothing to confuse with 0/O or 1/I)
  and always include a letter, so a new code can never look like an old one. 32⁶ ≈ 10⁹ codes per
  year: a code cannot be guessed from the one before it.
* Old codes ``TGPL-<year>-<6+ digits>`` (``TGPL-2026-000042``, sequential) stay valid.

``parse_code`` reads what a person typed as a code ("tgpl 2026 k7qm4x", "TGPL-2026-42"),
``find_code`` finds a code inside a longer message.
"""

from __future__ import annotations

import re
import secrets

from knowledge.text import nfc

PREFIX = "TGPL"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LETTERS = frozenset(c for c in ALPHABET if c.isalpha())
RANDOM_LENGTH = 6
EXAMPLE = "TGPL-2026-K7QM4X"

_SEP = r"[\s\-_.]*"
_RANDOM = re.compile(rf"^[{ALPHABET}]{{{RANDOM_LENGTH}}}$")
_CANONICAL = re.compile(r"^TGPL-(\d{4})-(\d{6,}|[0-9A-Z]{6})$")
# In free text: "TGPL-2026-K7QM4X", "tgpl 2026 k7qm4x", "TGPL2026-42"; bare "2026-K7QM4X", "2026-42".
_IN_TEXT_RANDOM = re.compile(
    rf"(?<![0-9A-Za-z])TGPL{_SEP}(\d{{4}}){_SEP}([0-9A-Za-z]{{6}})(?![0-9A-Za-z])", re.I
)
_IN_TEXT_LEGACY = re.compile(rf"(?<![0-9A-Za-z])TGPL{_SEP}(\d{{4}}){_SEP}(\d{{1,6}})(?!\d)", re.I)
_BARE_RANDOM = re.compile(r"(?<![0-9A-Za-z])(20\d{2})[\-_.]([0-9A-Za-z]{6})(?![0-9A-Za-z])")
_BARE_LEGACY = re.compile(r"(?<![0-9A-Za-z])(20\d{2})[\-_.](\d{1,6})(?!\d)")
# What a code looks like in a message the assistant sends (both forms), for tests and tools.
CODE_PATTERN = re.compile(r"TGPL-\d{4}-(?:\d{6,}|[0-9A-Z]{6})")


def _is_random_part(part: str) -> bool:
    return bool(_RANDOM.match(part)) and any(c in LETTERS for c in part)


def new_code(year: int) -> str:
    """A fresh random code for *year* (cryptographic randomness; uniqueness is the caller's check)."""
    while True:
        part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        if _is_random_part(part):
            return f"{PREFIX}-{year}-{part}"


def legacy_code(year: int, sequence: int) -> str:
    """>>> legacy_code(2026, 42)
    'TGPL-2026-000042'
    """
    return f"{PREFIX}-{year}-{sequence:06d}"


def normalize_code(raw: str | None) -> str:
    """NFC, trimmed, upper case: the form codes are stored in."""
    return nfc(raw or "").strip().upper()


def is_valid_code(code: str) -> bool:
    """True for a code in its canonical form (new random or old sequential)."""
    match = _CANONICAL.match(code or "")
    if not match:
        return False
    part = match.group(2)
    return part.isdigit() or _is_random_part(part)


def _from_match(match: re.Match[str], *, legacy: bool) -> str | None:
    year, part = match.group(1), match.group(2).upper()
    if legacy:
        return legacy_code(int(year), int(part))
    return f"{PREFIX}-{year}-{part}" if _is_random_part(part) else None


def find_code(text: str | None) -> tuple[str | None, str]:
    """The case code in *text* in its canonical form, and the text without it.

    "tra cứu tgpl 2026 k7qm4x 5678" → ("TGPL-2026-K7QM4X", "tra cứu   5678");
    "TGPL 2026 42" → ("TGPL-2026-000042", " ").
    """
    text = nfc(text or "")
    for pattern, legacy in (
        (_IN_TEXT_RANDOM, False), (_IN_TEXT_LEGACY, True), (_BARE_RANDOM, False), (_BARE_LEGACY, True),
    ):
        for match in pattern.finditer(text):
            code = _from_match(match, legacy=legacy)
            if code is not None:
                return code, text[: match.start()] + " " + text[match.end():]
    return None, text


def parse_code(raw: str | None) -> str | None:
    """A code typed on its own ("tgpl-2026-k7qm4x", "TGPL 2026 42") in canonical form, or None."""
    text = normalize_code(raw)
    if is_valid_code(text):
        return text
    code, rest = find_code(text)
    return code if code is not None and not rest.strip() else None
