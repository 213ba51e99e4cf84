"""Read money amounts, household size and rural/urban area from what citizens type.

Works with and without diacritics (the text is folded first with :func:`knowledge.text.fold`).

>>> parse_vnd("thu nhập 5tr một tháng")
5000000
>>> parse_vnd("1tr2")
1200000
>>> parse_vnd("2 trieu ruoi")
2500000
>>> parse_vnd("nhà 4 người") is None
True
>>> parse_household_size("nha co 5 nguoi")
5
>>> parse_area("o nong thon")
'rural'
>>> format_vnd(1250000)
'1.250.000 đồng'
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from knowledge.text import fold

__all__ = ["RURAL", "URBAN", "format_vnd", "parse_area", "parse_household_size", "parse_vnd"]

RURAL = "rural"
URBAN = "urban"

# Multipliers of the unit words, folded. "củ" is slang for a million.
_BIG_UNITS: dict[str, int] = {
    "ty": 1_000_000_000,
    "trieu": 1_000_000, "tr": 1_000_000, "cu": 1_000_000,
    "nghin": 1_000, "ngan": 1_000, "k": 1_000,
}
_CURRENCY = ("dong", "vnd", "d")

_WORD_DIGITS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}
# Only valid after "mươi": "hai mươi mốt", "ba mươi tư", "mười lăm".
_WORD_UNIT_DIGITS = {**_WORD_DIGITS, "mot": 1, "tu": 4, "lam": 5, "nham": 5}

_NUMBER = r"\d+(?:[.,]\d+)*"
_UNIT = r"ty|trieu|tr|cu|nghin|ngan|k"
# A digit amount with a big unit, an optional "rưỡi" or a tail ("1tr2", "1 triệu 2"),
# or a second smaller amount ("1 triệu 200 nghìn").
_AMOUNT_WITH_UNIT = re.compile(
    rf"(?<![\w.,])(?P<num>{_NUMBER}) ?(?P<unit>{_UNIT})\b"
    rf"|(?<![\w.,])(?P<num2>{_NUMBER})(?P<unit2>{_UNIT})(?P<tail>\d{{1,3}})\b"
)
_CURRENCY_AMOUNT = re.compile(rf"(?<![\w.,])(?P<num>{_NUMBER}) ?(?:dong|vnd|d)\b")
_THOUSANDS = re.compile(r"(?<![\w.,/])(?P<num>\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3}){2,})(?![\w.,/])")
_BARE_DIGITS = re.compile(r"(?<![\w.,/+])(?P<num>[1-9]\d{4,8})(?![\w.,/])")
_WORD_AMOUNT = re.compile(
    r"\b(?P<words>(?:(?:mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi|tram|linh|le) ?)+)"
    rf"(?P<unit>{_UNIT})\b"
)
# Words that make a small number after the unit a count of something else, not a tail:
# "5 triệu 4 người" is five million for four people, not 5,4 million.
_TAIL = re.compile(r" (?P<tail>\d{1,3})(?= ?(?:dong|vnd|d|mot thang|moi thang|/|$|[,.;!?)]))")
_RUOI = re.compile(r" ?ruoi\b")
_SMALLER = re.compile(rf" (?:va )?(?P<num>{_NUMBER}) ?(?P<unit>{_UNIT})\b")


def _to_decimal(number: str) -> Decimal | None:
    """"1.500.000" → 1500000, "1,5" → 1.5, "2.5" → 2.5; a group of 3 digits means thousands."""
    groups = re.split(r"[.,]", number)
    if len(groups) == 1:
        return Decimal(number)
    if all(len(g) == 3 for g in groups[1:]):
        return Decimal("".join(groups))
    if len(groups) == 2:
        try:
            return Decimal(f"{groups[0]}.{groups[1]}")
        except InvalidOperation:
            return None
    return None


def _words_to_int(words: str) -> int | None:
    """Small Vietnamese number words: "một" → 1, "hai mươi lăm" → 25, "năm trăm" → 500."""
    total = 0
    current: int | None = None
    tens_seen = False
    for word in words.split():
        if word in ("linh", "le"):
            continue
        if word == "tram":
            if current is None:
                return None
            total += current * 100
            current, tens_seen = None, False
        elif word == "muoi":
            current = 10 if current is None else current * 10
            tens_seen = True
        elif tens_seen and word in _WORD_UNIT_DIGITS:
            current = (current or 0) + _WORD_UNIT_DIGITS[word]
            tens_seen = False
        elif word in _WORD_DIGITS and current is None:
            current = _WORD_DIGITS[word]
        else:
            return None
    value = total + (current or 0)
    return value or None


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _with_unit(folded: str, match: re.Match[str]) -> tuple[int, int] | None:
    """Value and end offset of an amount with a big unit, including "rưỡi" and tails."""
    if match.group("num2") is not None:
        number, unit = _to_decimal(match.group("num2")), _BIG_UNITS[match.group("unit2")]
        if number is None:
            return None
        tail = match.group("tail")
        value = number * unit + Decimal(tail) * unit / (10 ** len(tail))
        return _round(value), match.end()
    number, unit = _to_decimal(match.group("num")), _BIG_UNITS[match.group("unit")]
    if number is None:
        return None
    value = number * unit
    end = match.end()
    rest = folded[end:]
    if (ruoi := _RUOI.match(rest)) is not None:
        return _round(value + Decimal(unit) / 2), end + ruoi.end()
    if (smaller := _SMALLER.match(rest)) is not None:
        small_number = _to_decimal(smaller.group("num"))
        small_unit = _BIG_UNITS[smaller.group("unit")]
        if small_number is not None and small_unit < unit:
            return _round(value + small_number * small_unit), end + smaller.end()
    if unit >= 1_000_000 and (tail := _TAIL.match(rest)) is not None:
        digits = tail.group("tail")
        value += Decimal(digits) * unit / (10 ** len(digits))
        return _round(value), end + tail.end()
    return _round(value), end


def _amounts(folded: str) -> list[tuple[int, int]]:
    """(start offset, value) of every amount found in folded text."""
    found: list[tuple[int, int, int]] = []  # start, end, value

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in found)

    for match in _AMOUNT_WITH_UNIT.finditer(folded):
        parsed = _with_unit(folded, match)
        if parsed is not None and free(match.start(), parsed[1]):
            found.append((match.start(), parsed[1], parsed[0]))
    for match in _WORD_AMOUNT.finditer(folded):
        words = match.group("words").split()
        # "từ một triệu" folds to "tu mot trieu": drop leading words that are not a number.
        while words and _words_to_int(" ".join(words)) is None:
            words = words[1:]
        number = _words_to_int(" ".join(words)) if words else None
        if number is None or not free(match.start(), match.end()):
            continue
        unit = _BIG_UNITS[match.group("unit")]
        value = Decimal(number) * unit
        end = match.end()
        if (ruoi := _RUOI.match(folded[end:])) is not None:
            value += Decimal(unit) / 2
            end += ruoi.end()
        found.append((match.start(), end, _round(value)))
    for pattern in (_CURRENCY_AMOUNT, _THOUSANDS, _BARE_DIGITS):
        for match in pattern.finditer(folded):
            number = _to_decimal(match.group("num"))
            if number is None or number != number.to_integral_value() or not free(*match.span()):
                continue
            if pattern is _THOUSANDS and number < 10_000:
                continue
            found.append((match.start(), match.end(), int(number)))
    return sorted((start, value) for start, _, value in found)


def parse_vnd(text: str) -> int | None:
    """The first amount of money in *text*, in đồng, or None.

    Understands "5 triệu", "5tr", "5 củ", "1.500.000đ", "1,5 triệu", "2 triệu rưỡi",
    "800 nghìn/ngàn", "800k", "1tr2" and "1 triệu 2" (1.200.000), "1 triệu 200 nghìn",
    "1500000", "một triệu", "năm trăm nghìn". A bare number counts as money only when it is
    written with thousands separators or has 5 to 9 digits and does not start with 0, so
    counts, ages, years and phone numbers are not read as money.

    >>> parse_vnd("lương 1,5 triệu")
    1500000
    >>> parse_vnd("năm 2026") is None
    True
    """
    amounts = _amounts(fold(text))
    return amounts[0][1] if amounts else None


_COUNTED = r"nguoi|nhan khau|khau|thanh vien|mieng an|suat"
_HOUSEHOLD_SIZE = re.compile(
    rf"(?<![\w.,])(?P<num>\d{{1,2}}|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi) ?(?:{_COUNTED})\b"
)
_HOUSEHOLD_CONTEXT = re.compile(r"\b(?:nha|gia dinh|ho|hgd|ho gia dinh|nhan khau|khau)\b")


def parse_household_size(text: str) -> int | None:
    """Number of people in the household: "nhà 4 người", "nha co 5 nguoi", "4 nhân khẩu".

    A count of people without any household word ("có 3 người đánh tôi") is not a household size.

    >>> parse_household_size("gia đình 3 người")
    3
    >>> parse_household_size("có 3 người đánh tôi") is None
    True
    """
    folded = fold(text)
    for match in _HOUSEHOLD_SIZE.finditer(folded):
        raw = match.group("num")
        size = int(raw) if raw.isdigit() else _words_to_int(raw)
        if not size:
            continue
        before = folded[max(0, match.start() - 40):match.end()]
        if _HOUSEHOLD_CONTEXT.search(before):
            return size
    return None


# Unambiguous words first; short words that also mean something else ("bạn", "xa", "buồn",
# "lo lắng", "địa phương", "quê quán") count only right after "ở/tại/sống ở/thuộc".
# "thị trấn", "thị xã", "phường" and "thành phố" are urban units; "quê", "làng", "thôn", "bản",
# "xã" are rural. City names alone are not used: a city also has rural communes.
_URBAN = re.compile(
    r"\b(?:thanh pho|tp|thanh thi|do thi|noi thanh|noi thi|thi tran|thi xa|quan \d+)\b"
)
_RURAL = re.compile(
    r"\b(?:nong thon|mien que|vung que|vung nui|mien nui|vung cao|vung sau vung xa|ngoai thanh)\b"
)
_CUED = re.compile(
    r"\b(?:o|tai|song o|song tai|thuoc|ve)(?: (?:mot|cai|tren|duoi))?"
    r" (?P<word>que|lang|thon|ban|buon|ap|xa|phuong)\b"
)
_CUED_AREA = {"phuong": URBAN}


def parse_area(text: str) -> str | None:
    """"rural" (nông thôn), "urban" (thành thị) or None when the text does not say.

    "thị trấn", "thị xã", "phường", "thành phố" count as urban; "quê", "làng", "thôn", "bản",
    "xã", "vùng núi" count as rural. When both kinds appear, "nông thôn" wins, then urban words.

    >>> parse_area("ở thành phố")
    'urban'
    >>> parse_area("nhà ở quê")
    'rural'
    >>> parse_area("bạn ơi cho hỏi") is None
    True
    """
    folded = " ".join(re.findall(r"\w+", fold(text)))
    if re.search(r"\bnong thon\b", folded):
        return RURAL
    if _URBAN.search(folded):
        return URBAN
    if _RURAL.search(folded):
        return RURAL
    cued = _CUED.search(folded)
    if cued is not None:
        return _CUED_AREA.get(cued.group("word"), RURAL)
    return None


def format_vnd(amount: int) -> str:
    """Vietnamese money format with dots between thousands.

    >>> format_vnd(2200000)
    '2.200.000 đồng'
    """
    return f"{amount:,} đồng".replace(",", ".")
