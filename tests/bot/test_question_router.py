"""A story that asks something reaches the knowledge path whatever dialogue act it was taken for."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.question_router import KNOWLEDGE_INTENT, StoryQuestionRouter


def _routed(text: str, intent: str, confidence: float = 0.8) -> str:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    StoryQuestionRouter().process([message])
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == message.get(INTENT)["name"]
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(("text", "intent"), [
    ("Tôi muốn gửi yêu cầu trợ giúp pháp lý cho mẹ tôi. Nhà tôi hộ nghèo, cần mang giấy tờ gì?",
     "request_legal_aid"),
    ("ho so cua toi nop tu thang truoc ma chua thay ai goi, gio phai lam sao de biet ket qua a",
     "check_case_status"),
    ("Tôi thôi việc ở công ty được hai tháng mà họ chưa trả lương tháng cuối, tôi phải làm gì?", "stop"),
    ("chao ban, me toi 70 tuoi bi con trai duoi ra khoi nha thi co kien duoc khong", "greet"),
    ("vo chong toi muon ly hon, con 2 tuoi thi ai nuoi, nop don o dau", "nlu_fallback"),
    ("Nhà tôi hộ nghèo, chồng tôi bị bắt, vậy chồng tôi có được trợ giúp pháp lý không?",
     "ask_legal_aid_eligibility"),
    ("Hàng xóm xây tường lấn đất nhà tôi. Tổ hòa giải có giải quyết không, có mất tiền không?",
     "ask_mediation"),
    ("dang ky khai sinh dung han co mat tien ko", "stop"),
    ("chao ban, lam giay khai tu cho bo o dau", "greet"),
])
def test_a_story_question_goes_to_the_knowledge_path(text: str, intent: str) -> None:
    assert _routed(text, intent) == KNOWLEDGE_INTENT


@pytest.mark.parametrize(("text", "intent"), [
    ("tôi muốn gửi yêu cầu trợ giúp pháp lý", "request_legal_aid"),
    ("cho toi gui yeu cau duoc khong", "request_legal_aid"),
    ("Mã hồ sơ của tôi là TGPL-2026-K7QM4X, hồ sơ đến đâu rồi, bao lâu thì có kết quả?", "check_case_status"),
    ("thôi", "stop"),
    ("thôi, tôi không nộp đơn nữa được không", "stop"),
    ("cảm ơn bạn nhiều nhé, bạn giúp tôi nhiều lắm, chúc bạn một ngày làm việc thật vui", "thank"),
    ('/inform{"answer": "ho_ngheo"}', "inform"),
    ("nhà tôi là hộ cận nghèo, mẹ tôi 70 tuổi, vậy thì sao ạ, có được không", "inform"),
    ("hoa giai o co so la gi", "ask_mediation"),
])
def test_dialogue_acts_and_answered_intents_stay(text: str, intent: str) -> None:
    assert _routed(text, intent) == intent
