"""The amendment registry (knowledge/data/amendments.yml) and eligibility by date (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.rules import assess, facts_from_text, next_question
from knowledge.rules.amendments import (
    Change,
    Provision,
    RegistryError,
    default_registry,
    load_registry,
    parse_registry,
)
from knowledge.rules.eligibility import EligibilityFacts, Status
from knowledge.rules.questions import GROUP_OPTIONS

SIX_A = Provision("11/2017/QH14", "7", "6a")
SEVEN_G = Provision("11/2017/QH14", "7", "7", "g")
TRAFFICKED = (
    "Tôi bị lừa bán sang Trung Quốc, mới được giải cứu về nước. Tôi có được trợ giúp pháp lý miễn phí không?"
)
TRAFFICKED_NO_DIACRITICS = "chi toi bi lua ban sang bien gioi, gio muon kien thi co dc tgpl mien phi ko"


# ---------------------------------------------------------------- the registry file


def test_shipped_registry_is_valid_and_ids_unique() -> None:
    registry = default_registry()
    ids = [a.id for a in registry.amendments]
    assert len(ids) == len(set(ids)) >= 6
    for amendment in registry.amendments:
        assert amendment.source, amendment.id
        assert amendment.note, amendment.id
        if amendment.change in (Change.ADDED, Change.REPLACED):
            assert amendment.text, amendment.id


@pytest.mark.parametrize(
    ("provision", "day", "in_force"),
    [
        (SIX_A, date(2025, 6, 30), False),
        (SIX_A, date(2025, 7, 1), True),
        (SEVEN_G, date(2025, 6, 30), True),
        (SEVEN_G, date(2025, 7, 1), False),
        (Provision("11/2017/QH14", "7", "7", "c"), date(2026, 12, 2), True),
        (Provision("62/2015/NĐ-CP"), date(2026, 6, 30), True),
        (Provision("62/2015/NĐ-CP", "10"), date(2026, 7, 1), False),
        (Provision("26/2008/QH12", "30"), date(2026, 6, 30), True),
        (Provision("26/2008/QH12", "30"), date(2026, 7, 1), False),
    ],
)
def test_status_on_both_sides_of_each_date(provision: Provision, day: date, in_force: bool) -> None:
    assert default_registry().in_force(provision, day) is in_force


def test_status_labels_say_what_changed_when_and_by_what() -> None:
    registry = default_registry()
    assert registry.status(SIX_A, date(2026, 1, 1)).label() == (
        "được bổ sung bởi Luật Phòng, chống mua bán người số 53/2024/QH15, hiệu lực từ 01/07/2025"
    )
    assert registry.status(SIX_A, date(2025, 1, 1)).label().startswith("có hiệu lực từ 01/07/2025")
    assert registry.status(Provision("62/2015/NĐ-CP", "5"), date(2026, 7, 1)).label().startswith(
        "hết hiệu lực từ 01/07/2026"
    )
    assert registry.status(Provision("11/2017/QH14", "7", "2"), date(2026, 1, 1)).label() == ""


def test_registry_errors_name_the_entry_and_field() -> None:
    base = {"id": "x", "target": {"document": "1/2020/QH14"}, "change": "repealed",
            "effective": "2026-01-01", "by": {"title": "Luật A"}, "source": "s"}
    assert parse_registry({"amendments": [base]}).amendments[0].change is Change.REPEALED
    with pytest.raises(RegistryError, match="x: 'change'"):
        parse_registry({"amendments": [{**base, "change": "deleted"}]})
    with pytest.raises(RegistryError, match="x: ngày không hợp lệ"):
        parse_registry({"amendments": [{**base, "effective": "01/01/2026"}]})
    with pytest.raises(RegistryError, match="x: 'added' cần 'text'"):
        parse_registry({"amendments": [{**base, "change": "added"}]})
    with pytest.raises(RegistryError, match="id bị trùng"):
        parse_registry({"amendments": [base, base]})


def test_a_centre_adds_an_amendment_without_code(tmp_path: Path) -> None:
    """A new YAML entry changes the engine's answer from its date on (here a made-up repeal)."""
    path = tmp_path / "amendments.yml"
    path.write_text(
        "version: 1\namendments:\n"
        "  - id: thu-nghiem\n"
        "    target: {document: 11/2017/QH14, article: '7', clause: '2'}\n"
        "    change: repealed\n    by: {title: Văn bản thử nghiệm}\n"
        "    effective: 2030-01-01\n    note: Thử nghiệm.\n    source: test\n",
        encoding="utf-8",
    )
    registry = load_registry(path)
    poor = EligibilityFacts(poor_household=True)
    assert assess(poor, date(2029, 12, 31), registry=registry).status is Status.ELIGIBLE
    assert assess(poor, date(2030, 1, 1), registry=registry).status is not Status.ELIGIBLE


# ---------------------------------------------------------------- trafficking victims by date


@pytest.mark.parametrize("text", [TRAFFICKED, TRAFFICKED_NO_DIACRITICS])
def test_trafficking_victim_from_2025_07_01_is_eligible_under_khoan_6a(text: str) -> None:
    result = assess(facts_from_text(text), date(2026, 12, 2))
    assert result.status is Status.ELIGIBLE
    assert [(m.clause, m.point) for m in result.matches] == [("6a", None)]
    assert "khoản 6a Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14" in result.explanation
    assert "53/2024/QH15" in result.explanation and "01/7/2025" in result.explanation
    assert "financial_difficulty" not in result.missing
    question = next_question(result)
    assert question is None or question.key != "financial"


@pytest.mark.parametrize("text", [TRAFFICKED, TRAFFICKED_NO_DIACRITICS])
def test_trafficking_victim_before_2025_07_01_is_asked_the_financial_question(text: str) -> None:
    result = assess(facts_from_text(text), date(2025, 6, 30))
    assert result.status is Status.NEED_MORE_INFO
    assert "điểm g khoản 7" in result.explanation
    assert next_question(result).key == "financial"
    near_poor = assess(facts_from_text(text + " Nhà tôi là hộ cận nghèo."), date(2025, 6, 30))
    assert [(m.clause, m.point) for m in near_poor.matches] == [("7", "g")]


def test_assess_uses_today_by_default() -> None:
    assert assess(EligibilityFacts(trafficking_victim=True)).on_date == date.today()


# ---------------------------------------------------------------- minors: law not in the corpus


def test_minor_accused_in_2026_is_told_the_newer_law_exists_without_inventing_it() -> None:
    facts = facts_from_text("Con tôi 16 tuổi bị công an bắt, đang bị tạm giam")
    after = assess(facts, date(2026, 1, 1))
    assert [(m.clause, m.point) for m in after.matches] == [("5", None)]
    assert any("Luật Tư pháp người chưa thành niên" in note for note in after.notes)
    assert "01/01/2026" in after.explanation and "Trung tâm Trợ giúp pháp lý" in after.explanation
    before = assess(facts, date(2025, 12, 31))
    assert not any("Luật Tư pháp người chưa thành niên" in note for note in before.notes)
    adult_facts = facts_from_text("Chồng tôi 40 tuổi bị công an bắt, nhà tôi hộ cận nghèo")
    adult = assess(adult_facts, date(2026, 3, 1))
    assert adult.notes == ()


# ---------------------------------------------------------------- gaps found by review


def test_person_who_raised_a_martyr_is_an_option_and_is_extracted() -> None:
    option = next(o for o in GROUP_OPTIONS if o.value == "group=martyr_relative")
    assert "nuôi" in option.title
    facts = facts_from_text("Bà tôi là người có công nuôi dưỡng liệt sĩ khi liệt sĩ còn nhỏ, bà khó khăn lắm")
    assert facts.martyr_relative is True and facts.revolutionary_merit is None


@pytest.mark.parametrize(
    "text",
    [
        "bố tôi có trợ cấp hàng tháng",
        "me toi la doi tuong bao tro xa hoi",
        "ông tôi là thương binh, có trợ cấp hàng tháng",
        "bố tôi có lương hưu hàng tháng",
    ],
)
def test_ambiguous_monthly_allowance_is_asked_not_assumed(text: str) -> None:
    facts = facts_from_text(text + ", bố bị khuyết tật")
    assert facts.monthly_social_allowance is None
    result = assess(facts, date(2026, 12, 2))
    if result.status is Status.NEED_MORE_INFO:
        question = next_question(result)
        assert question.key == "financial"
        assert "lương hưu" in question.text


def test_social_allowance_said_plainly_still_counts() -> None:
    facts = facts_from_text("mẹ tôi khuyết tật, đang hưởng trợ cấp xã hội hằng tháng")
    assert facts.monthly_social_allowance is True
    assert assess(facts).status is Status.ELIGIBLE


@pytest.mark.parametrize("text", ["bà tôi già yếu, bị con dâu đuổi ra khỏi nhà", "me toi la nguoi gia"])
def test_old_without_an_age_asks_the_age(text: str) -> None:
    facts = facts_from_text(text)
    assert facts.elderly is None and facts.age is None
    result = assess(facts, date(2026, 12, 2))
    assert result.status is not Status.ELIGIBLE or all(m.point != "c" for m in result.matches)
    assert "age" in result.missing


def test_nguoi_cao_tuoi_is_the_legal_term_and_counts() -> None:
    assert facts_from_text("bố tôi là người cao tuổi").elderly is True
