"""Pure rules: status transitions (table-driven), provinces, phones, masking, dedup keys."""

from __future__ import annotations

import pytest

from api.cases.normalize import PhoneError, dedup_key, format_code, normalize_description, normalize_phone
from api.cases.privacy import mask_name, mask_phone, phone_ref
from api.cases.provinces import CENTRAL_CITIES, PROVINCE_NAMES, PROVINCES, match_province
from api.cases.status import (
    FINAL_STATUSES,
    CaseStatus,
    MissingFieldError,
    TransitionError,
    check_transition,
)

S = CaseStatus
ALL = list(CaseStatus)
ALLOWED = {
    (S.new, S.accepted),
    (S.new, S.rejected),
    (S.new, S.referred),
    (S.accepted, S.in_progress),
    (S.accepted, S.referred),
    (S.in_progress, S.closed),
}
FULL = {
    "rejection_reason": "Không thuộc diện",
    "referred_to": "Hội Luật gia tỉnh",
    "outcome": "Hòa giải thành",
}


@pytest.mark.parametrize(("current", "target"), [(a, b) for a in ALL for b in ALL])
def test_transition_table(current: CaseStatus, target: CaseStatus) -> None:
    if current == target:
        assert check_transition(current, target, FULL) is False
    elif (current, target) in ALLOWED:
        assert check_transition(current, target, FULL) is True
    else:
        with pytest.raises(TransitionError, match="Không thể chuyển hồ sơ từ trạng thái"):
            check_transition(current, target, FULL)


@pytest.mark.parametrize(
    ("current", "target", "missing"),
    [
        (S.new, S.rejected, "rejection_reason"),
        (S.new, S.referred, "referred_to"),
        (S.accepted, S.referred, "referred_to"),
        (S.in_progress, S.closed, "outcome"),
    ],
)
def test_required_fields(current: CaseStatus, target: CaseStatus, missing: str) -> None:
    with pytest.raises(MissingFieldError, match=missing):
        check_transition(current, target, {k: v for k, v in FULL.items() if k != missing})
    with pytest.raises(MissingFieldError):
        check_transition(current, target, {**FULL, missing: "   "})


def test_transition_message_in_vietnamese() -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(S.new, S.closed)
    assert str(info.value) == "Không thể chuyển hồ sơ từ trạng thái 'Mới' sang 'Đã đóng'."


def test_final_statuses() -> None:
    assert {S.rejected, S.referred, S.closed} == FINAL_STATUSES


def test_province_list() -> None:
    assert len(PROVINCES) == 34 == len(set(PROVINCE_NAMES))
    assert set(CENTRAL_CITIES) == {
        "Hà Nội",
        "Huế",
        "Hải Phòng",
        "Đà Nẵng",
        "Thành phố Hồ Chí Minh",
        "Cần Thơ",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hcm", "Thành phố Hồ Chí Minh"),
        ("sài gòn", "Thành phố Hồ Chí Minh"),
        ("Sai Gon", "Thành phố Hồ Chí Minh"),
        ("tp hcm", "Thành phố Hồ Chí Minh"),
        ("TP.HCM", "Thành phố Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("hn", "Hà Nội"),
        ("ha noi", "Hà Nội"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("đà nẵng", "Đà Nẵng"),
        ("da nang", "Đà Nẵng"),
        ("Thừa Thiên Huế", "Huế"),
        ("tinh thanh hoa", "Thanh Hóa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("DAK LAK", "Đắk Lắk"),
        ("Điện Biên", "Điện Biên"),
        ("dien bien", "Điện Biên"),
        ("Hà Giang", "Tuyên Quang"),
        ("Bình Dương", "Thành phố Hồ Chí Minh"),
        ("Quảng Nam", "Đà Nẵng"),
        ("Kiên Giang", "An Giang"),
        ("tỉnh Sóc Trăng", "Cần Thơ"),
        ("Atlantis", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_match_province(text: str | None, expected: str | None) -> None:
    assert match_province(text) == expected


def test_every_province_matches_itself_without_diacritics() -> None:
    from knowledge.text import fold

    for province in PROVINCES:
        assert match_province(province.name) == province.name
        assert match_province(fold(province.name)) == province.name
        assert match_province(province.official) == province.name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("(+84) 0912-345-678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("0214 3820 123", "+842143820123"),
    ],
)
def test_normalize_phone(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "12345", "091234567", "091234567890", "abc", "+1 202 555 0100", "0012345678"]
)
def test_bad_phones(raw: str) -> None:
    with pytest.raises(PhoneError):
        normalize_phone(raw)


def test_masks() -> None:
    assert mask_name("Nguyễn Văn An") == "Nguyễn V** A**"
    assert mask_name("Hờ A Dính") == "Hờ A** D**"
    assert mask_name("Lò") == "L**"
    assert mask_phone("+84912345667") == "09******67"
    assert mask_phone("+842143820123") == "02*******23"
    assert phone_ref("+84912345667").startswith("tel#") and "345" not in phone_ref("+84912345667")


def test_dedup_key_ignores_case_diacritics_and_punctuation() -> None:
    a = dedup_key("+84912345678", "Tôi bị lấn đất,  xin giúp đỡ!")
    assert a == dedup_key("+84912345678", "toi bi lan dat xin giup do")
    assert a != dedup_key("+84912345679", "toi bi lan dat xin giup do")
    assert normalize_description("  Đất   ĐAI ") == "dat dai"


def test_code_format() -> None:
    assert format_code(2026, 42) == "TGPL-2026-000042"
