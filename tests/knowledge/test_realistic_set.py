"""The realistic question set (bench/data/realistic.yml) and the scoring of bench/realistic.py.

Structural checks of the data file (schema, size, fixed and balanced split, half without
diacritics, unique ids, cards that exist, key facts for every in-scope question) and unit tests of
the pure scoring functions. Nothing here needs a running system.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "bench" / "data" / "realistic.yml"
DATA_DEV2 = REPO / "bench" / "data" / "realistic_dev2.yml"
CARDS = REPO / "knowledge" / "cards"
TOPICS = {
    "legal_aid_eligibility", "legal_aid_procedure", "mediation", "poverty_benefits", "civil_enforcement",
    "inheritance", "divorce", "child_custody_support", "domestic_violence", "labour", "social_allowance",
    "civil_registration", "language_interpreter", "out_of_scope",
}
FIELDS = {"id", "split", "topic", "in_scope", "diacritics", "style", "text", "sub_questions", "key_facts",
          "expected_cards", "expected_articles", "coverage"}
VIETNAMESE_MARK = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                             re.IGNORECASE)
ARTICLE = re.compile(r"^[0-9]+/[0-9]{4}/[A-ZĐ0-9\-]+:[0-9]+[a-z]?$")


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_realistic", REPO / "bench" / "realistic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_realistic"] = module  # dataclasses look their module up
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev2_items() -> list[dict]:
    return yaml.safe_load(DATA_DEV2.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bench():
    return _bench_module()


def _check_schema(items: list[dict], splits: tuple[str, ...]) -> None:
    for item in items:
        assert set(item) >= FIELDS, item.get("id")
        assert set(item) <= FIELDS | {"notes"}, item["id"]
        assert item["split"] in splits, item["id"]
        assert item["topic"] in TOPICS, item["id"]
        assert item["style"] in ("citizen", "operator"), item["id"]
        assert isinstance(item["text"], str) and 10 <= len(item["text"]) <= 2000, item["id"]
        assert item["text"] == unicodedata.normalize("NFC", item["text"]), item["id"]
        assert 1 <= item["sub_questions"] <= 3, item["id"]
        assert item["in_scope"] is (item["topic"] != "out_of_scope"), item["id"]
        allowed = ("card", "article", "two_articles", "missing") if item["in_scope"] else (None,)
        assert item["coverage"] in allowed, item["id"]
        for article in item["expected_articles"]:
            assert ARTICLE.match(article), (item["id"], article)


def test_schema(items):
    _check_schema(items, ("dev", "heldout"))


def test_second_dev_part_schema_and_ids(items, dev2_items):
    """realistic_dev2.yml: the same schema, split "dev2" only (the held-out part stays as fixed),
    ids unique across both files, half without diacritics, key facts, cards that exist."""
    _check_schema(dev2_items, ("dev2",))
    ids = [item["id"] for item in [*items, *dev2_items]]
    assert len(ids) == len(set(ids))
    test_diacritics_flag_matches_text_and_half_without(dev2_items)
    test_key_facts(dev2_items)
    test_expected_cards_exist(dev2_items)


def test_the_bench_loads_both_parts(bench, items, dev2_items):
    assert len(bench.load_items("all")) == len(items) + len(dev2_items)
    assert {item["id"] for item in bench.load_items("heldout")} == {
        item["id"] for item in items if item["split"] == "heldout"}
    assert len(bench.load_items("dev2")) == len(dev2_items)


def test_size_and_unique_ids(items):
    assert len(items) >= 200
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))


def test_diacritics_flag_matches_text_and_half_without(items):
    for item in items:
        assert item["diacritics"] is bool(VIETNAMESE_MARK.search(item["text"])), item["id"]
    without = sum(not item["diacritics"] for item in items)
    assert 0.45 <= without / len(items) <= 0.55


def test_split_balanced_per_topic_and_diacritics(items):
    per_topic = Counter((item["topic"], item["split"]) for item in items)
    for topic in TOPICS:
        dev, heldout = per_topic[(topic, "dev")], per_topic[(topic, "heldout")]
        assert dev >= 1 and heldout >= 1, topic
        assert abs(dev - heldout) <= 1, topic
    per_marks = Counter((item["diacritics"], item["split"]) for item in items)
    for marks in (True, False):
        assert abs(per_marks[(marks, "dev")] - per_marks[(marks, "heldout")]) <= 6


def test_topics_roughly_even_and_operator_style_present(items):
    counts = Counter(item["topic"] for item in items if item["in_scope"])
    assert set(counts) == TOPICS - {"out_of_scope"}
    assert min(counts.values()) >= 10
    assert sum(item["style"] == "operator" for item in items) >= 25


def test_key_facts(items):
    for item in items:
        facts = item["key_facts"]
        if item["in_scope"]:
            assert 1 <= len(facts) <= 4, item["id"]
        else:
            assert facts == [], item["id"]
        for alternatives in facts:
            assert alternatives and all(isinstance(a, str) and a.strip() for a in alternatives), item["id"]


def test_expected_cards_exist(items):
    card_ids = {yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in CARDS.rglob("*.yml")}
    for item in items:
        for card in item["expected_cards"]:
            assert card in card_ids, (item["id"], card)
        if item["coverage"] == "card":
            assert item["expected_cards"], item["id"]


# --- scoring --------------------------------------------------------------------------------------


def test_fact_matching_ignores_case_diacritics_and_spacing(bench):
    reply = "Có. Trẻ em DƯỚI 16 tuổi được trợ giúp  miễn phí (khoản 3 Điều 7 Luật Trợ giúp pháp lý)."
    assert bench.fact_present(reply, ["duoi 16 tuoi"])
    assert bench.fact_present(reply, ["Khoản 3 điều 7"])
    assert bench.fact_present(reply, ["trợ giúp miễn phí"])
    assert bench.fact_present("Ủy ban nhân dân xã xác nhận", ["UBND xã", "Ủy ban nhân dân xã"])
    assert bench.fact_present("đăng ký tại Công an xã", ["cong an xa"])
    assert not bench.fact_present(reply, ["khoản 4 Điều 7"])
    assert not bench.fact_present(reply, ["", "  "])


def test_missing_facts_and_dead_ends(bench):
    facts = [["hộ cận nghèo"], ["bào chữa"], ["trợ giúp viên pháp lý", "luật sư"]]
    reply = "Người bị buộc tội thuộc hộ cận nghèo được luật sư bào chữa miễn phí."
    assert bench.missing_facts(reply, facts) == []
    assert bench.missing_facts("Người thuộc hộ cận nghèo", facts) == facts[1:]
    assert bench.dead_end_kind("Xin lỗi, tôi chưa hiểu câu hỏi của bạn. Bạn thử hỏi lại") == "chua_hieu"
    assert bench.dead_end_kind("Xin lỗi, tôi chưa chắc chắn về câu trả lời cho câu hỏi này.") == "not_sure"
    assert bench.dead_end_kind("Xin lỗi, tôi chỉ trả lời các câu hỏi về trợ giúp pháp lý") == "out_of_scope"
    assert bench.dead_end_kind("Có. Trẻ em được trợ giúp pháp lý miễn phí.") is None


def test_dead_end_texts_match_the_bot(bench):
    """The fragments are taken from the bot's own texts: a rewording there must update them here."""
    from knowledge.answer import NOT_SURE

    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))["responses"]
    assert bench.dead_end_kind(domain["utter_default"][0]["text"]) == "chua_hieu"
    assert bench.dead_end_kind(domain["utter_out_of_scope"][0]["text"]) == "out_of_scope"
    assert bench.dead_end_kind(NOT_SURE) == "not_sure"


def test_wrong_turns_are_recognised(bench):
    assert bench.wrong_turn_kind("Bạn cho tôi mã hồ sơ nhé (dạng TGPL-2026-K7QM4X)") == "status_lookup"
    assert bench.wrong_turn_kind("Vâng, tôi dừng lại ở đây. Khi nào cần, bạn cứ nhắn lại") == "stopped"
    assert bench.wrong_turn_kind("Cảm ơn bạn đã cho biết. Bạn có muốn kiểm tra xem") == "inform_ack"
    assert bench.wrong_turn_kind("Có. Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí.") is None


def test_score_joins_messages_and_buttons(bench):
    item = {"id": "x", "split": "dev", "topic": "mediation", "diacritics": True, "in_scope": True,
            "key_facts": [["tổ hòa giải"], ["gửi yêu cầu"]]}
    messages = [{"text": "Bạn có thể nhờ tổ hòa giải ở thôn.", "buttons": []},
                {"text": "", "buttons": [{"title": "Gửi yêu cầu trợ giúp pháp lý", "payload": "/x"}]}]
    result = bench.score(item, messages, 200, 12.0)
    assert result.correct and result.facts_found == 2 and result.first_words == 9
    failed = bench.score(item, [], 500, 3.0)
    assert not failed.correct and failed.dead_end == "error" and failed.facts_found == 0
    out_of_scope = {**item, "topic": "out_of_scope", "in_scope": False, "key_facts": []}
    assert bench.score(out_of_scope, [{"text": "Xin lỗi, tôi chỉ trả lời các câu hỏi về"}], 200, 1.0).correct
    assert not bench.score(out_of_scope, [{"text": "Hòa giải ở cơ sở là việc..."}], 200, 1.0).correct


def test_facts_inside_a_not_sure_reply_do_not_make_it_correct(bench):
    item = {"id": "x", "split": "dev", "topic": "mediation", "diacritics": True, "in_scope": True,
            "key_facts": [["tổ hòa giải"]]}
    reply = [{"text": "Xin lỗi, tôi chưa chắc chắn về câu trả lời cho câu hỏi này. Nội dung gần nhất tôi "
                      "tìm được: «Tổ hòa giải» (Điều 12 Luật Hòa giải ở cơ sở)."}]
    result = bench.score(item, reply, 200, 5.0)
    assert result.facts_all and not result.correct and result.dead_end == "not_sure"


def test_summary_rates(bench):
    item = {"id": "x", "split": "dev", "topic": "labour", "diacritics": False, "in_scope": True,
            "key_facts": [["30 ngày"]]}
    good = bench.score(item, [{"text": "không quá 30 ngày"}], 200, 10.0)
    bad = bench.score({**item, "id": "y", "split": "heldout", "diacritics": True},
                      [{"text": "Xin lỗi, tôi chưa hiểu câu hỏi của bạn."}], 200, 20.0)
    summary = bench.breakdown([good, bad])
    assert summary["overall"]["correct_rate"] == 0.5
    assert summary["overall"]["dead_end_rate"] == 0.5
    assert summary["by_diacritics"]["without"]["correct_rate"] == 1.0
    assert summary["by_split"]["heldout"]["correct_rate"] == 0.0
    assert "| all | 2 |" in bench.render_markdown(
        {"label": "", "command": "c", "date": "d", "commit": "c", "system": "s", "split": "all",
         "breakdown": summary}
    )
