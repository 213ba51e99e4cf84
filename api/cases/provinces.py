"""The 34 province-level units of Viet Nam after 1 July 2025 (Nghị quyết 202/2025/QH15).

`match_province` accepts what citizens and staff type: no diacritics, "tỉnh"/"thành phố"/"TP."
prefixes, short names ("hcm", "sài gòn", "hn") and the names of the provinces merged in 2025
("Bình Dương" → "Thành phố Hồ Chí Minh", "Quảng Nam" → "Đà Nẵng").

>>> match_province("tp hcm")
'Thành phố Hồ Chí Minh'
>>> match_province("da nang")
'Đà Nẵng'
>>> match_province("Atlantis") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold, nfc

__all__ = ["CENTRAL_CITIES", "PROVINCES", "PROVINCE_NAMES", "Province", "match_province"]


@dataclass(frozen=True)
class Province:
    name: str  # the canonical name stored in the database
    city: bool  # a centrally-run city (thành phố trực thuộc trung ương)
    aliases: tuple[str, ...] = ()  # short names, spellings and the provinces merged into it

    @property
    def official(self) -> str:
        if self.name.startswith("Thành phố"):
            return self.name
        return f"{'Thành phố' if self.city else 'Tỉnh'} {self.name}"


PROVINCES: tuple[Province, ...] = (
    Province("Hà Nội", True, ("hn", "ha noi", "hanoi")),
    Province("Huế", True, ("thua thien hue", "tt hue", "hue")),
    Province("Lai Châu", False),
    Province("Điện Biên", False),
    Province("Sơn La", False),
    Province("Lạng Sơn", False),
    Province("Quảng Ninh", False),
    Province("Thanh Hóa", False),
    Province("Nghệ An", False),
    Province("Hà Tĩnh", False),
    Province("Cao Bằng", False),
    Province("Tuyên Quang", False, ("Hà Giang",)),
    Province("Lào Cai", False, ("Yên Bái",)),
    Province("Thái Nguyên", False, ("Bắc Kạn", "Bắc Cạn")),
    Province("Phú Thọ", False, ("Vĩnh Phúc", "Hòa Bình")),
    Province("Bắc Ninh", False, ("Bắc Giang",)),
    Province("Hưng Yên", False, ("Thái Bình",)),
    Province("Hải Phòng", True, ("Hải Dương",)),
    Province("Ninh Bình", False, ("Hà Nam", "Nam Định")),
    Province("Quảng Trị", False, ("Quảng Bình",)),
    Province("Đà Nẵng", True, ("Quảng Nam",)),
    Province("Quảng Ngãi", False, ("Kon Tum",)),
    Province("Gia Lai", False, ("Bình Định",)),
    Province("Khánh Hòa", False, ("Ninh Thuận",)),
    Province("Lâm Đồng", False, ("Đắk Nông", "Đăk Nông", "Bình Thuận")),
    Province("Đắk Lắk", False, ("Đăk Lăk", "Dak Lak", "Phú Yên")),
    Province(
        "Thành phố Hồ Chí Minh",
        True,
        ("Hồ Chí Minh", "hcm", "tphcm", "hcmc", "sài gòn", "saigon", "sg",
         "Bình Dương", "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "brvt", "Vũng Tàu"),
    ),
    Province("Đồng Nai", False, ("Bình Phước",)),
    Province("Tây Ninh", False, ("Long An",)),
    Province("Cần Thơ", True, ("Sóc Trăng", "Hậu Giang")),
    Province("Vĩnh Long", False, ("Bến Tre", "Trà Vinh")),
    Province("Đồng Tháp", False, ("Tiền Giang",)),
    Province("Cà Mau", False, ("Bạc Liêu",)),
    Province("An Giang", False, ("Kiên Giang",)),
)

PROVINCE_NAMES: tuple[str, ...] = tuple(p.name for p in PROVINCES)
CENTRAL_CITIES: tuple[str, ...] = tuple(p.name for p in PROVINCES if p.city)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PREFIXES = ("thanhpho", "tinh", "tp")


def _key(text: str) -> str:
    """Folded, without spaces or punctuation: "TP. Hồ Chí Minh" → "tphochiminh"."""
    return _NON_ALNUM.sub("", fold(nfc(text)))


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for province in PROVINCES:
        for variant in (province.name, province.official, *province.aliases):
            index.setdefault(_key(variant), province.name)
    return index


_INDEX = _build_index()


def match_province(text: str | None) -> str | None:
    """The canonical name of the province-level unit *text* names, or None."""
    if not text:
        return None
    key = _key(text)
    if not key:
        return None
    if key in _INDEX:
        return _INDEX[key]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix):] in _INDEX:
            return _INDEX[key[len(prefix):]]
    return None
