"""One vocabulary (issue 14, item 9): every topic and group the bot can produce is a known code
with a label, and the api, the bot and the pages read the same lists. Runs in both environments
(the bot's Python 3.10 and the api's 3.11); the parts that need one environment skip in the other."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from knowledge import vocabulary as v
from knowledge.matters import MATTERS
from knowledge.rules.eligibility import ROUTES, assess, facts_from_text
from knowledge.rules.facts import FIELD_LABELS
from knowledge.rules.groups import GROUPS as RULE_GROUPS
from knowledge.rules.groups import group_code, intake_group_options
from knowledge.rules.questions import GROUP_OPTIONS

CARDS = Path(__file__).resolve().parents[2] / "knowledge" / "cards"


def test_every_list_has_unique_codes_and_labels() -> None:
    for codes in v.LISTS.values():
        assert len(set(codes.codes)) == len(codes) > 0
        assert all(codes.label(code) and codes.label(code) == codes.label(code).strip() for code in codes)
        assert all(re.fullmatch(r"[a-z0-9_]+", code) for code in codes), codes.name
        for code in codes:  # every code, label and alias reads back as its own code
            term = next(t for t in codes.terms if t.code == code)
            assert codes.code_of(code) == code and codes.code_of(term.label) == code


def test_every_group_the_rule_engine_can_reach_is_known() -> None:
    for route in ROUTES:
        group = v.group_of_route(route.id)
        assert group is not None and group.code in v.GROUPS, route.id
        assert group_code(route.id) == group.code and v.group_clause(group.code).endswith("Điều 7")
    assert {code for code, _ in RULE_GROUPS.values()} <= set(v.GROUPS)
    for on_date in (date(2025, 6, 30), date(2025, 7, 1), date(2026, 12, 3)):
        for _title, code in intake_group_options(on_date):
            assert code in v.GROUPS or code == v.UNKNOWN_GROUP
    for text in ("tôi là hộ nghèo", "bố tôi là thương binh", "con tôi 15 tuổi"):
        result = assess(facts_from_text(text))
        assert result.matches and all(group_code(m.route) in v.GROUPS for m in result.matches), text


def test_the_rule_engine_fields_and_options_are_topics() -> None:
    assert set(FIELD_LABELS) <= set(v.TOPICS)
    for code, label in FIELD_LABELS.items():
        assert label.lower() == v.TOPICS.label(code).lower()
    assert GROUP_OPTIONS  # the screening's own options are facts, not stored codes


def test_every_card_topic_and_matter_has_a_label_and_a_case_topic() -> None:
    card_topics = {path.name for path in CARDS.iterdir() if path.is_dir()}
    for path in CARDS.rglob("*.yml"):
        match = re.search(r"^topic:\s*['\"]?([a-z0-9_]+)", path.read_text(encoding="utf-8"), re.M)
        if match:
            card_topics.add(match.group(1))
    assert card_topics and card_topics <= set(v.CARD_TOPICS), card_topics - set(v.CARD_TOPICS)
    assert set(v.CARD_TOPIC_FIELDS) == set(v.CARD_TOPICS)
    for topic in v.CARD_TOPICS:
        field = v.topic_of_card(topic)
        assert field is None or field in v.TOPICS
    for topic in MATTERS:  # a matter is a field of law: its cards file a case under a topic
        assert topic in v.CARD_TOPICS and v.topic_of_card(topic) in v.TOPICS, topic


def test_the_card_model_allows_exactly_the_card_topics() -> None:
    cards = pytest.importorskip("knowledge.cards", exc_type=ImportError)  # pydantic 2: the api environment
    assert set(cards.TOPICS) == set(v.CARD_TOPICS)


def test_every_topic_the_intake_produces_is_known() -> None:
    assert set(v.INTAKE_TOPICS) <= set(v.TOPICS)
    assert {code for code, _ in v.TOPIC_CUES} <= set(v.TOPICS)
    for typed in ("dat dai", "Đất đai", "ly hon", "nợ, hợp đồng", "thi hanh an", "khac", "Hôn nhân gia đình"):
        assert v.topic_from_text(typed) in v.TOPICS, typed
    assert v.topic_from_text("xin chào") is None
    assert {code for code, _ in v.STORY_TOPIC_CUES} <= set(v.TOPICS)
    cue_groups = {code for _cue, code in v.GROUP_CUES} - {v.TRAFFICKING_CUE}  # resolved by date
    assert cue_groups <= set(v.GROUPS) | {v.UNKNOWN_GROUP}


def test_the_bot_forms_use_the_vocabulary() -> None:
    pytest.importorskip("rasa_sdk")  # the bot's environment
    from actions import intake_actions as intake

    buttons = intake.ActionAskIntakeTopic().buttons()
    assert [intake.parse_topic(b["payload"]) for b in buttons] == list(v.INTAKE_TOPICS)
    assert not hasattr(intake, "_GROUP_CUES")  # the group cues are the vocabulary's (GROUP_CUES)
    assert intake.parse_phone("so em 0912 345 678 a") == "0912345678"
    assert intake.match_province("o lao cai a") == "Lào Cai"


def test_the_api_uses_the_same_lists() -> None:
    pytest.importorskip("fastapi")  # the api's environment
    from typing import get_args

    from api.cases import normalize, privacy, provinces, schemas

    assert set(get_args(schemas.Channel)) == set(v.CHANNELS)
    assert provinces.PROVINCES is v.PROVINCES and provinces.match_province is v.match_province
    assert normalize.normalize_phone is v.normalize_phone and privacy.mask_phone is v.mask_phone
    assert normalize.parse_code is v.parse_code


def test_the_34_provinces() -> None:
    assert len(v.PROVINCES) == 34 == len(set(v.PROVINCE_NAMES))
    for province in v.PROVINCES:
        assert v.match_province(province.official) == province.name
        for alias in province.aliases:
            assert v.match_province(alias) == province.name, alias
    assert v.find_province("que toi o binh duong") == "Thành phố Hồ Chí Minh"
    assert v.match_province("Atlantis") is None and v.find_province("tôi cần giúp") is None


@pytest.mark.parametrize(
    "typed",
    ["0912 345 678", "0912.345.678", "+84912345678", "+84 912 345 678", "84-912-345-678", "84912345678",
     "(+84) 0912-345-678", "0084 912 345 678", "+84 0912 345 678"],
)
def test_one_phone_rule_for_every_spelling(typed: str) -> None:
    assert v.normalize_phone(typed) == "+84912345678"
    assert v.find_phone(f"số của tôi là {typed} nhé") == "+84912345678"


@pytest.mark.parametrize("typed", ["", "12345", "091234567", "0123456789", "+1 202 555 0100", "0012345678"])
def test_what_is_not_a_phone(typed: str) -> None:
    assert v.parse_phone(typed) is None
    with pytest.raises(v.PhoneError):
        v.normalize_phone(typed)


def test_phones_read_and_masked() -> None:
    assert v.normalize_phone("0214 3820 123") == "+842143820123"  # a landline
    assert v.local_phone("+84912345678") == "0912345678" and v.spaced_phone("+84912345678") == "0912 345 678"
    assert v.mask_phone("+84912345678") == "091*******"  # none of the last 4 (the status-lookup secret)
    assert v.mask_name("Nguyễn Văn An") == "Nguyễn V** A**"


def test_vocabulary_json_is_what_the_pages_read() -> None:
    data = v.vocabulary_json()
    assert {"channels", "topics", "groups", "relations", "genders", "legal_aid_forms", "outcomes",
            "provinces"} <= set(data)
    assert {"code": "dat_dai", "label": "Đất đai"} in data["topics"]
    assert {"code": "khoan_7c_nguoi_cao_tuoi", "label": "Điểm c khoản 7 — Người cao tuổi",
            "clause": "điểm c khoản 7 Điều 7"} in data["groups"]
    assert [f["code"] for f in data["legal_aid_forms"]] == [
        "tham_gia_to_tung", "tu_van_phap_luat", "dai_dien_ngoai_to_tung"]
    assert len(data["provinces"]) == 34 and v.is_valid_code(data["case_code_example"])
