"""assess(): every clause of Điều 7, the financial condition of NĐ 144/2017 Điều 2, Điều 27, Điều 30."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from knowledge.rules.citations import (
    TGPL_ARTICLE_7,
    TGPL_ARTICLE_27,
    TGPL_ARTICLE_30,
    TGPL_DECREE_144_ARTICLE_2,
)
from knowledge.rules.eligibility import (
    OTHER_HELP,
    EligibilityFacts,
    Refusal,
    Status,
    assess,
)
from knowledge.rules.facts import BUSINESS_FIELD, AgeGroup

# Everything known and false: a person in no group, with a concrete civil matter.
NOBODY = EligibilityFacts(
    revolutionary_merit=False,
    poor_household=False,
    near_poor_household=False,
    monthly_social_allowance=False,
    age_group=AgeGroup.FROM_18_TO_UNDER_60,
    ethnic_minority=False,
    lives_in_disadvantaged_area=False,
    accused=False,
    victim_in_criminal_case=False,
    martyr_relative=False,
    agent_orange=False,
    disability=False,
    domestic_violence_victim=False,
    trafficking_victim=False,
    hiv=False,
    field="dan_su",
    concrete_matter_directly_concerning=True,
)


def only(**known: Any) -> EligibilityFacts:
    """A closed-world person: every fact False except the ones given."""
    return replace(NOBODY, **known)


def matched(facts: EligibilityFacts) -> list[tuple[str, str | None]]:
    return [(m.clause, m.point) for m in assess(facts).matches]


def test_nobody_is_not_eligible() -> None:
    result = assess(NOBODY)
    assert result.status is Status.NOT_ELIGIBLE
    assert result.refusal is Refusal.NOT_IN_GROUP
    assert result.missing == ()
    assert result.other_help == OTHER_HELP
    assert "không thuộc các nhóm người được trợ giúp pháp lý" in result.explanation


# ---------------------------------------------------------------- khoản 1–6 (no financial condition)

CLAUSES_1_TO_6 = [
    # (facts, clause)
    ({"revolutionary_merit": True}, "1"),
    ({"poor_household": True}, "2"),
    ({"age": 0, "age_group": None}, "3"),
    ({"age": 15, "age_group": None}, "3"),
    ({"age_group": AgeGroup.UNDER_16}, "3"),
    ({"child": True, "age_group": None}, "3"),
    ({"ethnic_minority": True, "lives_in_disadvantaged_area": True}, "4"),
    ({"accused": True, "age": 16, "age_group": None}, "5"),
    ({"accused": True, "age": 17, "age_group": None}, "5"),
    ({"accused": True, "age_group": AgeGroup.FROM_16_TO_UNDER_18}, "5"),
    ({"accused": True, "near_poor_household": True}, "6"),
    ({"accused": True, "near_poor_household": True, "age": 45, "age_group": None}, "6"),
]


@pytest.mark.parametrize(("known", "clause"), CLAUSES_1_TO_6)
def test_clauses_1_to_6(known: dict[str, Any], clause: str) -> None:
    result = assess(only(**known))
    assert result.status is Status.ELIGIBLE
    assert [(m.clause, m.point) for m in result.matches] == [(clause, None)]
    citation = result.matches[0].citations[0]
    assert (citation.document, citation.article, citation.clause, citation.point) == (
        "11/2017/QH14",
        "7",
        clause,
        None,
    )
    assert TGPL_DECREE_144_ARTICLE_2 not in result.citations
    assert result.missing == ()


NOT_CLAUSES_1_TO_6 = [
    # near misses: (facts, why)
    ({"age": 16, "age_group": None}, "16 is not a child"),
    ({"ethnic_minority": True}, "minority outside a disadvantaged area"),
    ({"lives_in_disadvantaged_area": True}, "disadvantaged area, not a minority"),
    ({"accused": True, "age": 18, "age_group": None}, "accused adult, not near-poor"),
    ({"accused": True, "age": 15, "age_group": None, "near_poor_household": False}, "child: khoản 3"),
    ({"accused": True, "monthly_social_allowance": True}, "allowance does not count for khoản 6"),
    ({"near_poor_household": True}, "near-poor alone"),
    ({"monthly_social_allowance": True}, "allowance alone"),
]


@pytest.mark.parametrize(("known", "why"), NOT_CLAUSES_1_TO_6)
def test_near_misses(known: dict[str, Any], why: str) -> None:
    result = assess(only(**known))
    if known.get("age") == 15:
        assert matched(only(**known)) == [("3", None)], why
    else:
        assert result.status is Status.NOT_ELIGIBLE, why
        assert result.refusal is Refusal.NOT_IN_GROUP


def test_first_sentence_for_poor_household() -> None:
    result = assess(EligibilityFacts(poor_household=True))
    assert result.explanation.startswith(
        "Bạn thuộc diện được trợ giúp pháp lý theo khoản 2 Điều 7 Luật Trợ giúp pháp lý số "
        "11/2017/QH14 vì bạn thuộc hộ nghèo."
    )


def test_child_cites_children_law() -> None:
    result = assess(only(age=10, age_group=None))
    assert [c.document for c in result.citations] == ["11/2017/QH14", "102/2016/QH13"]
    assert "trẻ em (người dưới 16 tuổi)" in result.explanation


# ---------------------------------------------------------------- khoản 7: each point × financial situation

POINTS = [
    # (point, facts that put the person in the group)
    ("a", {"martyr_relative": True}),
    ("b", {"agent_orange": True}),
    ("c", {"elderly": True, "age_group": None}),
    ("c", {"age": 60, "age_group": None}),
    ("c", {"age": 75, "age_group": None}),
    ("c", {"age_group": AgeGroup.FROM_60}),
    ("d", {"disability": True}),
    ("đ", {"victim_in_criminal_case": True, "age": 16, "age_group": None}),
    ("đ", {"victim_in_criminal_case": True, "age_group": AgeGroup.FROM_16_TO_UNDER_18}),
    ("e", {"domestic_violence_victim": True}),
    ("g", {"trafficking_victim": True}),
    ("h", {"hiv": True}),
]
# Điểm g khoản 7 (trafficking victims with financial difficulty) was repealed on 01/7/2025 and
# replaced by khoản 6a (tests/rules/test_amendments.py): its cases are judged the day before.
ON_DATE = {"g": date(2025, 6, 30)}
FINANCIAL = [
    ("cận nghèo", {"near_poor_household": True}, "thuộc hộ cận nghèo"),
    ("trợ cấp xã hội hằng tháng", {"monthly_social_allowance": True}, "đang hưởng trợ cấp xã hội hằng tháng"),
]


@pytest.mark.parametrize(("point", "group"), POINTS)
@pytest.mark.parametrize(("name", "money", "wording"), FINANCIAL)
def test_khoan_7_with_financial_difficulty(
    point: str, group: dict[str, Any], name: str, money: dict[str, Any], wording: str
) -> None:
    result = assess(only(**group, **money), ON_DATE.get(point))
    assert result.status is Status.ELIGIBLE, name
    assert [(m.clause, m.point) for m in result.matches] == [("7", point)]
    assert result.matches[0].citations[0] == TGPL_ARTICLE_7.at(clause="7", point=point)
    assert TGPL_DECREE_144_ARTICLE_2 in result.matches[0].citations
    assert f"điểm {point} khoản 7 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14" in result.explanation
    assert wording in result.explanation
    assert "Điều 2 Nghị định số 144/2017/NĐ-CP" in result.explanation


@pytest.mark.parametrize(("point", "group"), POINTS)
def test_khoan_7_without_financial_difficulty(point: str, group: dict[str, Any]) -> None:
    result = assess(only(**group), ON_DATE.get(point))
    assert result.status is Status.NOT_ELIGIBLE, point
    assert result.refusal is Refusal.NOT_IN_GROUP


@pytest.mark.parametrize(("point", "group"), POINTS)
def test_khoan_7_financial_unknown_asks_for_it(point: str, group: dict[str, Any]) -> None:
    facts = only(**group, near_poor_household=None, monthly_social_allowance=None, poor_household=None)
    result = assess(facts, ON_DATE.get(point))
    assert result.status is Status.NEED_MORE_INFO
    # hộ nghèo would qualify by khoản 2, hộ cận nghèo or the allowance by khoản 7
    assert set(result.missing[:3]) == {"poor_household", "near_poor_household", "monthly_social_allowance"}
    assert "khó khăn về tài chính" in result.explanation


@pytest.mark.parametrize(("point", "group"), POINTS)
def test_khoan_7_group_in_poor_household_is_khoan_2(point: str, group: dict[str, Any]) -> None:
    result = assess(only(**group, poor_household=True), ON_DATE.get(point))
    assert [(m.clause, m.point) for m in result.matches] == [("2", None)]


@pytest.mark.parametrize(
    ("known", "why"),
    [
        ({"age": 59, "age_group": None, "near_poor_household": True}, "59 is not elderly"),
        (
            {"victim_in_criminal_case": True, "age": 18, "age_group": None, "near_poor_household": True},
            "adult victim",
        ),
        (
            {"victim_in_criminal_case": True, "age": 30, "age_group": None, "monthly_social_allowance": True},
            "adult",
        ),
    ],
)
def test_khoan_7_age_limits(known: dict[str, Any], why: str) -> None:
    assert assess(only(**known)).status is Status.NOT_ELIGIBLE, why


def test_victim_under_16_is_a_child() -> None:
    assert matched(only(victim_in_criminal_case=True, age=14, age_group=None)) == [("3", None)]


def test_several_clauses_are_all_listed() -> None:
    facts = only(poor_household=True, revolutionary_merit=True, age=70, age_group=None)
    assert matched(facts) == [("1", None), ("2", None)]
    result = assess(only(near_poor_household=True, disability=True, hiv=True, accused=True))
    assert [(m.clause, m.point) for m in result.matches] == [("6", None), ("7", "d"), ("7", "h")]
    assert "cũng thuộc diện theo điểm d khoản 7" in result.explanation


# ---------------------------------------------------------------- near-poor subtleties


def test_near_poor_alone_needs_more_info() -> None:
    result = assess(EligibilityFacts(near_poor_household=True))
    assert result.status is Status.NEED_MORE_INFO
    assert result.matches == ()
    assert "accused" in result.missing
    for group in (
        "disability",
        "domestic_violence_victim",
        "hiv",
        "trafficking_victim",
        "agent_orange",
        "martyr_relative",
        "victim_in_criminal_case",
        "age",
    ):
        assert group in result.missing
    assert "poor_household" not in result.missing  # cận nghèo means not nghèo
    assert "near_poor_household" not in result.missing
    assert "riêng việc thuộc hộ cận nghèo thì chưa đủ" in result.explanation


def test_near_poor_not_in_any_group_is_not_eligible_with_kind_reason() -> None:
    result = assess(only(near_poor_household=True))
    assert result.status is Status.NOT_ELIGIBLE
    assert "riêng việc thuộc hộ cận nghèo thì chưa đủ" in result.explanation
    assert "Rất tiếc" in result.explanation
    assert [h.title for h in result.other_help] == ["Tư vấn pháp luật", "Hòa giải ở cơ sở"]


def test_poor_and_near_poor_exclude_each_other() -> None:
    # A near-poor accused adult is eligible by khoản 6, not by khoản 2.
    assert matched(EligibilityFacts(near_poor_household=True, accused=True)) == [("6", None)]
    # A poor household is not "near-poor": khoản 6 does not apply, khoản 2 does.
    assert matched(EligibilityFacts(poor_household=True, accused=True)) == [("2", None)]


# ---------------------------------------------------------------- Điều 27 and Điều 30

GROUPS = [
    {"revolutionary_merit": True},
    {"poor_household": True},
    {"age": 10, "age_group": None},
    {"ethnic_minority": True, "lives_in_disadvantaged_area": True},
    {"accused": True, "age": 17, "age_group": None},
    {"accused": True, "near_poor_household": True},
    {"disability": True, "near_poor_household": True},
    {},
]


@pytest.mark.parametrize("group", GROUPS)
def test_article_27_business_field_excluded_whatever_the_group(group: dict[str, Any]) -> None:
    result = assess(only(**group, field=BUSINESS_FIELD))
    assert result.status is Status.NOT_ELIGIBLE
    assert result.refusal is Refusal.BUSINESS_FIELD
    assert result.citations[0] == TGPL_ARTICLE_27
    assert "trừ lĩnh vực kinh doanh, thương mại (khoản 1 Điều 27" in result.explanation
    assert result.other_help
    assert result.missing == ()


def test_article_27_applies_with_everything_else_unknown() -> None:
    result = assess(EligibilityFacts(field=BUSINESS_FIELD))
    assert result.status is Status.NOT_ELIGIBLE
    assert result.refusal is Refusal.BUSINESS_FIELD


def test_article_27_mentions_the_group_kindly() -> None:
    result = assess(EligibilityFacts(poor_household=True, field=BUSINESS_FIELD))
    assert "dù bạn thuộc hộ nghèo" in result.explanation
    assert result.matches  # the person is in a group; the field is excluded


@pytest.mark.parametrize("group", GROUPS)
def test_article_30_no_concrete_matter(group: dict[str, Any]) -> None:
    result = assess(only(**group, concrete_matter_directly_concerning=False))
    assert result.status is Status.NOT_ELIGIBLE
    assert result.refusal is Refusal.NO_CONCRETE_MATTER
    assert result.citations[0] == TGPL_ARTICLE_30
    assert "vụ việc cụ thể liên quan trực tiếp đến quyền và lợi ích hợp pháp" in result.explanation


def test_business_field_wins_over_no_concrete_matter() -> None:
    result = assess(only(field=BUSINESS_FIELD, concrete_matter_directly_concerning=False))
    assert result.refusal is Refusal.BUSINESS_FIELD


def test_eligible_with_unknown_matter_lists_the_conditions() -> None:
    result = assess(EligibilityFacts(poor_household=True))
    assert result.status is Status.ELIGIBLE
    assert result.missing == ("field", "concrete_matter_directly_concerning")
    assert "khoản 1 Điều 30" in result.explanation
    assert "khoản 1 Điều 27" in result.explanation
    known = assess(
        EligibilityFacts(poor_household=True, field="dat_dai", concrete_matter_directly_concerning=True)
    )
    assert known.missing == ()
    assert "Lưu ý" not in known.explanation


# ---------------------------------------------------------------- NEED_MORE_INFO and the order of `missing`

MISSING = [
    # (facts, first missing facts in order)
    (EligibilityFacts(), ("poor_household", "age")),
    (EligibilityFacts(age=70), ("near_poor_household", "monthly_social_allowance", "poor_household")),
    (
        EligibilityFacts(disability=True),
        ("near_poor_household", "monthly_social_allowance", "poor_household"),
    ),
    (EligibilityFacts(ethnic_minority=True), ("lives_in_disadvantaged_area",)),
    (EligibilityFacts(lives_in_disadvantaged_area=True), ("ethnic_minority",)),
    (EligibilityFacts(accused=True), ("age", "near_poor_household")),
    (EligibilityFacts(near_poor_household=True), ("age", "disability")),
    (EligibilityFacts(victim_in_criminal_case=True, near_poor_household=True), ("age",)),
    (EligibilityFacts(accused=True, age=30), ("near_poor_household",)),
]


@pytest.mark.parametrize(("facts", "first"), MISSING)
def test_missing_order(facts: EligibilityFacts, first: tuple[str, ...]) -> None:
    result = assess(facts)
    assert result.status is Status.NEED_MORE_INFO
    assert result.missing[: len(first)] == first
    assert result.missing[-2:] == ("field", "concrete_matter_directly_concerning")
    assert len(set(result.missing)) == len(result.missing)


def test_missing_never_lists_known_facts() -> None:
    facts = EligibilityFacts(disability=True, near_poor_household=False, revolutionary_merit=False)
    result = assess(facts)
    for known in ("disability", "near_poor_household", "revolutionary_merit"):
        assert known not in result.missing


def test_ruled_out_clause() -> None:
    facts = only(ethnic_minority=None, lives_in_disadvantaged_area=None, ruled_out=("4",))
    assert assess(facts).status is Status.NOT_ELIGIBLE


def test_subject_is_used_in_the_explanation() -> None:
    result = assess(EligibilityFacts(age=70, near_poor_household=True, subject="mẹ"))
    assert result.explanation.startswith("Mẹ của bạn thuộc diện được trợ giúp pháp lý theo điểm c khoản 7")


def test_citation_labels() -> None:
    assert TGPL_ARTICLE_7.at(clause="7", point="đ").label() == (
        "điểm đ khoản 7 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14"
    )
    assert TGPL_DECREE_144_ARTICLE_2.label() == "Điều 2 Nghị định số 144/2017/NĐ-CP"


def test_merge_keeps_older_facts_and_newer_wins() -> None:
    older = EligibilityFacts(poor_household=True, age=70, ruled_out=("4",))
    newer = EligibilityFacts(age=71, disability=True, ruled_out=("7đ",))
    merged = older.merge(newer)
    assert (merged.poor_household, merged.age, merged.disability) == (True, 71, True)
    assert merged.ruled_out == ("4", "7đ")
    assert older.merge(EligibilityFacts()) == older


def test_age_wins_over_statements() -> None:
    # "người cao tuổi" said, but the age given is 50: Luật Người cao tuổi counts from 60.
    assert assess(only(elderly=True, age=50, age_group=None, near_poor_household=True)).status is (
        Status.NOT_ELIGIBLE
    )
