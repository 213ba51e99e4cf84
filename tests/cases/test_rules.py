"""Pure rules: status transitions (table-driven), provinces, phones, masking, dedup keys."""

from __future__ import annotations

import pytest

from api.cases.normalize import PhoneError, dedup_key, normalize_description, normalize_phone
from api.cases.privacy import mask_name, mask_phone, phone_ref
from api.cases.provinces import CENTRAL_CITIES, PROVINCE_NAMES, PROVINCES, match_province
from api.cases.status import (
    FINAL_STATUSES,
    CaseStatus,
    MissingFieldError,
    TransitionError,
    check_transition,
)
from knowledge import case_code

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
    assert mask_phone("+84912345667") == "091*******"
    assert mask_phone("+842143820123") == "021********"
    assert phone_ref("+84912345667").startswith("tel#") and "345" not in phone_ref("+84912345667")


def test_dedup_key_ignores_case_diacritics_and_punctuation() -> None:
    a = dedup_key("+84912345678", "Tôi bị lấn đất,  xin giúp đỡ!")
    assert a == dedup_key("+84912345678", "toi bi lan dat xin giup do")
    assert a != dedup_key("+84912345679", "toi bi lan dat xin giup do")
    assert normalize_description("  Đất   ĐAI ") == "dat dai"


@pytest.mark.parametrize("phone", ["+84912345667", "+84987650000", "+842143820123", "+84355551234"])
def test_a_masked_phone_shows_none_of_the_last_4_digits(phone: str) -> None:
    """The last 4 digits are the secret of the status lookup: no list or log may show them."""
    masked = mask_phone(phone)
    assert len(masked) == len(phone) - 2 and masked.endswith("****")
    assert masked[:3] == "0" + phone[3:5] and set(masked[3:]) == {"*"}


def test_new_codes_are_random_readable_and_never_look_sequential() -> None:
    codes = {case_code.new_code(2026) for _ in range(2000)}
    assert len(codes) == 2000  # 32^6 possibilities: no collision expected in 2000 draws
    for code in codes:
        part = code.removeprefix("TGPL-2026-")
        assert len(part) == 6 and set(part) <= set(case_code.ALPHABET) and not part.isdigit()
        assert not set(part) & set("01IO") and case_code.is_valid_code(code)
    used = {c for code in codes for c in code.removeprefix("TGPL-2026-")}
    assert used == set(case_code.ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("TGPL-2026-K7QM4X", "TGPL-2026-K7QM4X"),
        (" tgpl-2026-k7qm4x ", "TGPL-2026-K7QM4X"),
        ("tgpl 2026 k7qm4x", "TGPL-2026-K7QM4X"),
        ("TGPL2026K7QM4X", "TGPL-2026-K7QM4X"),
        ("2026-K7QM4X", "TGPL-2026-K7QM4X"),
        ("TGPL-2026-000042", "TGPL-2026-000042"),
        ("tgpl 2026 42", "TGPL-2026-000042"),
        ("TGPL-2026-K7QM0X", None),  # 0 is not in the alphabet
        ("TGPL-2026-234567", "TGPL-2026-234567"),  # six digits: an old code
        ("TGPL-2026-K7QM4", None),
        ("xin chào", None),
        ("", None),
    ],
)
def test_parse_code(typed: str, expected: str | None) -> None:
    assert case_code.parse_code(typed) == expected


def test_find_code_in_a_message() -> None:
    assert case_code.find_code("tra cứu tgpl-2026-k7qm4x 5678")[0] == "TGPL-2026-K7QM4X"
    code, rest = case_code.find_code("mã TGPL 2026 K7QM4X, số cuối 9876")
    assert code == "TGPL-2026-K7QM4X" and "9876" in rest and "K7QM4X" not in rest
    assert case_code.find_code("tgpl-2026-000007 4321")[0] == "TGPL-2026-000007"
    assert case_code.find_code("năm 2026 nguyen van a")[0] is None  # a bare year and a word: no code
    assert case_code.CODE_PATTERN.fullmatch("TGPL-2026-K7QM4X") and case_code.CODE_PATTERN.fullmatch(
        "TGPL-2026-000042"
    )


def test_the_api_uses_the_shared_code_module() -> None:
    """One source of truth: the api re-exports knowledge.case_code (the action server imports it too,
    see tests/actions/test_status_actions.py)."""
    from api.cases import normalize

    assert normalize.parse_code is case_code.parse_code and normalize.new_code is case_code.new_code
