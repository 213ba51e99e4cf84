"""Pure matchers for what a citizen types in the intake form: the province and the phone number.

Standard library and knowledge.text only, so the bot (Python 3.10) can use them. The api keeps its
own copy in api.cases.provinces / api.cases.normalize, which remains the system of record; this
module only decides whether to re-ask before the request is sent.

>>> match_province("tp hcm"), match_province("sai gon"), match_province("o lao cai a")
('Thành phố Hồ Chí Minh', 'Thành phố Hồ Chí Minh', 'Lào Cai')
>>> match_province("Atlantis") is None
True
>>> normalize_phone("0912.345.678"), normalize_phone("+84 912 345 678"), normalize_phone("84912345678")
('0912345678', '0912345678', '0912345678')
>>> normalize_phone("12345") is None
True
>>> mask_phone("0912345678")
'09******78'
"""

from __future__ import annotations

import re

from knowledge.text import fold, nfc

__all__ = ["PROVINCE_NAMES", "mask_phone", "match_province", "normalize_phone"]

# The 34 province-level units from 1 July 2025 (Nghị quyết 202/2025/QH15), with short names and the
# provinces merged into each. Same list as api.cases.provinces.
_PROVINCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Hà Nội", ("hn", "ha noi", "hanoi", "thu do")),
    ("Huế", ("thua thien hue", "tt hue")),
    ("Lai Châu", ()),
    ("Điện Biên", ()),
    ("Sơn La", ()),
    ("Lạng Sơn", ()),
    ("Quảng Ninh", ()),
    ("Thanh Hóa", ()),
    ("Nghệ An", ()),
    ("Hà Tĩnh", ()),
    ("Cao Bằng", ()),
    ("Tuyên Quang", ("Hà Giang",)),
    ("Lào Cai", ("Yên Bái",)),
    ("Thái Nguyên", ("Bắc Kạn", "Bắc Cạn")),
    ("Phú Thọ", ("Vĩnh Phúc", "Hòa Bình")),
    ("Bắc Ninh", ("Bắc Giang",)),
    ("Hưng Yên", ("Thái Bình",)),
    ("Hải Phòng", ("Hải Dương", "hp")),
    ("Ninh Bình", ("Hà Nam", "Nam Định")),
    ("Quảng Trị", ("Quảng Bình",)),
    ("Đà Nẵng", ("Quảng Nam", "dn")),
    ("Quảng Ngãi", ("Kon Tum",)),
    ("Gia Lai", ("Bình Định",)),
    ("Khánh Hòa", ("Ninh Thuận",)),
    ("Lâm Đồng", ("Đắk Nông", "Đăk Nông", "Bình Thuận")),
    ("Đắk Lắk", ("Đăk Lăk", "Dak Lak", "Daklak", "Phú Yên")),
    ("Thành phố Hồ Chí Minh", (
        "Hồ Chí Minh", "hcm", "tphcm", "hcmc", "sài gòn", "saigon", "sg", "Bình Dương",
        "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "brvt", "Vũng Tàu",
    )),
    ("Đồng Nai", ("Bình Phước",)),
    ("Tây Ninh", ("Long An",)),
    ("Cần Thơ", ("Sóc Trăng", "Hậu Giang")),
    ("Vĩnh Long", ("Bến Tre", "Trà Vinh")),
    ("Đồng Tháp", ("Tiền Giang",)),
    ("Cà Mau", ("Bạc Liêu",)),
    ("An Giang", ("Kiên Giang",)),
)
PROVINCE_NAMES: tuple[str, ...] = tuple(name for name, _ in _PROVINCES)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PREFIXES = ("thanhpho", "tinh", "tp")
# Words people put around the name: "o lao cai a", "tinh em la gia lai", "que toi o ..."
_FILLER = frozenset({
    "o", "tai", "la", "que", "toi", "em", "minh", "chau", "nha", "ben", "thuoc", "song", "a", "ah",
    "nhe", "oi", "tinh", "thanh", "pho", "tp", "ad", "cua", "dang", "hien", "gio",
})


def _key(text: str) -> str:
    return _NON_ALNUM.sub("", fold(nfc(text)))


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, aliases in _PROVINCES:
        for variant in (name, *aliases):
            index.setdefault(_key(variant), name)
    return index


_INDEX = _build_index()


def _lookup(key: str) -> str | None:
    if not key:
        return None
    if key in _INDEX:
        return _INDEX[key]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix):] in _INDEX:
            return _INDEX[key[len(prefix):]]
    return None


def match_province(text: str | None) -> str | None:
    """The canonical name of the province-level unit *text* names, or None.

    Tries the whole text, then the words left once filler ("ở", "tỉnh", "ạ") is dropped, then
    every run of 1–5 consecutive words (longest first)."""
    if not text:
        return None
    found = _lookup(_key(text))
    if found:
        return found
    words = fold(nfc(text)).replace("-", " ").split()
    words = [_NON_ALNUM.sub("", w) for w in words]
    words = [w for w in words if w]
    kept = [w for w in words if w not in _FILLER]
    found = _lookup("".join(kept))
    if found:
        return found
    for size in range(min(5, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            window = words[start:start + size]
            if size == 1 and len(window[0]) < 3 and window[0] not in ("hn", "sg"):
                continue
            found = _lookup("".join(window))
            if found:
                return found
    return None


_PHONE_JUNK = re.compile(r"[\s.\-()/]")
_PHONE_IN_TEXT = re.compile(r"(?:\+84|0084|84|0)(?:[ .\-]?\d){8,10}")


def normalize_phone(raw: str | None) -> str | None:
    """A Vietnamese mobile number as people read it ("0912345678"), or None when *raw* is not one.

    Accepts 0xxxxxxxxx, +84xxxxxxxxx, 84xxxxxxxxx and 0084…, with spaces, dots or dashes, also
    inside a sentence ("so cua em la 0912 345 678 a")."""
    text = nfc(raw or "").strip()
    candidates = [text] + [m.group() for m in _PHONE_IN_TEXT.finditer(text)]
    for candidate in candidates:
        digits = _PHONE_JUNK.sub("", candidate)
        if digits.startswith("+84"):
            national = digits[3:]
        elif digits.startswith("0084"):
            national = digits[4:]
        elif digits.startswith("84") and len(digits) == 11:
            national = digits[2:]
        elif digits.startswith("0"):
            national = digits[1:]
        else:
            continue
        national = national.removeprefix("0")
        if national.isdigit() and len(national) == 9 and national[0] in "35789":
            return "0" + national
    return None


def mask_phone(phone: str) -> str:
    """Keep the first two and the last two digits: "0912345678" → "09******78"."""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]
