"""The next question to ask, with buttons, and how a button answer updates the facts.

Button values are small self-contained strings the bot sends back as payload:
``"group=disability"``, ``"group=none"`` (Khác), ``"financial=none"``, ``"age_group=under_16"``,
``"field=dat_dai"``, ``"accused=yes"`` / ``"accused=no"``, ``"unknown"`` (Không rõ).

>>> from knowledge.rules.eligibility import assess
>>> question = next_question(assess(EligibilityFacts()))
>>> question.key, question.options[0].title
('group', 'Hộ nghèo')
>>> apply_answer(EligibilityFacts(), "group=disability").disability
True
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from knowledge.rules.facts import FACT_LABELS, FIELD_LABELS, AgeGroup, EligibilityFacts
from knowledge.rules.result import EligibilityResult, Status

__all__ = [
    "GROUP_OPTIONS",
    "KHOAN_7_OPTIONS",
    "Option",
    "Question",
    "apply_answer",
    "next_question",
]


@dataclass(frozen=True)
class Option:
    """A button: what the citizen reads and the payload the bot sends back."""

    title: str
    value: str


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[Option, ...]
    facts: tuple[str, ...]


# What choosing a group sets, and what "Khác" (none of the listed groups) rules out.
_GROUP_SETS: dict[str, dict[str, Any]] = {
    "poor_household": {"poor_household": True, "near_poor_household": False},
    "near_poor_household": {"near_poor_household": True, "poor_household": False},
    "revolutionary_merit": {"revolutionary_merit": True},
    "child": {"child": True, "elderly": False},
    "ethnic_minority_disadvantaged_area": {"ethnic_minority": True, "lives_in_disadvantaged_area": True},
    "accused": {"accused": True},
    "elderly": {"elderly": True, "child": False},
    "disability": {"disability": True},
    "domestic_violence_victim": {"domestic_violence_victim": True},
    "trafficking_victim": {"trafficking_victim": True},
    "hiv": {"hiv": True},
    "agent_orange": {"agent_orange": True},
    "martyr_relative": {"martyr_relative": True},
    "victim_16_18": {"victim_in_criminal_case": True, "age_group": AgeGroup.FROM_16_TO_UNDER_18},
    "monthly_social_allowance": {"monthly_social_allowance": True},
}
# Groups that are two facts at once: "Khác" rules out the whole clause, not either fact.
_GROUP_RULES_OUT = {"ethnic_minority_disadvantaged_area": "4", "victim_16_18": "7đ"}

GROUP_OPTIONS: tuple[Option, ...] = (
    Option("Hộ nghèo", "group=poor_household"),
    Option("Hộ cận nghèo", "group=near_poor_household"),
    Option("Người có công với cách mạng", "group=revolutionary_merit"),
    Option("Trẻ em (dưới 16 tuổi)", "group=child"),
    Option("Người dân tộc thiểu số ở vùng đặc biệt khó khăn", "group=ethnic_minority_disadvantaged_area"),
    Option("Người bị buộc tội (bị bắt, tạm giữ, bị can, bị cáo)", "group=accused"),
    Option("Người cao tuổi (từ 60 tuổi)", "group=elderly"),
    Option("Người khuyết tật", "group=disability"),
    Option("Nạn nhân bạo lực gia đình", "group=domestic_violence_victim"),
    Option("Nạn nhân bị mua bán người", "group=trafficking_victim"),
    Option("Người nhiễm HIV", "group=hiv"),
    Option("Người nhiễm chất độc da cam", "group=agent_orange"),
    Option("Cha mẹ đẻ, vợ/chồng, con liệt sĩ; người nuôi liệt sĩ khi nhỏ", "group=martyr_relative"),
    Option("Bị hại trong vụ án hình sự (16 đến dưới 18 tuổi)", "group=victim_16_18"),
    Option("Đang hưởng trợ cấp xã hội hằng tháng", "group=monthly_social_allowance"),
    Option("Khác", "group=none"),
)
# Trợ cấp xã hội hằng tháng (NĐ 144/2017 Điều 2; who gets it: Điều 5 NĐ 20/2021/NĐ-CP) is not a
# pension nor a merit allowance: said whenever the allowance is asked, since people confuse them.
SOCIAL_ALLOWANCE_HINT = (
    "(Trợ cấp xã hội hằng tháng theo Nghị định số 20/2021/NĐ-CP dành cho trẻ mồ côi, người khuyết tật "
    "nặng, người từ đủ 80 tuổi không có lương hưu...; lương hưu hay trợ cấp người có công không tính.)"
)
_FINANCIAL_VALUES = {"group=poor_household", "group=near_poor_household", "group=monthly_social_allowance"}
# Asked once financial difficulty is known: the groups for which it matters (khoản 7, khoản 6)
# and the groups that need no financial condition.
KHOAN_7_OPTIONS: tuple[Option, ...] = tuple(o for o in GROUP_OPTIONS if o.value not in _FINANCIAL_VALUES)

_YES_NO = (Option("Có", "{fact}=yes"), Option("Không", "{fact}=no"), Option("Không rõ", "unknown"))
_PERSON_FACTS = frozenset(
    {
        "revolutionary_merit", "poor_household", "near_poor_household", "monthly_social_allowance",
        "age", "ethnic_minority", "lives_in_disadvantaged_area", "accused", "victim_in_criminal_case",
        "martyr_relative", "agent_orange", "disability", "domestic_violence_victim",
        "trafficking_victim", "hiv",
    }
)
_GROUP_FACTS = _PERSON_FACTS - {"poor_household", "near_poor_household", "monthly_social_allowance"}
_KEY_OF_FACT = {
    "poor_household": "financial",
    "near_poor_household": "financial",
    "monthly_social_allowance": "financial",
    "age": "age",
    "field": "field",
    "concrete_matter_directly_concerning": "concrete_matter",
}


def _who(facts: EligibilityFacts) -> str:
    return f"{facts.subject} của bạn" if facts.subject else "bạn"


def _knows_group(facts: EligibilityFacts) -> bool:
    """True once the citizen has told us anything about which group they belong to."""
    return (
        any(getattr(facts, f) is True for f in _PERSON_FACTS if f != "age")
        or facts.age is not None
        or facts.age_group is not None
        or facts.child is True
        or facts.elderly is True
    )


def _financial_known(facts: EligibilityFacts) -> bool:
    return facts.near_poor_household is True or facts.monthly_social_allowance is True


def _only_financial_known(facts: EligibilityFacts) -> bool:
    others = replace(facts, near_poor_household=None, monthly_social_allowance=None, poor_household=None)
    return _financial_known(facts) and not _knows_group(others)


def _build(key: str, facts: EligibilityFacts) -> Question:
    who = _who(facts)
    Who = who[:1].upper() + who[1:]
    if key == "group":
        return Question(
            key,
            f"{Who if facts.subject else 'Bạn (hoặc người cần giúp)'} thuộc nhóm nào dưới đây? "
            "Chọn nhóm đúng nhất.",
            GROUP_OPTIONS, tuple(sorted(_PERSON_FACTS)),
        )
    if key == "k7_group":
        return Question(
            key,
            "Hộ cận nghèo hoặc trợ cấp xã hội hằng tháng chỉ là điều kiện về tài chính. "
            f"{Who} có thuộc nhóm nào dưới đây không?",
            KHOAN_7_OPTIONS, tuple(sorted(_GROUP_FACTS)),
        )
    if key == "financial":
        return Question(
            key,
            f"Gia đình {who} có thuộc hộ nghèo, hộ cận nghèo không, hoặc {who} có đang nhận trợ cấp "
            f"xã hội hằng tháng không? {SOCIAL_ALLOWANCE_HINT}",
            (
                Option("Hộ nghèo", "group=poor_household"),
                Option("Hộ cận nghèo", "group=near_poor_household"),
                Option("Đang nhận trợ cấp xã hội hằng tháng", "group=monthly_social_allowance"),
                Option("Không thuộc trường hợp nào", "financial=none"),
                Option("Không rõ", "unknown"),
            ),
            ("poor_household", "near_poor_household", "monthly_social_allowance"),
        )
    if key == "age":
        return Question(
            key, f"{Who} bao nhiêu tuổi?",
            (
                Option("Dưới 16 tuổi", f"age_group={AgeGroup.UNDER_16.value}"),
                Option("Từ 16 đến dưới 18 tuổi", f"age_group={AgeGroup.FROM_16_TO_UNDER_18.value}"),
                Option("Từ 18 đến dưới 60 tuổi", f"age_group={AgeGroup.FROM_18_TO_UNDER_60.value}"),
                Option("Từ 60 tuổi trở lên", f"age_group={AgeGroup.FROM_60.value}"),
            ),
            ("age",),
        )
    if key == "field":
        options = [
            Option(label[:1].upper() + label[1:], f"field={code}") for code, label in FIELD_LABELS.items()
        ]
        options.append(Option("Chỉ muốn tìm hiểu pháp luật", "concrete_matter_directly_concerning=no"))
        return Question(key, f"Việc {who} cần giúp thuộc loại nào?", tuple(options), ("field",))
    if key == "concrete_matter":
        return Question(
            key,
            f"{Who} có đang gặp một việc cụ thể (tranh chấp, vụ án, bị xâm phạm quyền lợi...) cần "
            "giúp không?",
            (
                Option("Có", "concrete_matter_directly_concerning=yes"),
                Option("Không, chỉ muốn tìm hiểu", "concrete_matter_directly_concerning=no"),
            ),
            ("concrete_matter_directly_concerning",),
        )
    if key == "ethnic_minority":
        text = f"{Who} có phải là người dân tộc thiểu số (như Tày, Thái, Mường, Mông, Khmer...) không?"
    elif key == "lives_in_disadvantaged_area":
        text = (
            f"{Who} có đang sống ở xã, thôn, bản thuộc vùng đặc biệt khó khăn không? "
            "Nếu chưa rõ, bạn có thể hỏi cán bộ xã."
        )
    elif key == "accused":
        text = f"{Who} có đang bị bắt, bị tạm giữ, hoặc là bị can, bị cáo trong một vụ án hình sự không?"
    else:
        text = f"{Who} {FACT_LABELS[key]}?"
    return Question(key, text, tuple(Option(o.title, o.value.format(fact=key)) for o in _YES_NO), (key,))


def _candidate_keys(fact: str, facts: EligibilityFacts) -> list[str]:
    keys = []
    if fact in _PERSON_FACTS and not _knows_group(facts):
        keys.append("group")
    elif fact in _GROUP_FACTS and _only_financial_known(facts):
        keys.append("k7_group")
    keys.append(_KEY_OF_FACT.get(fact, fact))
    return keys


def next_question(result: EligibilityResult, *, asked: Collection[str] = ()) -> Question | None:
    """The single most useful question, or None when nothing is left to ask.

    *asked* holds question keys already asked, so a "Không rõ" answer does not loop.

    >>> from knowledge.rules.eligibility import assess
    >>> next_question(assess(EligibilityFacts(age=70))).key
    'financial'
    >>> next_question(assess(EligibilityFacts(near_poor_household=True))).key
    'k7_group'
    """
    if result.status is Status.NOT_ELIGIBLE:
        return None
    for fact in result.missing:
        for key in _candidate_keys(fact, result.facts):
            if key not in asked:
                return _build(key, result.facts)
    return None


def _set_unknown(facts: EligibilityFacts, values: dict[str, Any]) -> EligibilityFacts:
    return replace(facts, **{k: v for k, v in values.items() if getattr(facts, k) is None})


def apply_answer(
    facts: EligibilityFacts, value: str, question: Question | None = None
) -> EligibilityFacts:
    """Facts updated with a button answer (*question* is needed only for "Khác" = ``group=none``).

    >>> apply_answer(EligibilityFacts(), "age_group=60_and_over").age_group.value
    '60_and_over'
    >>> apply_answer(EligibilityFacts(), "group=none").disability
    False
    """
    if value == "unknown" or "=" not in value:
        return facts
    name, answer = value.split("=", 1)
    if name == "group" and answer == "none":
        options = question.options if question is not None else GROUP_OPTIONS
        for option in options:
            group = option.value.removeprefix("group=")
            if group == "none" or group not in _GROUP_SETS:
                continue
            if group in _GROUP_RULES_OUT:
                facts = replace(facts, ruled_out=(*facts.ruled_out, _GROUP_RULES_OUT[group]))
            else:
                facts = _set_unknown(facts, {k: False for k, v in _GROUP_SETS[group].items() if v is True})
        return facts
    if name == "group":
        return replace(facts, **_GROUP_SETS[answer])
    if name == "financial" and answer == "none":
        return _set_unknown(
            facts, {"poor_household": False, "near_poor_household": False, "monthly_social_allowance": False}
        )
    if name == "age_group":
        return replace(facts, age_group=AgeGroup(answer), age=None)
    if name == "field":
        return replace(facts, field=answer)
    if answer in ("yes", "no"):
        return replace(facts, **{name: answer == "yes"})
    raise ValueError(f"unknown answer value: {value!r}")
