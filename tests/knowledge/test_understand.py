"""knowledge.understand: a whole message at once (issue 12), on the assist tests' fake index."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.understand import MAX_FIRST_WORDS, question_sentences, shorten, understand
from tests.assist.fakes import FakeIndex

DAY = date(2026, 12, 2)


def test_the_question_sentence_is_found_inside_a_story() -> None:
    story = ("Chồng tôi bị công an bắt tuần trước. Nhà tôi ở xa, không biết nhờ ai. "
             "Thì chồng tôi có được trợ giúp pháp lý không?")
    assert question_sentences(story) == ["Thì chồng tôi có được trợ giúp pháp lý không?"]


def test_story_facts_settle_eligibility_with_the_clause() -> None:
    text = "Cháu tôi 4 tuổi bị người trông trẻ đánh, gia đình muốn có luật sư miễn phí"
    result = understand(text, FakeIndex(), DAY)
    assert result.kind == "eligibility" and result.confident
    assert result.messages[0]["text"].startswith("Có.") and "khoản 3 Điều 7" in result.messages[0]["text"]


def test_facts_that_do_not_settle_it_lead_to_one_question() -> None:
    result = understand("Chồng tôi là con liệt sĩ, bị bắt rồi, chồng tôi có được trợ giúp pháp lý không?",
                        FakeIndex(), DAY)
    assert result.kind == "eligibility" and not result.confident
    assert len(result.messages) == 2 and "?" in result.messages[1]["text"]
    assert "/ask_legal_aid_eligibility" in [b["payload"] for b in result.messages[1]["buttons"]]


def test_a_confident_retrieval_is_an_answer_with_the_request_button() -> None:
    result = understand("bà tôi 70 tuổi muốn hỏi thủ tục yêu cầu", FakeIndex(), DAY)
    assert result.kind in ("answer", "eligibility")
    assert any(b["payload"] == "/request_legal_aid" for m in result.messages for b in m.get("buttons", []))


@pytest.mark.parametrize("text", ["tối nay có đá bóng không", "thoi tiet mai the nao"])
def test_no_legal_content_at_all_is_out_of_scope(text: str) -> None:
    class Nothing(FakeIndex):
        def search(self, query, k=5, **kwargs):
            return [h.__class__(**{**h.__dict__, "score": 0.2, "dense_score": 0.5})
                    for h in super().search(query, k, **kwargs)]

    assert understand(text, Nothing(), DAY).kind == "no_legal_content"


def test_first_message_is_short_and_the_rest_is_kept() -> None:
    first, more = shorten(". ".join(f"Câu số {i} nói về việc này" for i in range(40)))
    assert len(first.split()) <= MAX_FIRST_WORDS + 1 and more


def test_a_whole_2000_character_story_is_read() -> None:
    story = "Nhà tôi ở bản xa. " * 100 + "Nhà tôi là hộ nghèo, tôi có được trợ giúp pháp lý không?"
    result = understand(story[-2000:], FakeIndex(), DAY)
    assert result.kind == "eligibility" and "khoản 2 Điều 7" in result.messages[0]["text"]
