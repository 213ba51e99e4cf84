"""knowledge.text: NFC, folding, slang expansion — with the broken input citizens really send."""

from __future__ import annotations

import unicodedata

import pytest

from knowledge.text import (
    expand_abbreviations,
    fold,
    fold_char_map,
    has_diacritics,
    nfc,
    normalize_for_search,
    normalize_tone_placement,
    syllables,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hòa giải ở cơ sở", "hoa giai o co so"),
        ("ĐƯỢC TRỢ GIÚP", "duoc tro giup"),
        ("Đắk Lắk", "dak lak"),
        (unicodedata.normalize("NFD", "Người khuyết tật"), "nguoi khuyet tat"),
        ("abc 123", "abc 123"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_keeps_length_of_nfc_text():
    text = "Trợ giúp pháp lý miễn phí cho hộ nghèo ở Đồng Tháp"
    assert len(fold(text)) == len(text)


def test_fold_char_map_keeps_one_char_per_input_char_even_for_nfd():
    decomposed = unicodedata.normalize("NFD", "Hòa giải")
    mapped = fold_char_map(decomposed)
    assert len(mapped) == len(decomposed)
    assert mapped.replace("\u0000", "") == "hoa giai"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nha toi ho ngheo co dc tgpl ko", "nha toi ho ngheo co duoc tro giup phap ly khong"),
        ("hok bt thads o dau", "khong biet thi hanh an dan su o dau"),
        ("the bhyt ho can ngheo", "the bao hiem y te ho can ngheo"),
        ("len ubnd xa hoi hgcs", "len uy ban nhan dan xa hoi hoa giai o co so"),
        ("lam j z a", "lam gi vay anh"),
        ("ck e say ruou danh vk con, cty no luong", "chong em say ruou danh vo con cong ty no luong"),
    ],
)
def test_expand_abbreviations(text, expected):
    assert expand_abbreviations(text) == expected


def test_words_that_only_look_like_slang_are_kept():
    # "hồng" (sổ hồng), "cư" (cư trú) fold to short words that must not be rewritten
    assert normalize_for_search("Sổ hồng, cư trú") == "so hong cu tru"


def test_normalize_for_search_handles_diacritics_slang_and_spaces():
    assert normalize_for_search("  Nhà tôi   hộ nghèo có ĐC TGPL ko ạ?? ") == (
        "nha toi ho ngheo co duoc tro giup phap ly khong a"
    )


def test_nfc_and_tone_placement():
    decomposed = unicodedata.normalize("NFD", "Hoà giải")
    assert nfc(decomposed) == unicodedata.normalize("NFC", "Hoà giải")
    assert normalize_tone_placement(decomposed) == "Hòa giải"
    assert normalize_tone_placement("Thuỷ lợi, Uỷ ban") == "Thủy lợi, Ủy ban"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("hộ nghèo", True), ("ho ngheo", False), ("Đ", True), ("tgpl ko", False), ("", False)],
)
def test_has_diacritics(text, expected):
    assert has_diacritics(text) is expected


def test_syllables_drop_punctuation():
    assert syllables("Điều 7, khoản 2.") == ["dieu", "7", "khoan", "2"]
