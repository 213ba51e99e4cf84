"""Vietnamese text normalisation shared by the bot, the index and the api.

Pure functions, no heavy imports: this module is loaded in both virtual environments
(the Rasa one on Python 3.10 and the api one on Python 3.11).

Pipeline: NFC → lower-case → diacritic folding (đ→d) → chat-slang / abbreviation expansion.

>>> fold("Hòa giải ở cơ sở")
'hoa giai o co so'
>>> expand_abbreviations("nha toi ho ngheo co dc tgpl ko")
'nha toi ho ngheo co duoc tro giup phap ly khong'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ABBREVIATIONS",
    "expand_abbreviations",
    "fold",
    "fold_char_map",
    "has_diacritics",
    "nfc",
    "normalize_for_search",
    "normalize_tone_placement",
    "syllables",
]

# Tone placement as underthesea writes it: "hoà" → "hòa", "thuý" → "thúy".
_TONE_PLACEMENT = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}

# Written by hand from what citizens type on phones; keys are already folded and lower-case.
# Values are folded too, so expansion works on the folded text used for matching.
ABBREVIATIONS: dict[str, str] = {
    # negation, "được", question words
    "ko": "khong", "k": "khong", "kg": "khong", "hok": "khong", "hk": "khong", "khg": "khong",
    "k0": "khong", "hem": "khong", "dc": "duoc", "dk": "duoc", "j": "gi", "z": "vay", "v": "vay",
    "ntn": "nhu the nao", "sao": "sao",
    # pronouns and chat words
    "mik": "minh", "mk": "minh", "t": "toi", "e": "em", "a": "anh", "c": "chi", "ad": "admin",
    "vs": "voi", "ns": "noi", "bt": "biet", "r": "roi", "lm": "lam", "wa": "qua", "ng": "nguoi",
    "nhg": "nhung", "cx": "cung", "cg": "cung", "trc": "truoc", "ok": "dong y", "oke": "dong y",
    # family and work ("ck" chồng, "vk" vợ, "gđ" gia đình)
    "ck": "chong", "vk": "vo", "bme": "bo me", "gd": "gia dinh", "cty": "cong ty", "ae": "anh em",
    # phone, places
    "sdt": "so dien thoai", "dt": "dien thoai", "tp": "thanh pho", "hcm": "ho chi minh",
    "hn": "ha noi",
    # legal and administrative abbreviations
    "tgpl": "tro giup phap ly", "tg pl": "tro giup phap ly", "ttgpl": "trung tam tro giup phap ly",
    "thads": "thi hanh an dan su", "ubnd": "uy ban nhan dan", "hgcs": "hoa giai o co so",
    "hdnd": "hoi dong nhan dan", "cccd": "can cuoc cong dan", "cmnd": "chung minh nhan dan",
    "bhyt": "bao hiem y te", "bhxh": "bao hiem xa hoi", "xh": "xa hoi", "gcn": "giay chung nhan",
    "qsdd": "quyen su dung dat", "dtts": "dan toc thieu so", "nkt": "nguoi khuyet tat",
    "nct": "nguoi cao tuoi", "ls": "luat su", "tvpl": "tu van phap luat", "ntm": "nong thon moi",
}
_MULTIWORD = sorted((k for k in ABBREVIATIONS if " " in k), key=len, reverse=True)
# Abbreviations people also type with "đ".
_ABBREVIATIONS_WITH_D = {"dc", "dk", "dt", "sdt"}

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    """Unicode NFC, the form every entry point stores and compares."""
    return unicodedata.normalize("NFC", text)


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn") or char


def fold(text: str) -> str:
    """Lower-case and remove Vietnamese diacritics; đ→d. Keeps the length of an NFC text.

    >>> fold("ĐƯỢC trợ giúp")
    'duoc tro giup'
    """
    return "".join(_fold_char(c) for c in nfc(text).lower())


def fold_char_map(text: str) -> str:
    """Fold *text* character by character, keeping exactly one output char per input char.

    Used to map offsets of tokens that underthesea rewrote back onto the original text:
    combining marks (NFD input) fold to the empty mark position and are replaced by a
    placeholder so indices stay aligned.
    """
    out = []
    for c in text:
        if unicodedata.category(c) == "Mn":
            out.append("\u0000")
        else:
            folded = _fold_char(c.lower())
            out.append(folded[0] if folded else c)
    return "".join(out)


def has_diacritics(text: str) -> bool:
    """True when *text* carries any Vietnamese diacritic (tone mark, hat, horn or đ)."""
    text = nfc(text).lower()
    return fold(text) != text


def syllables(text: str) -> list[str]:
    """Folded, lower-case word pieces of *text* (no punctuation)."""
    return _WORD.findall(fold(text))


def expand_abbreviations(text: str) -> str:
    """Fold *text* and expand chat slang and abbreviations: "dc" → "duoc", "tgpl" → "tro giup phap ly".

    Only words typed without diacritics are expanded (and "đc", "đt"...): "ạ" stays a particle,
    it does not become "anh" as the bare "a" would.
    """
    words = []
    for word in _WORD.findall(nfc(text).lower()):
        folded = fold(word)
        typed_plain = folded == word or folded in _ABBREVIATIONS_WITH_D
        words.append(ABBREVIATIONS.get(folded, folded) if typed_plain else folded)
    joined = f" {' '.join(words)} "
    for key in _MULTIWORD:
        joined = joined.replace(f" {key} ", f" {ABBREVIATIONS[key]} ")
    return joined.strip()


def normalize_for_search(text: str) -> str:
    """The form used for sparse matching: NFC, folded, slang expanded, single spaces."""
    return _SPACES.sub(" ", expand_abbreviations(text)).strip()


def normalize_tone_placement(text: str) -> str:
    """NFC, then the tone placement underthesea uses: "Hoà giải" → "Hòa giải"."""
    text = nfc(text)
    for src, dst in _TONE_PLACEMENT.items():
        text = text.replace(src, dst).replace(src.capitalize(), dst.capitalize())
    return text
