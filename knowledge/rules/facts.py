"""What we know about the person who needs legal aid; ``None`` always means "not known yet".

>>> facts = EligibilityFacts(poor_household=True)
>>> facts.merge(EligibilityFacts(age=70)).age
70
>>> age_flags(EligibilityFacts(age=15))
(True, False, False)
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import Enum
from typing import Any

from knowledge.vocabulary import TOPICS

__all__ = [
    "BUSINESS_FIELD",
    "FACT_LABELS",
    "FIELD_LABELS",
    "AgeGroup",
    "EligibilityFacts",
    "age_flags",
    "tri_and",
    "tri_or",
]

# Lĩnh vực (field of law) codes the rule engine reads (knowledge.vocabulary TOPICS, in sentence
# case). Only BUSINESS_FIELD changes the outcome (Điều 27 khoản 1).
BUSINESS_FIELD = "kinh_doanh_thuong_mai"
_RULE_FIELDS = (
    BUSINESS_FIELD, "dat_dai", "hon_nhan_gia_dinh", "hinh_su", "dan_su", "lao_dong", "hanh_chinh", "khac",
)
FIELD_LABELS: dict[str, str] = {
    code: label[:1].lower() + label[1:] for code in _RULE_FIELDS if (label := TOPICS.label(code))
}


class AgeGroup(Enum):
    """Age bands that matter for Điều 7 (trẻ em < 16; 16 ≤ tuổi < 18; người cao tuổi ≥ 60)."""

    UNDER_16 = "under_16"
    FROM_16_TO_UNDER_18 = "16_to_under_18"
    FROM_18_TO_UNDER_60 = "18_to_under_60"
    FROM_60 = "60_and_over"

    @classmethod
    def of(cls, age: int) -> AgeGroup:
        """The band of an age in whole years.

        >>> AgeGroup.of(16).value
        '16_to_under_18'
        """
        if age < 16:
            return cls.UNDER_16
        if age < 18:
            return cls.FROM_16_TO_UNDER_18
        if age < 60:
            return cls.FROM_18_TO_UNDER_60
        return cls.FROM_60


@dataclass(frozen=True)
class EligibilityFacts:
    """Facts about the person who needs help (the citizen or the relative named in ``subject``).

    Every field is optional: ``None`` = unknown, ``False`` = known not to hold.
    ``age`` wins over ``age_group``, which wins over the ``child``/``elderly`` statements.
    ``ruled_out`` holds Điều 7 routes the citizen excluded as a whole (e.g. "4" after answering
    "Khác" to a list containing "Người dân tộc thiểu số ở vùng đặc biệt khó khăn").
    """

    revolutionary_merit: bool | None = None  # người có công với cách mạng (khoản 1)
    poor_household: bool | None = None  # hộ nghèo (khoản 2)
    near_poor_household: bool | None = None  # hộ cận nghèo (khoản 6, khoản 7 via NĐ 144)
    monthly_social_allowance: bool | None = None  # đang hưởng trợ cấp xã hội hằng tháng
    age: int | None = None
    age_group: AgeGroup | None = None
    child: bool | None = None  # trẻ em, dưới 16 tuổi (khoản 3)
    elderly: bool | None = None  # người cao tuổi, từ đủ 60 tuổi (điểm c khoản 7)
    ethnic_minority: bool | None = None  # người dân tộc thiểu số (khoản 4)
    lives_in_disadvantaged_area: bool | None = None  # vùng đặc biệt khó khăn (khoản 4)
    accused: bool | None = None  # người bị buộc tội (khoản 5, 6)
    victim_in_criminal_case: bool | None = None  # bị hại trong vụ án hình sự (điểm đ khoản 7)
    martyr_relative: bool | None = None  # thân nhân liệt sĩ (điểm a khoản 7)
    agent_orange: bool | None = None  # nhiễm chất độc da cam (điểm b khoản 7)
    disability: bool | None = None  # người khuyết tật (điểm d khoản 7)
    domestic_violence_victim: bool | None = None  # nạn nhân bạo lực gia đình (điểm e khoản 7)
    trafficking_victim: bool | None = None  # nạn nhân mua bán người (điểm g khoản 7)
    hiv: bool | None = None  # người nhiễm HIV (điểm h khoản 7)
    field: str | None = None  # lĩnh vực, one of FIELD_LABELS (Điều 27)
    concrete_matter_directly_concerning: bool | None = None  # vụ việc cụ thể (Điều 30)
    subject: str | None = None  # who needs help when not the writer: "mẹ", "con", "bố"...
    ruled_out: tuple[str, ...] = ()

    def known(self) -> dict[str, Any]:
        """Only the fields that are known."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not None and getattr(self, f.name) != ()
        }

    def merge(self, newer: EligibilityFacts) -> EligibilityFacts:
        """Facts from a newer message override older ones; unknown newer facts keep older ones."""
        changes = newer.known()
        if "ruled_out" in changes:
            changes["ruled_out"] = tuple(dict.fromkeys(self.ruled_out + newer.ruled_out))
        return replace(self, **changes)


FACT_LABELS: dict[str, str] = {
    "revolutionary_merit": "có phải người có công với cách mạng không",
    "poor_household": "có thuộc hộ nghèo không",
    "near_poor_household": "có thuộc hộ cận nghèo không",
    "monthly_social_allowance": (
        "có đang hưởng trợ cấp xã hội hằng tháng không (không tính lương hưu, trợ cấp người có công)"
    ),
    "age": "bao nhiêu tuổi",
    "ethnic_minority": "có phải người dân tộc thiểu số không",
    "lives_in_disadvantaged_area": "có sống ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn không",
    "accused": "có phải người bị buộc tội (bị bắt, bị tạm giữ, bị can, bị cáo) không",
    "victim_in_criminal_case": "có phải bị hại trong vụ án hình sự không",
    "martyr_relative": "có phải cha đẻ, mẹ đẻ, vợ, chồng, con hoặc người nuôi dưỡng liệt sĩ không",
    "agent_orange": "có bị nhiễm chất độc da cam không",
    "disability": "có phải người khuyết tật không",
    "domestic_violence_victim": "có phải nạn nhân bạo lực gia đình không",
    "trafficking_victim": "có phải nạn nhân của hành vi mua bán người không",
    "hiv": "có nhiễm HIV không",
    "field": "việc cần giúp thuộc lĩnh vực nào",
    "concrete_matter_directly_concerning": (
        "có vụ việc cụ thể liên quan trực tiếp đến quyền lợi của mình không"
    ),
}

def tri_and(*values: bool | None) -> bool | None:
    """Three-valued AND: False if any is False, True if all are True, else None."""
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def tri_or(*values: bool | None) -> bool | None:
    """Three-valued OR: True if any is True, False if all are False, else None."""
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


def age_flags(facts: EligibilityFacts) -> tuple[bool | None, bool | None, bool | None]:
    """(trẻ em dưới 16, từ đủ 16 đến dưới 18, người cao tuổi từ đủ 60) as three-valued flags.

    >>> age_flags(EligibilityFacts(elderly=True))
    (False, False, True)
    >>> age_flags(EligibilityFacts())
    (None, None, None)
    """
    band = AgeGroup.of(facts.age) if facts.age is not None else facts.age_group
    if band is not None:
        return (
            band is AgeGroup.UNDER_16,
            band is AgeGroup.FROM_16_TO_UNDER_18,
            band is AgeGroup.FROM_60,
        )
    child, elderly = facts.child, facts.elderly
    if child is True:
        elderly = False
    if elderly is True:
        child = False
    minor = False if (child is True or elderly is True) else None
    return child, minor, elderly
