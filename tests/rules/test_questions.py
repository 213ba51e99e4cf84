"""next_question() and apply_answer(): the dialogue the bot and the hotline console drive."""

from __future__ import annotations

import pytest

from knowledge.rules.eligibility import (
    GROUP_OPTIONS,
    EligibilityFacts,
    Refusal,
    Status,
    apply_answer,
    assess,
    next_question,
)
from knowledge.rules.facts import BUSINESS_FIELD, AgeGroup
from knowledge.rules.questions import KHOAN_7_OPTIONS, Option


def test_group_options_titles() -> None:
    titles = [o.title for o in GROUP_OPTIONS]
    for title in (
        "Hộ nghèo",
        "Hộ cận nghèo",
        "Người có công với cách mạng",
        "Trẻ em (dưới 16 tuổi)",
        "Người dân tộc thiểu số ở vùng đặc biệt khó khăn",
        "Người cao tuổi (từ 60 tuổi)",
        "Người khuyết tật",
        "Nạn nhân bạo lực gia đình",
        "Khác",
    ):
        assert title in titles
    assert titles[-1] == "Khác"
    assert len({o.value for o in GROUP_OPTIONS}) == len(GROUP_OPTIONS)
    assert all(isinstance(o, Option) and o.value.startswith("group=") for o in GROUP_OPTIONS)


def test_every_group_option_can_be_applied() -> None:
    for option in GROUP_OPTIONS:
        facts = apply_answer(EligibilityFacts(), option.value)
        assert facts != EligibilityFacts(), option.title


NEXT = [
    # (facts, question key)
    (EligibilityFacts(), "group"),
    (EligibilityFacts(age=70), "financial"),
    (EligibilityFacts(disability=True), "financial"),
    (EligibilityFacts(near_poor_household=True), "k7_group"),
    (EligibilityFacts(monthly_social_allowance=True), "k7_group"),
    (EligibilityFacts(ethnic_minority=True), "lives_in_disadvantaged_area"),
    (EligibilityFacts(lives_in_disadvantaged_area=True), "ethnic_minority"),
    (EligibilityFacts(accused=True), "age"),
    (EligibilityFacts(accused=True, age=30), "financial"),
    (EligibilityFacts(poor_household=True), "field"),
    (EligibilityFacts(poor_household=True, field="dat_dai"), "concrete_matter"),
    (EligibilityFacts(near_poor_household=True, disability=True), "field"),
]


@pytest.mark.parametrize(("facts", "key"), NEXT)
def test_next_question(facts: EligibilityFacts, key: str) -> None:
    question = next_question(assess(facts))
    assert question is not None
    assert question.key == key
    assert "?" in question.text
    assert question.options


def test_near_poor_asks_for_khoan_7_groups_or_accused() -> None:
    question = next_question(assess(EligibilityFacts(near_poor_household=True)))
    assert question is not None and question.options == KHOAN_7_OPTIONS
    titles = [o.title for o in question.options]
    assert "Người bị buộc tội (bị bắt, tạm giữ, bị can, bị cáo)" in titles
    assert "Người khuyết tật" in titles
    assert "Hộ cận nghèo" not in titles and "Hộ nghèo" not in titles
    assert "điều kiện về tài chính" in question.text


def test_no_question_when_decided() -> None:
    assert next_question(assess(EligibilityFacts(field=BUSINESS_FIELD))) is None
    done = EligibilityFacts(poor_household=True, field="dat_dai", concrete_matter_directly_concerning=True)
    assert next_question(assess(done)) is None


def test_asked_questions_are_skipped() -> None:
    result = assess(EligibilityFacts())
    first = next_question(result)
    second = next_question(result, asked={"group"})
    assert first is not None and second is not None
    assert first.key == "group" and second.key != "group"


def test_subject_in_question_text() -> None:
    question = next_question(assess(EligibilityFacts(age=70, subject="mẹ")))
    assert question is not None
    assert "mẹ của bạn" in question.text


def test_yes_no_question_values() -> None:
    question = next_question(assess(EligibilityFacts(ethnic_minority=True)))
    assert question is not None
    assert [o.value for o in question.options] == [
        "lives_in_disadvantaged_area=yes",
        "lives_in_disadvantaged_area=no",
        "unknown",
    ]


APPLY = [
    # (value, attribute, expected)
    ("group=poor_household", "poor_household", True),
    ("group=near_poor_household", "near_poor_household", True),
    ("group=near_poor_household", "poor_household", False),
    ("group=child", "child", True),
    ("group=elderly", "elderly", True),
    ("group=ethnic_minority_disadvantaged_area", "lives_in_disadvantaged_area", True),
    ("group=victim_16_18", "age_group", AgeGroup.FROM_16_TO_UNDER_18),
    ("group=monthly_social_allowance", "monthly_social_allowance", True),
    ("financial=none", "near_poor_household", False),
    ("age_group=60_and_over", "age_group", AgeGroup.FROM_60),
    ("field=dat_dai", "field", "dat_dai"),
    ("accused=yes", "accused", True),
    ("accused=no", "accused", False),
    ("concrete_matter_directly_concerning=no", "concrete_matter_directly_concerning", False),
    ("unknown", "accused", None),
]


@pytest.mark.parametrize(("value", "attribute", "expected"), APPLY)
def test_apply_answer(value: str, attribute: str, expected: object) -> None:
    assert getattr(apply_answer(EligibilityFacts(), value), attribute) == expected


def test_apply_answer_rejects_unknown_values() -> None:
    with pytest.raises(ValueError):
        apply_answer(EligibilityFacts(), "accused=maybe")


def _run(answers: list[str], facts: EligibilityFacts | None = None) -> tuple[EligibilityFacts, list[str]]:
    """Answer the questions in order; returns the facts and the keys asked."""
    facts = facts or EligibilityFacts()
    keys = []
    for answer in answers:
        question = next_question(assess(facts))
        assert question is not None, keys
        assert answer in {o.value for o in question.options}, (question.key, answer)
        keys.append(question.key)
        facts = apply_answer(facts, answer, question)
    return facts, keys


def test_dialogue_elderly_near_poor() -> None:
    facts, keys = _run(
        [
            "group=elderly",
            "group=near_poor_household",
            "field=dat_dai",
            "concrete_matter_directly_concerning=yes",
        ]
    )
    assert keys == ["group", "financial", "field", "concrete_matter"]
    result = assess(facts)
    assert result.status is Status.ELIGIBLE
    assert [(m.clause, m.point) for m in result.matches] == [("7", "c")]
    assert next_question(result) is None


def test_dialogue_none_of_the_groups() -> None:
    facts, _ = _run(["group=none"])
    result = assess(facts)
    assert result.status is Status.NOT_ELIGIBLE
    assert result.refusal is Refusal.NOT_IN_GROUP


def test_dialogue_near_poor_then_other() -> None:
    facts, keys = _run(["group=near_poor_household", "group=none"])
    assert keys == ["group", "k7_group"]
    result = assess(facts)
    assert result.status is Status.NOT_ELIGIBLE
    assert "riêng việc thuộc hộ cận nghèo thì chưa đủ" in result.explanation


def test_dialogue_near_poor_accused() -> None:
    facts, _ = _run(["group=near_poor_household", "group=accused"])
    result = assess(facts)
    assert [(m.clause, m.point) for m in result.matches] == [("6", None)]


def test_dialogue_disability_without_money_help() -> None:
    facts, keys = _run(["group=disability", "financial=none"])
    assert keys == ["group", "financial"]
    result = assess(facts)
    assert result.status is Status.NEED_MORE_INFO  # other groups still open (age, merit...)
    assert "near_poor_household" not in result.missing


def test_dialogue_business_field() -> None:
    facts, _ = _run(["group=poor_household", f"field={BUSINESS_FIELD}"])
    result = assess(facts)
    assert result.status is Status.NOT_ELIGIBLE
    assert result.refusal is Refusal.BUSINESS_FIELD


def test_dialogue_only_wants_to_learn() -> None:
    facts, _ = _run(["group=poor_household", "concrete_matter_directly_concerning=no"])
    assert assess(facts).refusal is Refusal.NO_CONCRETE_MATTER


def test_group_question_for_a_relative() -> None:
    question = next_question(assess(EligibilityFacts(subject="con")))
    assert question is not None and question.key == "group"
    assert question.text.startswith("Con của bạn thuộc nhóm nào")
