"""Income test of the multidimensional poverty standard (chuẩn nghèo đa chiều) on a given date.

Facts given by the project (the decrees are not in the Pháp điển corpus):

* Nghị định 07/2021/NĐ-CP, chuẩn nghèo đa chiều giai đoạn 2022–2025: hộ nghèo = thu nhập bình
  quân đầu người/tháng ≤ 1.500.000 đồng (nông thôn) / ≤ 2.000.000 đồng (thành thị) và thiếu hụt
  từ 3 trong 12 chỉ số dịch vụ xã hội cơ bản; hộ cận nghèo = cùng mức thu nhập, thiếu hụt dưới
  3 chỉ số; hộ có mức sống trung bình = trên 1.500.000 đến 2.250.000 (nông thôn), trên 2.000.000
  đến 3.000.000 (thành thị).
* Nghị định 351/2025/NĐ-CP (30/12/2025): chuẩn 2022–2025 còn áp dụng đến 31/12/2026; giai đoạn
  2027–2030: 2.200.000 (nông thôn), 2.800.000 (thành thị), cùng ngưỡng 3 chỉ số. Chuẩn hộ có mức
  sống trung bình 2027–2030 không được cung cấp, nên ở đây là "chưa rõ" (None).

Only income is checked here: whether a household is poor or near-poor also depends on the
indicators, and the household is recognised by the Ủy ban nhân dân cấp xã through the annual review.

>>> check = check_income(4, 5_000_000, "rural", on_date=date(2026, 11, 24))
>>> check.income_per_person, check.poverty_line
(1250000, 1500000)
>>> check.category is IncomeCategory.POOR_OR_NEAR_POOR
True
>>> standard_on(date(2027, 1, 1)).poverty_line["rural"]
2200000
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from knowledge.rules.amounts import RURAL, URBAN, format_vnd
from knowledge.rules.citations import POVERTY_DECREE_07_2021, POVERTY_DECREE_351_2025, Citation

__all__ = [
    "AREA_NAMES",
    "DIMENSIONS",
    "INDICATOR_COUNT",
    "INDICATOR_THRESHOLD",
    "STANDARDS",
    "IncomeCategory",
    "NoStandardError",
    "PovertyCheck",
    "PovertyStandard",
    "check_income",
    "explain",
    "standard_on",
]

AREA_NAMES = {RURAL: "nông thôn", URBAN: "thành thị"}
DIMENSIONS = ("việc làm", "y tế", "giáo dục", "nhà ở", "nước sinh hoạt và vệ sinh", "thông tin")
INDICATOR_COUNT = 12
INDICATOR_THRESHOLD = 3  # lacking ≥ 3 indicators → poor, fewer → near-poor


@dataclass(frozen=True)
class PovertyStandard:
    """The income lines in force over a period, per area (đồng/người/tháng)."""

    period: str
    valid_from: date
    valid_to: date
    poverty_line: dict[str, int]
    middle_line: dict[str, int] | None
    citations: tuple[Citation, ...]
    basis: str

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


_LINES_2022 = {RURAL: 1_500_000, URBAN: 2_000_000}
_MIDDLE_2022 = {RURAL: 2_250_000, URBAN: 3_000_000}

STANDARDS: tuple[PovertyStandard, ...] = (
    PovertyStandard(
        period="2022–2025",
        valid_from=date(2022, 1, 1),
        valid_to=date(2025, 12, 31),
        poverty_line=_LINES_2022,
        middle_line=_MIDDLE_2022,
        citations=(POVERTY_DECREE_07_2021,),
        basis="chuẩn nghèo đa chiều giai đoạn 2022–2025 theo Nghị định 07/2021/NĐ-CP",
    ),
    PovertyStandard(
        period="2022–2025 (áp dụng đến 31/12/2026)",
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        poverty_line=_LINES_2022,
        middle_line=_MIDDLE_2022,
        citations=(POVERTY_DECREE_07_2021, POVERTY_DECREE_351_2025),
        basis=(
            "chuẩn nghèo đa chiều giai đoạn 2022–2025 theo Nghị định 07/2021/NĐ-CP, "
            "còn hiệu lực đến 31/12/2026 theo Nghị định 351/2025/NĐ-CP"
        ),
    ),
    PovertyStandard(
        period="2027–2030",
        valid_from=date(2027, 1, 1),
        valid_to=date(2030, 12, 31),
        poverty_line={RURAL: 2_200_000, URBAN: 2_800_000},
        middle_line=None,
        citations=(POVERTY_DECREE_351_2025,),
        basis="chuẩn nghèo đa chiều giai đoạn 2027–2030 theo Nghị định 351/2025/NĐ-CP",
    ),
)


class NoStandardError(ValueError):
    """No poverty standard known to this module for the date asked about."""


def standard_on(day: date | None = None) -> PovertyStandard:
    """The standard in force on *day* (default: today).

    >>> standard_on(date(2026, 12, 31)).poverty_line["urban"]
    2000000
    """
    day = day or date.today()
    for standard in STANDARDS:
        if standard.covers(day):
            return standard
    raise NoStandardError(f"Chưa có dữ liệu chuẩn nghèo áp dụng cho ngày {day:%d/%m/%Y}.")


class IncomeCategory(Enum):
    """Where the income per person falls; the label is what the citizen reads."""

    POOR_OR_NEAR_POOR = "có thể thuộc hộ nghèo hoặc cận nghèo (tùy số chỉ số thiếu hụt)"
    MIDDLE = "có thể thuộc hộ có mức sống trung bình"
    ABOVE = "trên chuẩn"
    ABOVE_POVERTY_LINE = "trên chuẩn nghèo (chưa có chuẩn hộ có mức sống trung bình để so sánh)"


@dataclass(frozen=True)
class PovertyCheck:
    """Result of :func:`check_income`.

    ``income_per_person`` is rounded half-up to the đồng for display only; the comparison with
    the lines is exact (``household_income ≤ line × household_size``), so a household exactly at
    the line is never pushed over it by rounding.
    """

    on_date: date
    area: str
    household_size: int
    household_income: int
    income_per_person: int
    standard: PovertyStandard
    category: IncomeCategory

    @property
    def poverty_line(self) -> int:
        return self.standard.poverty_line[self.area]

    @property
    def middle_line(self) -> int | None:
        lines = self.standard.middle_line
        return lines[self.area] if lines else None

    @property
    def at_poverty_line(self) -> bool:
        return self.household_income == self.poverty_line * self.household_size


def check_income(
    household_size: int,
    monthly_household_income: int,
    area: str,
    *,
    on_date: date | None = None,
) -> PovertyCheck:
    """Compare the household's monthly income per person with the lines in force on *on_date*.

    >>> check_income(4, 5_000_000, "rural", on_date=date(2027, 3, 1)).poverty_line
    2200000
    """
    if household_size < 1:
        raise ValueError("household_size must be at least 1")
    if monthly_household_income < 0:
        raise ValueError("monthly_household_income must not be negative")
    if area not in AREA_NAMES:
        raise ValueError(f"area must be {RURAL!r} or {URBAN!r}")
    day = on_date or date.today()
    standard = standard_on(day)
    line = standard.poverty_line[area]
    if monthly_household_income <= line * household_size:
        category = IncomeCategory.POOR_OR_NEAR_POOR
    elif standard.middle_line is None:
        category = IncomeCategory.ABOVE_POVERTY_LINE
    elif monthly_household_income <= standard.middle_line[area] * household_size:
        category = IncomeCategory.MIDDLE
    else:
        category = IncomeCategory.ABOVE
    per_person = (Decimal(monthly_household_income) / household_size).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return PovertyCheck(
        on_date=day,
        area=area,
        household_size=household_size,
        household_income=monthly_household_income,
        income_per_person=int(per_person),
        standard=standard,
        category=category,
    )


def _per_month(amount: int) -> str:
    return f"{format_vnd(amount)}/người/tháng"


_CAVEAT = (
    "Chuẩn nghèo là đa chiều: ngoài thu nhập còn xét {count} chỉ số thiếu hụt dịch vụ xã hội cơ bản "
    "(về {dimensions}). Hộ có thu nhập như trên mà thiếu hụt từ {threshold} chỉ số trở lên là hộ "
    "nghèo; thiếu hụt dưới {threshold} chỉ số là hộ cận nghèo."
)
_WHO_DECIDES = (
    "Việc công nhận hộ nghèo, hộ cận nghèo do Ủy ban nhân dân cấp xã (UBND xã) quyết định qua rà "
    "soát hằng năm; kết quả tính ở đây chỉ để tham khảo. Muốn biết hộ mình đã được công nhận chưa, "
    "bạn có thể hỏi UBND xã."
)


def explain(check: PovertyCheck) -> str:
    """Plain-Vietnamese explanation of a :class:`PovertyCheck`.

    >>> text = explain(check_income(4, 5_000_000, "rural", on_date=date(2026, 11, 24)))
    >>> "1.250.000 đồng/người/tháng" in text and "31/12/2026" in text
    True
    """
    area = AREA_NAMES[check.area]
    line = check.poverty_line
    lines = [
        f"Thu nhập bình quân của hộ là {_per_month(check.income_per_person)} "
        f"({format_vnd(check.household_income)} chia cho {check.household_size} người)."
    ]
    standard = f"chuẩn nghèo ở {area} là {_per_month(line)} ({check.standard.basis})"
    if check.category is IncomeCategory.POOR_OR_NEAR_POOR:
        relation = "bằng" if check.at_poverty_line else "thấp hơn"
        lines.append(f"Mức này {relation} {standard}.")
        lines.append("Vì vậy hộ của bạn có thể thuộc hộ nghèo hoặc hộ cận nghèo.")
        lines.append(
            _CAVEAT.format(
                count=INDICATOR_COUNT, dimensions=", ".join(DIMENSIONS), threshold=INDICATOR_THRESHOLD
            )
        )
    elif check.category is IncomeCategory.ABOVE_POVERTY_LINE:
        lines.append(f"Mức này cao hơn {standard}.")
        lines.append(
            "Vì vậy, xét theo thu nhập, hộ của bạn không thuộc hộ nghèo hoặc hộ cận nghèo. Chưa có "
            f"thông tin về chuẩn hộ có mức sống trung bình giai đoạn {check.standard.period}."
        )
    else:
        middle = check.middle_line
        assert middle is not None
        lines.append(f"Mức này cao hơn {standard}.")
        if check.category is IncomeCategory.MIDDLE:
            lines.append(
                f"Mức này không quá {_per_month(middle)} nên hộ của bạn có thể thuộc hộ có mức sống "
                "trung bình, không thuộc hộ nghèo hoặc hộ cận nghèo."
            )
        else:
            lines.append(
                f"Mức này cũng cao hơn chuẩn hộ có mức sống trung bình ({_per_month(middle)}), "
                "nên hộ của bạn ở trên các chuẩn này."
            )
    lines.append(_WHO_DECIDES)
    return " ".join(lines)
