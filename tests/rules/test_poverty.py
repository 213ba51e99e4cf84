"""Poverty standard in force on a date, income per person, category, explanation."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.rules.amounts import RURAL, URBAN, parse_area, parse_household_size, parse_vnd
from knowledge.rules.poverty import (
    IncomeCategory,
    NoStandardError,
    check_income,
    explain,
    standard_on,
)

STANDARDS = [
    # (day, rural line, urban line, rural middle, urban middle, decree numbers in the basis)
    (date(2022, 1, 1), 1_500_000, 2_000_000, 2_250_000, 3_000_000, ("07/2021/NĐ-CP",)),
    (date(2025, 12, 31), 1_500_000, 2_000_000, 2_250_000, 3_000_000, ("07/2021/NĐ-CP",)),
    (date(2026, 1, 1), 1_500_000, 2_000_000, 2_250_000, 3_000_000, ("07/2021/NĐ-CP", "351/2025/NĐ-CP")),
    (date(2026, 11, 24), 1_500_000, 2_000_000, 2_250_000, 3_000_000, ("07/2021/NĐ-CP", "351/2025/NĐ-CP")),
    (date(2026, 12, 31), 1_500_000, 2_000_000, 2_250_000, 3_000_000, ("07/2021/NĐ-CP", "351/2025/NĐ-CP")),
    (date(2027, 1, 1), 2_200_000, 2_800_000, None, None, ("351/2025/NĐ-CP",)),
    (date(2027, 3, 1), 2_200_000, 2_800_000, None, None, ("351/2025/NĐ-CP",)),
    (date(2030, 12, 31), 2_200_000, 2_800_000, None, None, ("351/2025/NĐ-CP",)),
]


@pytest.mark.parametrize(("day", "rural", "urban", "mid_rural", "mid_urban", "decrees"), STANDARDS)
def test_standard_on(day, rural, urban, mid_rural, mid_urban, decrees) -> None:
    standard = standard_on(day)
    assert standard.poverty_line == {RURAL: rural, URBAN: urban}
    if mid_rural is None:
        assert standard.middle_line is None
    else:
        assert standard.middle_line == {RURAL: mid_rural, URBAN: mid_urban}
    assert tuple(c.document for c in standard.citations) == decrees
    for decree in decrees:
        assert decree in standard.basis


def test_2026_basis_says_extended_until_end_of_2026() -> None:
    basis = standard_on(date(2026, 11, 24)).basis
    assert "còn hiệu lực đến 31/12/2026 theo Nghị định 351/2025/NĐ-CP" in basis


@pytest.mark.parametrize("day", [date(2021, 12, 31), date(2031, 1, 1)])
def test_no_standard_known(day: date) -> None:
    with pytest.raises(NoStandardError):
        standard_on(day)


def test_default_date_is_today() -> None:
    assert standard_on() == standard_on(date.today())


CHECKS = [
    # (size, income, area, day, per person, category)
    (4, 5_000_000, RURAL, date(2026, 11, 24), 1_250_000, IncomeCategory.POOR_OR_NEAR_POOR),
    (4, 6_000_000, RURAL, date(2026, 11, 24), 1_500_000, IncomeCategory.POOR_OR_NEAR_POOR),  # at the line
    (4, 6_000_001, RURAL, date(2026, 11, 24), 1_500_000, IncomeCategory.MIDDLE),  # 1 đồng over, rounds down
    (4, 9_000_000, RURAL, date(2026, 12, 31), 2_250_000, IncomeCategory.MIDDLE),  # at the middle line
    (4, 9_000_004, RURAL, date(2026, 12, 31), 2_250_001, IncomeCategory.ABOVE),
    (4, 8_000_000, URBAN, date(2026, 12, 31), 2_000_000, IncomeCategory.POOR_OR_NEAR_POOR),  # at urban line
    (4, 8_000_004, URBAN, date(2026, 12, 31), 2_000_001, IncomeCategory.MIDDLE),
    (2, 6_000_000, URBAN, date(2026, 12, 31), 3_000_000, IncomeCategory.MIDDLE),
    (2, 6_000_002, URBAN, date(2026, 12, 31), 3_000_001, IncomeCategory.ABOVE),
    (3, 5_000_000, RURAL, date(2026, 11, 24), 1_666_667, IncomeCategory.MIDDLE),  # rounded half up
    (4, 8_000_000, RURAL, date(2026, 12, 31), 2_000_000, IncomeCategory.MIDDLE),
    (4, 8_000_000, RURAL, date(2027, 1, 1), 2_000_000, IncomeCategory.POOR_OR_NEAR_POOR),  # new line
    (4, 8_800_000, RURAL, date(2027, 1, 1), 2_200_000, IncomeCategory.POOR_OR_NEAR_POOR),  # at 2027 line
    (4, 8_800_004, RURAL, date(2027, 1, 1), 2_200_001, IncomeCategory.ABOVE_POVERTY_LINE),
    (4, 11_200_000, URBAN, date(2027, 3, 1), 2_800_000, IncomeCategory.POOR_OR_NEAR_POOR),
    (4, 12_000_000, URBAN, date(2027, 3, 1), 3_000_000, IncomeCategory.ABOVE_POVERTY_LINE),
    (1, 0, RURAL, date(2026, 11, 24), 0, IncomeCategory.POOR_OR_NEAR_POOR),
    (4, 5_000_000, RURAL, date(2027, 3, 1), 1_250_000, IncomeCategory.POOR_OR_NEAR_POOR),
]


@pytest.mark.parametrize(("size", "income", "area", "day", "per_person", "category"), CHECKS)
def test_check_income(size, income, area, day, per_person, category) -> None:
    check = check_income(size, income, area, on_date=day)
    assert check.income_per_person == per_person
    assert check.category is category
    assert check.on_date == day


def test_exactly_at_the_line_is_at_or_below() -> None:
    check = check_income(3, 4_500_000, RURAL, on_date=date(2026, 12, 31))
    assert check.at_poverty_line
    assert check.category is IncomeCategory.POOR_OR_NEAR_POOR
    assert "Mức này bằng chuẩn nghèo ở nông thôn là 1.500.000 đồng/người/tháng" in explain(check)


def test_example_2026_11_24() -> None:
    text = explain(check_income(4, 5_000_000, RURAL, on_date=date(2026, 11, 24)))
    for part in (
        "1.250.000 đồng/người/tháng",
        "5.000.000 đồng chia cho 4 người",
        "thấp hơn chuẩn nghèo ở nông thôn là 1.500.000 đồng/người/tháng",
        "Nghị định 07/2021/NĐ-CP, còn hiệu lực đến 31/12/2026 theo Nghị định 351/2025/NĐ-CP",
        "có thể thuộc hộ nghèo hoặc hộ cận nghèo",
        "12 chỉ số thiếu hụt dịch vụ xã hội cơ bản",
        "việc làm, y tế, giáo dục, nhà ở, nước sinh hoạt và vệ sinh, thông tin",
        "từ 3 chỉ số trở lên là hộ nghèo",
        "dưới 3 chỉ số là hộ cận nghèo",
        "Ủy ban nhân dân cấp xã (UBND xã) quyết định qua rà soát hằng năm",
    ):
        assert part in text, part


def test_example_2027_03_01() -> None:
    text = explain(check_income(4, 5_000_000, RURAL, on_date=date(2027, 3, 1)))
    assert "chuẩn nghèo ở nông thôn là 2.200.000 đồng/người/tháng" in text
    assert "giai đoạn 2027–2030 theo Nghị định 351/2025/NĐ-CP" in text
    assert "07/2021" not in text


def test_explain_middle_and_above() -> None:
    middle = explain(check_income(4, 8_000_000, RURAL, on_date=date(2026, 11, 24)))
    assert "có thể thuộc hộ có mức sống trung bình" in middle
    assert "2.250.000 đồng/người/tháng" in middle
    above = explain(check_income(2, 10_000_000, URBAN, on_date=date(2026, 11, 24)))
    assert "cao hơn chuẩn hộ có mức sống trung bình (3.000.000 đồng/người/tháng)" in above


def test_explain_2027_above_line_does_not_invent_middle_standard() -> None:
    text = explain(check_income(3, 10_000_000, URBAN, on_date=date(2027, 1, 1)))
    assert "Chưa có thông tin về chuẩn hộ có mức sống trung bình giai đoạn 2027–2030" in text
    assert "không thuộc hộ nghèo hoặc hộ cận nghèo" in text


def test_category_labels() -> None:
    assert IncomeCategory.POOR_OR_NEAR_POOR.value == (
        "có thể thuộc hộ nghèo hoặc cận nghèo (tùy số chỉ số thiếu hụt)"
    )
    assert IncomeCategory.MIDDLE.value == "có thể thuộc hộ có mức sống trung bình"
    assert IncomeCategory.ABOVE.value == "trên chuẩn"


@pytest.mark.parametrize(
    ("size", "income", "area"),
    [(0, 5_000_000, RURAL), (-1, 5_000_000, RURAL), (4, -1, RURAL), (4, 5_000_000, "mountain")],
)
def test_invalid_input(size: int, income: int, area: str) -> None:
    with pytest.raises(ValueError):
        check_income(size, income, area, on_date=date(2026, 11, 24))


@pytest.mark.parametrize(
    ("text", "day", "line"),
    [
        ("nhà 4 người ở nông thôn thu nhập 5 triệu một tháng", date(2026, 11, 24), 1_500_000),
        ("nha 4 nguoi o nong thon thu nhap 5tr 1 thang", date(2026, 11, 24), 1_500_000),
        ("nha 4 nguoi o nong thon thu nhap 5tr 1 thang", date(2027, 3, 1), 2_200_000),
    ],
)
def test_from_citizen_text(text: str, day: date, line: int) -> None:
    size, income, area = parse_household_size(text), parse_vnd(text), parse_area(text)
    assert (size, income, area) == (4, 5_000_000, RURAL)
    check = check_income(size, income, area, on_date=day)
    assert check.income_per_person == 1_250_000
    assert check.poverty_line == line
    assert check.category is IncomeCategory.POOR_OR_NEAR_POOR
