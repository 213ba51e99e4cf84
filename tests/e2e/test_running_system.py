"""The whole system as a user starts it (fixture `system` in conftest.py): greeting, a legal
question, an off-topic one."""

from __future__ import annotations

import pytest

from tests.harness.chat import WebCitizen

pytestmark = pytest.mark.slow


def _chat(api: str, sender: str, text: str) -> list[dict]:
    response = WebCitizen(api, timeout=60).send(text)  # a new conversation (*sender* names it here)
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def test_greeting_is_answered_in_vietnamese(system):
    messages = _chat(system, "e2e-greet", "xin chao")
    text = " ".join(m["text"] for m in messages)
    assert messages and any(ch in text for ch in "àáảãạăâđêôơư"), text


def test_poor_household_question_cites_article_7_of_the_legal_aid_law(system):
    messages = _chat(system, "e2e-eligibility", "nha toi ho ngheo co duoc tro giup phap ly mien phi ko")
    text = "\n".join(m["text"] for m in messages)
    assert "Điều 7" in text and "11/2017/QH14" in text, text


def test_out_of_scope_question_gets_no_legal_answer(system):
    messages = _chat(system, "e2e-oos", "hom nay thoi tiet ha noi the nao")
    text = "\n".join(m["text"] for m in messages)
    assert "Căn cứ" not in text, text
