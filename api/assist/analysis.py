"""Eligibility checklist, poverty check and questions to ask, from the caller's words (pure).

Wraps :mod:`knowledge.rules`: ``facts_from_text`` → ``assess`` → ``next_question``, plus the
income test of the poverty standard when the household size and income were said.

>>> result = analyse("ba ay 70 tuoi, ho can ngheo, bi hang xom lan dat", on_date=date(2026, 11, 24))
>>> result.eligibility["status"], result.eligibility["matches"][0]["clause"]
('eligible', 'điểm c khoản 7 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14')
>>> poverty = analyse("nha 4 nguoi o nong thon thu nhap 5 trieu", on_date=date(2026, 11, 24)).poverty
>>> poverty["income_per_person"]
1250000
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from api.assist.draft import group_code, group_label, topic_field
from knowledge.rules import (
    EligibilityFacts,
    EligibilityResult,
    assess,
    check_income,
    explain,
    facts_from_text,
    format_vnd,
    next_question,
    parse_area,
    parse_household_size,
    parse_vnd,
    standard_on,
)
from knowledge.rules.facts import FACT_LABELS, FIELD_LABELS, AgeGroup
from knowledge.rules.poverty import AREA_NAMES, NoStandardError
from knowledge.text import fold

__all__ = ["Analysis", "analyse"]

MAX_QUESTIONS = 3

# "What we know" lines of the checklist: (said to hold, said not to hold).
_KNOWN_TEXT: dict[str, tuple[str, str]] = {
    "revolutionary_merit": ("Là người có công với cách mạng", "Không phải người có công với cách mạng"),
    "poor_household": ("Thuộc hộ nghèo", "Không thuộc hộ nghèo"),
    "near_poor_household": ("Thuộc hộ cận nghèo", "Không thuộc hộ cận nghèo"),
    "monthly_social_allowance": (
        "Đang hưởng trợ cấp xã hội hằng tháng", "Không hưởng trợ cấp xã hội hằng tháng"
    ),
    "child": ("Là trẻ em (dưới 16 tuổi)", "Không phải trẻ em"),
    "elderly": ("Là người cao tuổi (từ đủ 60 tuổi)", "Không phải người cao tuổi"),
    "ethnic_minority": ("Là người dân tộc thiểu số", "Không phải người dân tộc thiểu số"),
    "lives_in_disadvantaged_area": ("Sống ở vùng đặc biệt khó khăn", "Không sống ở vùng đặc biệt khó khăn"),
    "accused": ("Là người bị buộc tội", "Không phải người bị buộc tội"),
    "victim_in_criminal_case": ("Là bị hại trong vụ án hình sự", "Không phải bị hại trong vụ án hình sự"),
    "martyr_relative": ("Là thân nhân liệt sĩ", "Không phải thân nhân liệt sĩ"),
    "agent_orange": ("Nhiễm chất độc da cam", "Không nhiễm chất độc da cam"),
    "disability": ("Là người khuyết tật", "Không phải người khuyết tật"),
    "domestic_violence_victim": ("Là nạn nhân bạo lực gia đình", "Không phải nạn nhân bạo lực gia đình"),
    "trafficking_victim": ("Là nạn nhân mua bán người", "Không phải nạn nhân mua bán người"),
    "hiv": ("Nhiễm HIV", "Không nhiễm HIV"),
    "concrete_matter_directly_concerning": (
        "Có vụ việc cụ thể cần giúp", "Chưa có vụ việc cụ thể (chỉ tìm hiểu)"
    ),
}
_AGE_GROUP_TEXT = {
    AgeGroup.UNDER_16: "Dưới 16 tuổi",
    AgeGroup.FROM_16_TO_UNDER_18: "Từ đủ 16 đến dưới 18 tuổi",
    AgeGroup.FROM_18_TO_UNDER_60: "Từ 18 đến dưới 60 tuổi",
    AgeGroup.FROM_60: "Từ đủ 60 tuổi trở lên",
}
_POVERTY_WORDS = re.compile(r"\b(?:chuan ngheo|thu nhap|ho ngheo|can ngheo|muc song|binh quan)\b")


@dataclass(frozen=True)
class Analysis:
    facts: EligibilityFacts
    result: EligibilityResult
    eligibility: dict[str, Any]
    poverty: dict[str, Any] | None
    suggested_questions: list[str]
    eligibility_group: str | None
    topic: str | None


def _known(facts: EligibilityFacts) -> tuple[dict[str, Any], list[str]]:
    """JSON values of the known facts and the checklist lines the operator reads."""
    values: dict[str, Any] = {}
    lines: list[str] = []
    if facts.subject:
        values["subject"] = facts.subject
        lines.append(f"Người cần giúp: {facts.subject} của người gọi")
    if facts.age is not None:
        values["age"] = facts.age
        lines.append(f"{facts.age} tuổi")
    elif facts.age_group is not None:
        values["age_group"] = facts.age_group.value
        lines.append(_AGE_GROUP_TEXT[facts.age_group])
    for fact, (yes, no) in _KNOWN_TEXT.items():
        value = getattr(facts, fact)
        if value is None or (fact in ("child", "elderly") and facts.age is not None):
            continue
        values[fact] = value
        lines.append(yes if value else no)
    if facts.field:
        values["field"] = facts.field
        lines.append(f"Lĩnh vực: {FIELD_LABELS.get(facts.field, facts.field)}")
    return values, lines


def _missing_text(fact: str) -> str:
    label = FACT_LABELS.get(fact, fact)
    return label[:1].upper() + label[1:] + "?"


def _eligibility(result: EligibilityResult) -> dict[str, Any]:
    known, known_lines = _known(result.facts)
    return {
        "status": result.status.value,
        "explanation": result.explanation,
        "matches": [
            {
                "route": match.route,
                "clause": match.citations[0].label(),
                "reason": match.reason,
                "group": group_code(match.route),
                "group_label": group_label(group_code(match.route)),
                "citations": [c.label() for c in match.citations],
            }
            for match in result.matches
        ],
        "known": known,
        "known_text": known_lines,
        "missing": [_missing_text(f) for f in result.missing],
        "missing_facts": list(result.missing),
        "citations": [c.label() for c in result.citations],
        "other_help": [{"title": h.title, "description": h.description} for h in result.other_help],
    }


def _questions(result: EligibilityResult) -> list[str]:
    asked: list[str] = []
    texts: list[str] = []
    while len(texts) < MAX_QUESTIONS:
        question = next_question(result, asked=asked)
        if question is None:
            break
        asked.append(question.key)
        texts.append(question.text)
    return texts


def _poverty(
    text: str, intent: str, on_date: date, facts: EligibilityFacts
) -> tuple[dict[str, Any] | None, list[str]]:
    """The income check when size and income were said; the poverty questions still to ask
    (none once the caller said whether the household is poor or near-poor)."""
    size, income, area = parse_household_size(text), parse_vnd(text), parse_area(text)
    status_known = facts.poor_household is not None or facts.near_poor_household is not None
    asking = not status_known and (
        intent == "ask_poverty_standard"
        or any(v is not None for v in (size, income))
        or bool(_POVERTY_WORDS.search(" ".join(re.findall(r"\w+", fold(text)))))
    )
    questions: list[str] = []
    if asking:
        if size is None:
            questions.append("Hộ gia đình của người gọi có bao nhiêu người (nhân khẩu)?")
        if income is None:
            questions.append("Tổng thu nhập mỗi tháng của cả hộ khoảng bao nhiêu tiền?")
        if area is None:
            questions.append("Gia đình sống ở nông thôn hay thành thị (phường, thị trấn)?")
    if size is None or income is None:
        return None, questions
    try:
        check = check_income(size, income, area or "rural", on_date=on_date)
    except (ValueError, NoStandardError):
        return None, questions
    lines = check.standard.poverty_line
    poverty: dict[str, Any] = {
        "household_size": size,
        "household_income": income,
        "income_per_person": check.income_per_person,
        "income_per_person_text": f"{format_vnd(check.income_per_person)}/người/tháng",
        "area": area,
        "area_name": AREA_NAMES.get(area or "", None),
        "poverty_line": lines[area] if area else None,
        "poverty_lines": dict(lines),
        "period": check.standard.period,
        "category": check.category.name.lower() if area else None,
        "category_text": check.category.value if area else None,
        "citations": [c.label() for c in check.standard.citations],
    }
    if area:
        poverty["explanation"] = explain(check)
    else:
        poverty["explanation"] = (
            f"Thu nhập bình quân của hộ là {format_vnd(check.income_per_person)}/người/tháng "
            f"({format_vnd(income)} chia cho {size} người). Chuẩn nghèo về thu nhập "
            f"({standard_on(on_date).basis}): {format_vnd(lines['rural'])}/người/tháng ở nông thôn, "
            f"{format_vnd(lines['urban'])}/người/tháng ở thành thị. Cần hỏi thêm gia đình sống ở "
            "nông thôn hay thành thị."
        )
    return poverty, questions


def analyse(text: str, *, on_date: date, intent: str = "unknown") -> Analysis:
    facts = facts_from_text(text)
    if facts.field is None:
        extra = topic_field(text)
        if extra is not None:
            facts = replace(facts, field=extra)
    result = assess(facts)
    poverty, poverty_questions = _poverty(text, intent, on_date, facts)
    questions = _questions(result)
    questions += [q for q in poverty_questions if q not in questions]
    code = group_code(result.matches[0].route) if result.matches else None
    return Analysis(
        facts=facts,
        result=result,
        eligibility=_eligibility(result),
        poverty=poverty,
        suggested_questions=questions,
        eligibility_group=code,
        topic=facts.field,  # a TOPICS code of knowledge.vocabulary
    )
