"""District bodies in what the assistant says: find them, add the one-line note (pure functions).

Since 01/7/2025 local government has two tiers (34 provinces and cities; communes are xã, phường,
đặc khu): there is no district level any more. Statutes in the corpus still name district bodies
(Phòng Tư pháp huyện, Ủy ban nhân dân cấp huyện, Chi cục Thi hành án…) and district conditions
("huyện nghèo", "cơ sở y tế từ cấp huyện trở lên").

* :func:`district_bodies` — phrases that name a district *body* (a place to go or a decider):
  never allowed in an instruction to a citizen.
* :func:`district_mentions` — the bodies plus any other district wording ("cấp huyện", "huyện
  nghèo", "quận"): allowed in a quoted statute only with the note.
* :func:`district_note` — the one-line note to add after a text that mentions the district level
  ("" when there is nothing to note or the text already carries it).

Matching is done on folded text (knowledge.text.fold), so "Phong Tu phap huyen" typed without
diacritics is found too; a folded "huyen"/"quan" only counts when the original word is "huyện"/
"quận" (or the same word typed without any diacritic): "chị Huyền", "cơ quan", "quản lý" are not
districts.

>>> district_bodies("Bạn đến Phòng Tư pháp huyện để hỏi.")
['phòng tư pháp huyện']
>>> district_bodies("len ubnd huyen nop ho so")
['ubnd huyen']
>>> district_bodies("Hỏi Ủy ban nhân dân xã hoặc cơ quan quản lý.")
[]
>>> district_mentions("người cư trú ở huyện nghèo")
['huyện']
>>> district_note("Hồ sơ gửi Ủy ban nhân dân cấp huyện.") == DISTRICT_NOTE
True
>>> district_note("Hồ sơ gửi Ủy ban nhân dân cấp xã.")
''
>>> district_note("… huyện nghèo … " + DISTRICT_NOTE)
''
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold, nfc

__all__ = [
    "DISTRICT_NOTE",
    "NOTE_MARKER",
    "district_bodies",
    "district_mentions",
    "district_note",
    "has_district_note",
    "with_district_note",
]

# The convention: a text that quotes a district condition carries this phrase (folded comparison).
NOTE_MARKER = "Từ 01/7/2025 không còn cấp huyện"
DISTRICT_NOTE = (
    f"Lưu ý: {NOTE_MARKER} (chính quyền địa phương hai cấp: tỉnh, thành phố và xã, phường, đặc khu); "
    "việc văn bản giao cho cơ quan cấp huyện, bạn hãy hỏi Ủy ban nhân dân cấp xã hoặc Sở Tư pháp của tỉnh."
)

# Original spellings a folded district word may come from (NFC, lower case).
_DISTRICT_WORDS = {
    "huyen": ("huyện", "huyen"),
    "quan": ("quận", "quan"),
    "xa": ("xã", "xa"),
}
# A bare "quan" without diacritics is too common ("co quan"): it counts only in a body pattern.
_BARE_WORDS = {"huyen": ("huyện", "huyen"), "quan": ("quận",)}

_D = r"(?P<d>huyen|quan)"
_BODY_PATTERNS = tuple(
    re.compile(p)
    for p in (
        rf"\bphong tu phap (?:cap )?{_D}\b",
        r"\b(?:ubnd|uy ban nhan dan) (?:cap )?(?:(?P<d>huyen|quan)\b(?! ly\b)|thi (?P<d2>xa)\b)",
        r"\bchi cuc (?:thi hanh an|thads)\b",
        rf"\bchi nhanh\b[^.;:\n]{{0,60}}?\b{_D}\b(?! ly\b)",
        rf"\btoa an (?:nhan dan )?(?:cap )?{_D}\b(?! ly\b)",
        rf"\bphong lao dong\b[^.;:\n]{{0,60}}?\b{_D}\b(?! ly\b)",
        # the Phòng Tư pháp and the Phòng Lao động - Thương binh và Xã hội were district offices
        r"\bphong tu phap\b",
        r"\bphong lao dong\b(?: - | )?(?:thuong binh(?: va xa hoi)?)?",
        r"\bcap (?P<d>huyen)\b",
    )
)
_BARE_PATTERN = re.compile(r"\b(?P<d>huyen|quan)\b")
_CAP_HUYEN = _BODY_PATTERNS[-1]


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    phrase: str
    body: bool


def _word_ok(original: str, folded_word: str, table: dict[str, tuple[str, ...]]) -> bool:
    return original in table.get(folded_word, ())


def _scan(text: str) -> list[_Found]:
    base = nfc(text or "").lower()
    folded = fold(base)
    aligned = len(folded) == len(base)
    found: list[_Found] = []
    for pattern in _BODY_PATTERNS:
        for m in pattern.finditer(folded):
            group = "d2" if m.groupdict().get("d2") else "d"
            if m.groupdict().get(group) is not None and aligned:
                original = base[m.start(group) : m.end(group)]
                if not _word_ok(original, m.group(group), _DISTRICT_WORDS):
                    continue
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            phrase = base[m.start() : m.end()] if aligned else m.group(0)
            found.append(_Found(m.start(), m.end(), phrase, body=pattern is not _CAP_HUYEN))
    for m in _BARE_PATTERN.finditer(folded):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        original = base[m.start("d") : m.end("d")] if aligned else m.group("d")
        if aligned and not _word_ok(original, m.group("d"), _BARE_WORDS):
            continue
        if not aligned and m.group("d") == "quan":
            continue
        found.append(_Found(m.start(), m.end(), original, body=False))
    return sorted(found, key=lambda f: f.start)


def district_bodies(text: str) -> list[str]:
    """Phrases of *text* (lower case) naming a district body: the assistant must never send a
    citizen there.

    >>> district_bodies("Nộp tại Chi cục Thi hành án dân sự quận 3")
    ['chi cục thi hành án']
    >>> district_bodies("Chi nhánh của Trung tâm tại các huyện")
    ['chi nhánh của trung tâm tại các huyện']
    >>> district_bodies("toa an nhan dan huyen xu")
    ['toa an nhan dan huyen']
    >>> district_bodies("Phòng Lao động - Thương binh và Xã hội cấp huyện")
    ['phòng lao động - thương binh và xã hội cấp huyện']
    >>> district_bodies("Hỏi Phòng Tư pháp nơi bạn ở")
    ['phòng tư pháp']
    >>> district_bodies("Tòa án có thẩm quyền; chị Huyền; Ủy ban nhân dân quản lý; Sở Tư pháp")
    []
    """
    return [f.phrase for f in _scan(text) if f.body]


def district_mentions(text: str) -> list[str]:
    """Every district wording in *text*: bodies, "cấp huyện", a bare "huyện" or "quận".

    >>> district_mentions("xác nhận của cơ sở y tế từ cấp huyện trở lên")
    ['cấp huyện']
    >>> district_mentions("xã đảo, huyện đảo; quận 1")
    ['huyện', 'quận']
    >>> district_mentions("cơ quan thi hành án dân sự; Huyen (tên người) không dấu")
    ['huyen']
    """
    return [f.phrase for f in _scan(text)]


def has_district_note(text: str) -> bool:
    """True when *text* carries the convention phrase "Từ 01/7/2025 không còn cấp huyện".

    >>> has_district_note("… Tu 01/7/2025 khong con cap huyen …")
    True
    """
    return fold(NOTE_MARKER) in fold(text or "")


def district_note(text: str, note: str = DISTRICT_NOTE) -> str:
    """The one-line note to print after *text* when it mentions the district level, else "".

    Meant for a quoted statute article (excerpt + "Căn cứ") that names a district body or a
    district condition; a text that already has the note gets nothing more.
    """
    if not text or has_district_note(text) or not district_mentions(text):
        return ""
    return note


def with_district_note(text: str, note: str = DISTRICT_NOTE) -> str:
    """*text* followed on its own line by the note when :func:`district_note` gives one.

    >>> with_district_note("Điều 5. Phòng Tư pháp huyện giúp Ủy ban nhân dân huyện …").splitlines()[1][:40]
    'Lưu ý: Từ 01/7/2025 không còn cấp huyện '
    >>> with_district_note("Điều 5. Ủy ban nhân dân cấp xã …")
    'Điều 5. Ủy ban nhân dân cấp xã …'
    """
    extra = district_note(text, note)
    return f"{text}\n{extra}" if extra else text
