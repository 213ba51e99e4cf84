"""knowledge.understand: a whole message at once (issue 12), on the assist tests' fake index."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.understand import MAX_FIRST_WORDS, question_sentences, shorten, sub_questions, understand
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
    assert result.messages[0]["text"].startswith("Chưa đủ thông tin")
    last = result.messages[-1]  # the one question comes last, with the screening button
    assert "?" in last["text"] and "/ask_legal_aid_eligibility" in [b["payload"] for b in last["buttons"]]


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


@pytest.mark.parametrize(("text", "expected"), [
    ("Tôi phải nộp đơn ở đâu, cần giấy tờ gì và bao lâu thì có trả lời?",
     ["Tôi phải nộp đơn ở đâu", "cần giấy tờ gì", "bao lâu thì có trả lời?"]),
    ("e co dc tro giup phap ly ko, noi tieng mong dc ko",
     ["e co dc tro giup phap ly ko", "noi tieng mong dc ko"]),
    ("Nhà tôi hộ nghèo. Cho hỏi, tôi có được trợ giúp pháp lý không?",
     ["Cho hỏi, tôi có được trợ giúp pháp lý không?"]),
    ("chồng tôi bị bắt, nhà tôi nghèo, vậy chồng tôi có được luật sư miễn phí không",
     ["chồng tôi bị bắt, nhà tôi nghèo, vậy chồng tôi có được luật sư miễn phí không"]),
    ("chi hoi phai bao truoc cho chu nha may ngay, chu nha co phai tra tien xe ve que ko",
     ["chi hoi phai bao truoc cho chu nha may ngay", "chu nha co phai tra tien xe ve que ko"]),
])
def test_sub_questions_are_cut_where_each_piece_asks(text: str, expected: list[str]) -> None:
    assert sub_questions(text) == expected


class TwoTopics(FakeIndex):
    """Legal aid questions find article 7, procedure questions article 30: each with evidence."""

    def search(self, query, k=5, **kwargs):
        hits = super().search(query, k, **kwargs)
        return [h.__class__(**{**h.__dict__, "score": 1.2 - 0.05 * i}) for i, h in enumerate(hits)]


def _on_topic(index_class: type, topic: str):
    """An instance of *index_class* whose hits are all on *topic* (a card topic of knowledge/matters.py)."""

    class OnTopic(index_class):
        def search(self, query, k=5, **kwargs):
            return [h.__class__(**{**h.__dict__, "topic": topic}) for h in super().search(query, k, **kwargs)]

    return OnTopic()


def test_each_sub_question_gets_its_own_short_answer() -> None:
    text = ("Nhà tôi bị hàng xóm lấn đất. Tổ hòa giải ở thôn có giải quyết không, "
            "còn thủ tục yêu cầu thế nào?")
    result = understand(text, TwoTopics(), DAY)
    assert result.kind == "answer"
    answered = [m["text"] for m in result.messages]
    assert any("Điều 3" in m and "Hòa giải" in m for m in answered)
    assert any("Điều 30" in m for m in answered)
    assert all(len(m.split()) <= 120 for m in answered) and len(answered[0].split()) <= MAX_FIRST_WORDS


def test_a_statute_answers_at_clause_level_in_its_own_words() -> None:
    result = understand("Người cao tuổi thì có được trợ giúp không, luật ghi thế nào?", TwoTopics(), DAY)
    text = " ".join(m["text"] for m in result.messages)
    assert "lời văn của điều luật" in text and "«" in text


def test_an_answer_on_another_matter_names_the_field_and_offers_the_request() -> None:
    text = "Tôi muốn ly hôn, chồng tôi không đồng ý thì tòa có giải quyết không?"
    result = understand(text, _on_topic(FakeIndex, "divorce"), DAY)
    last = result.messages[-1]
    assert "hôn nhân và gia đình" in last["text"] and "hòa giải ở cơ sở" in last["text"]
    assert "/request_legal_aid" in [b["payload"] for b in last["buttons"]]


def test_the_person_s_own_entitlement_is_said_on_another_matter() -> None:
    text = "Nhà tôi là hộ nghèo, công ty nợ lương tôi 3 tháng thì tôi phải làm sao?"
    result = understand(text, _on_topic(TwoTopics, "labour"), DAY)
    assert "khoản 2 Điều 7" in result.messages[-1]["text"]


def _card_hit(card_id: str, answer: str, score: float):
    from knowledge.cards import Card
    from knowledge.search import Hit

    card = Card(id=card_id, topic="social_allowance", title=card_id, questions=["?"], answer=answer,
                citations=[{"document_number": "20/2021/NĐ-CP", "document_title": "Nghị định trợ giúp xã hội",
                            "document_type": "Nghị định", "article": "7", "effective_from": "2021-07-01"}])
    return Hit(id=card_id, text=answer, score=score, source="card", citation={}, title=card_id,
               topic="social_allowance", card=card, dense_score=0.9)


class Allowance:
    """Two cards about as good: who gets the allowance, and where the papers go."""

    def search(self, query, k=5, **kwargs):
        return [_card_hit("ai-duoc", "Người từ đủ 80 tuổi không có lương hưu được trợ cấp hằng tháng.", 1.25),
                _card_hit("nop-o-dau", "Tờ khai nộp ở Ủy ban nhân dân xã nơi cư trú.", 1.2)][:k]


def test_one_question_that_needs_two_cards_gets_both() -> None:
    text = "Bà tôi 82 tuổi không lương hưu muốn xin trợ cấp thì nộp tờ khai ở đâu?"
    assert len(sub_questions(text)) == 1
    result = understand(text, Allowance(), DAY)
    text = " ".join(m["text"] for m in result.messages)
    assert "80 tuổi" in text and "Ủy ban nhân dân xã" in text


def test_a_second_card_that_adds_nothing_asked_is_left_out() -> None:
    result = understand("Bà tôi 82 tuổi không có lương hưu thì có được trợ cấp hằng tháng không",
                        Allowance(), DAY)
    assert "Ủy ban nhân dân xã" not in " ".join(m["text"] for m in result.messages)


@pytest.mark.parametrize("text", [
    "Nhà tôi thuộc hộ nghèo. Tôi có được trợ giúp pháp lý để làm thủ tục chia đất không?",
    "nha toi ho ngheo, toi co dc tgpl de lam giay to ko",
])
def test_a_whether_question_that_names_papers_or_a_procedure_gets_the_person_s_result(text: str) -> None:
    result = understand(text, FakeIndex(), DAY)
    assert result.kind == "eligibility"
    assert result.messages[0]["text"].startswith("Có.") and "khoản 2 Điều 7" in result.messages[0]["text"]


def test_the_result_comes_first_and_the_conditions_behind_see_more() -> None:
    result = understand("Nhà tôi là hộ nghèo. Tôi có được trợ giúp pháp lý miễn phí không?", FakeIndex(), DAY)
    first = result.messages[0]["text"]
    assert first.startswith("Có.") and "khoản 2 Điều 7" in first
    assert "Lưu ý" not in first and result.more and "Lưu ý" in result.more


class MediationTeam:
    """The card on the mediation team first for both sub-questions, a card on two villages next."""

    TEAM = ("Tổ hòa giải là tổ chức tự quản của nhân dân, lập ở thôn, tổ dân phố để hòa giải các mâu thuẫn. "
            "Ở vùng có nhiều đồng bào dân tộc thiểu số, tổ phải có hòa giải viên là người dân tộc thiểu số. "
            "Muốn biết tổ hòa giải ở thôn mình, hãy hỏi trưởng thôn hoặc Ủy ban nhân dân xã nơi mình ở. "
            "Hòa giải viên do nhân dân trong thôn bầu, Chủ tịch Ủy ban nhân dân xã ra quyết định công nhận. "
            "Hòa giải viên phải là người có uy tín, có khả năng thuyết phục, tự nguyện tham gia "
            "và hiểu biết pháp luật. "
            "Mỗi tổ có tổ trưởng và từ 03 hòa giải viên trở lên, trong đó có hòa giải viên nữ.")

    def search(self, query, k=5, **kwargs):
        team = _card_hit("to-hoa-giai", self.TEAM, 1.3)
        villages = _card_hit("hai-thon", "Hai bên ở hai thôn khác nhau thì hai tổ cùng phối hợp.",
                             1.15)
        return [team, villages][:k]


def test_a_follow_up_sub_question_goes_on_with_the_card_it_began() -> None:
    text = ("Nhà tôi tranh chấp rẫy với hàng xóm. "
            "Tổ hòa giải của buôn có người dân tộc mình không, tổ đó gồm bao nhiêu người?")
    assert len(sub_questions(text)) == 2
    result = understand(text, MediationTeam(), DAY)
    replies = [m["text"] for m in result.messages]
    assert "dân tộc thiểu số" in replies[0] and "03 hòa giải viên" not in replies[0]
    assert any("03 hòa giải viên" in m for m in replies[1:])
    assert not any("hai thôn" in m for m in replies)


def test_the_entitlement_on_another_matter_names_whom_the_story_is_about() -> None:
    text = "Con gái tôi 10 tuổi, chồng cũ không chịu cấp dưỡng thì tôi phải làm sao?"
    last = understand(text, _on_topic(TwoTopics, "child_custody_support"), DAY).messages[-1]["text"]
    assert "Con của bạn được trợ giúp pháp lý miễn phí" in last and "khoản 3 Điều 7" in last


def test_a_long_first_sentence_is_cut_and_the_basis_line_stays_whole() -> None:
    class Long:
        def search(self, query, k=5, **kwargs):
            answer = ("Người khuyết tật nặng được trợ cấp hằng tháng " + "và được hỗ trợ thêm " * 30
                      + "theo quy định.")
            return [_card_hit("dai", answer, 1.3)][:k]

    first = understand("Con tôi khuyết tật nặng thì được trợ cấp bao nhiêu?", Long(), DAY).messages[0]["text"]
    assert len(first.split()) <= MAX_FIRST_WORDS
    assert first.rstrip().endswith("Điều 7 Nghị định 20/2021/NĐ-CP"), first[-80:]


@pytest.mark.parametrize("text", [
    "e la nguoi Thai, ko biet chu, muon lam don tgpl thi ai viet giup",
    "Người trung tâm trợ giúp pháp lý cử đến là ai?",
])
def test_a_question_on_legal_aid_that_asks_who_or_how_is_answered_from_the_cards(text: str) -> None:
    result = understand(text, TwoTopics(), DAY)
    assert result.kind == "answer" and result.hit_ids


def test_the_module_s_examples() -> None:
    """The docstring examples of knowledge.understand (the api's environment: it needs pydantic 2)."""
    import doctest

    import knowledge.understand

    failures, attempted = doctest.testmod(knowledge.understand)
    assert failures == 0 and attempted > 0
