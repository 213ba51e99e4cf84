"""parse_vnd, parse_household_size, parse_area, format_vnd."""

from __future__ import annotations

import pytest

from knowledge.rules.amounts import RURAL, URBAN, format_vnd, parse_area, parse_household_size, parse_vnd

MONEY = [
    # (text, đồng)
    ("5 triệu", 5_000_000),
    ("5 trieu", 5_000_000),
    ("5tr", 5_000_000),
    ("5 tr", 5_000_000),
    ("5 củ", 5_000_000),
    ("5 cu", 5_000_000),
    ("3 củ rưỡi", 3_500_000),
    ("1.500.000đ", 1_500_000),
    ("1.500.000 đồng", 1_500_000),
    ("1,500,000 vnd", 1_500_000),
    ("10.000.000 VNĐ", 10_000_000),
    ("500.000 dong", 500_000),
    ("1,5 triệu", 1_500_000),
    ("1.5 trieu", 1_500_000),
    ("2.5tr", 2_500_000),
    ("lương 7,5tr", 7_500_000),
    ("2 triệu rưỡi", 2_500_000),
    ("2 trieu ruoi", 2_500_000),
    ("800 nghìn", 800_000),
    ("800 nghin", 800_000),
    ("800 ngàn", 800_000),
    ("800k", 800_000),
    ("800K", 800_000),
    ("200 nghìn đồng", 200_000),
    ("1tr2", 1_200_000),
    ("1tr25", 1_250_000),
    ("1tr250", 1_250_000),
    ("1 triệu 2", 1_200_000),
    ("1 trieu 2 mot thang", 1_200_000),
    ("1 triệu 200 nghìn", 1_200_000),
    ("1 triệu 200", 1_200_000),
    ("1500000", 1_500_000),
    ("thu nhập 1500000 một tháng", 1_500_000),
    ("mot trieu", 1_000_000),
    ("một triệu", 1_000_000),
    ("hai triệu rưỡi", 2_500_000),
    ("năm trăm nghìn", 500_000),
    ("hai mươi lăm triệu", 25_000_000),
    ("từ một triệu", 1_000_000),
    ("1 tỷ", 1_000_000_000),
    ("5tr/tháng", 5_000_000),
    ("nha 4 nguoi o nong thon thu nhap 5tr 1 thang", 5_000_000),
    # a count after the amount is not a tail: 5 triệu for 4 people
    ("thu nhập 5 triệu 4 người", 5_000_000),
    ("Thu nhập khoảng 4 TRIỆU", 4_000_000),
]

NOT_MONEY = [
    "nhà 4 người",
    "nha co 5 nguoi",
    "năm 2026",
    "0912345678",
    "số điện thoại 0987 654 321",
    "mẹ tôi 70 tuổi",
    "con toi 15 tuoi",
    "ngày 24/11/2026",
    "có 2 con",
    "4 nhân khẩu",
    "khoản 7 Điều 7",
    "Nghị định 07/2021/NĐ-CP",
    "diện tích 1.000 m2",
    "",
    "tôi không có thu nhập",
]


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_parse_vnd(text: str, expected: int) -> None:
    assert parse_vnd(text) == expected


@pytest.mark.parametrize("text", NOT_MONEY)
def test_not_money(text: str) -> None:
    assert parse_vnd(text) is None


def test_enough_cases() -> None:
    assert len(MONEY) + len(NOT_MONEY) >= 40


HOUSEHOLD = [
    ("nhà 4 người", 4),
    ("nha co 5 nguoi", 5),
    ("4 nhân khẩu", 4),
    ("4 nhan khau", 4),
    ("gia đình 3 người", 3),
    ("gia dinh 3 nguoi", 3),
    ("hộ tôi có bốn người", 4),
    ("nhà tôi 6 khẩu", 6),
    ("nha 4 nguoi o nong thon thu nhap 5tr 1 thang", 4),
    ("có 3 người đánh tôi", None),
    ("tôi 45 tuổi", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), HOUSEHOLD)
def test_parse_household_size(text: str, expected: int | None) -> None:
    assert parse_household_size(text) == expected


AREAS = [
    ("nông thôn", RURAL),
    ("nong thon", RURAL),
    ("ở quê", RURAL),
    ("nhà ở quê", RURAL),
    ("sống ở bản", RURAL),
    ("vùng núi", RURAL),
    ("thành phố", URBAN),
    ("ở thành phố", URBAN),
    ("o tp", URBAN),
    ("thanh thi", URBAN),
    ("thị trấn", URBAN),
    ("thi xa", URBAN),
    ("ở phường 3", URBAN),
    ("quê ở nông thôn, con lên thành phố học", RURAL),
    ("bạn ơi cho hỏi", None),
    ("tôi buồn quá", None),
    ("tôi lo lắng", None),
    ("chính quyền địa phương", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), AREAS)
def test_parse_area(text: str, expected: str | None) -> None:
    assert parse_area(text) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "0 đồng"), (800_000, "800.000 đồng"), (1_250_000, "1.250.000 đồng"), (2_200_000, "2.200.000 đồng")],
)
def test_format_vnd(amount: int, expected: str) -> None:
    assert format_vnd(amount) == expected
