"""Questions the way people really send them, through the whole running system (issue 12): a long
story for each topic, one message with three sub-questions, and the disambiguation buttons of a
message too vague for one answer. The stories are in story_questions.py (written for these tests,
not taken from the benchmark set)."""

from __future__ import annotations

import pytest

from knowledge.text import fold
from tests.e2e.story_questions import MULTI_QUESTION, STORIES, VAGUE
from tests.harness.chat import WebCitizen

pytestmark = pytest.mark.slow

DEAD_ENDS = ("chua hieu", "chua chac chan ve cau tra loi", "toi chi tra loi cac cau hoi ve")
REQUEST = "/request_legal_aid"


def _reply(system: str, text: str) -> tuple[list[dict], str]:
    messages = WebCitizen(system, timeout=60).messages(text)
    joined = "\n".join(m.get("text") or "" for m in messages)
    return messages, joined


def _payloads(messages: list[dict]) -> list[str]:
    return [b.get("payload", "") for m in messages for b in m.get("buttons") or []]


@pytest.mark.parametrize(("topic", "story", "fact"), STORIES, ids=[s[0] for s in STORIES])
def test_a_long_story_is_answered_with_what_it_asks(system, topic: str, story: str, fact: str) -> None:
    messages, text = _reply(system, story)
    folded = fold(text)
    assert not any(dead in folded for dead in DEAD_ENDS), text
    assert fold(fact) in folded, text
    assert "Căn cứ" in text or "Điều " in text, text  # every answer says its basis
    assert len(messages[0]["text"].split()) <= 80, messages[0]["text"]  # short first message
    assert REQUEST in _payloads(messages), messages  # and the offer to log a request


def test_three_sub_questions_get_three_answers(system) -> None:
    messages, text = _reply(system, MULTI_QUESTION)
    assert len(messages) >= 3, messages
    assert text.count("Căn cứ:") >= 2, text
    folded = fold(text)
    for fact in ("đơn yêu cầu", "khoản 2 Điều 7"):  # the papers, and the clause of this poor household
        assert fold(fact) in folded, text


def test_a_vague_message_gets_the_likely_topics_as_buttons(system) -> None:
    messages, text = _reply(system, VAGUE)
    assert "Có phải bạn muốn hỏi" in text, text
    payloads = _payloads(messages)
    topics = [p for p in payloads if not p.startswith("/")]  # a card's question: sent back as text
    assert 2 <= len(topics) <= 3 and REQUEST in payloads and "/request_human" in payloads, messages
    _messages, answer = _reply(system, topics[0])  # choosing one answers it
    assert "Căn cứ" in answer, answer
