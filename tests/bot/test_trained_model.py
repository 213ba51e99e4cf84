"""The trained model on messages written the way citizens type them.

Slow and optional: skipped unless the newest models/*.tar.gz was trained after the last
change to bot/, config.yml and domain.yml
(`make model`, or `rasa train --domain domain.yml --data bot/data --config config.yml --out models`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.components.question_router import KNOWLEDGE_INTENT
from knowledge.questions import is_story_question

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"

pytestmark = pytest.mark.slow

# none of these sentences is in bot/data/nlu.yml
PROBES = [
    ("nha toi ho ngheo co dc tgpl ko", "ask_legal_aid_eligibility"),
    ("xin chao", "greet"),
    ("hoa giai o co so la gi", "ask_mediation"),
    ("chuan ngheo 2025 la bao nhieu", "ask_poverty_standard"),
    ("me toi gia yeu bi con dau duoi ra khoi nha co dc giup mien phi ko", "ask_legal_aid_eligibility"),
    ("ban an ly hon roi ma chong ko chiu cap duong cho con", "ask_civil_enforcement"),
    ("hàng xóm xây lấn sang đất nhà tôi, tổ hòa giải có giải quyết không", "ask_mediation"),
    ("nộp đơn xin trợ giúp pháp lý cần mang theo giấy gì", "ask_legal_aid_procedure"),
    ("so dt trung tam tgpl tinh lao cai", "ask_contact"),
    ("e muon noi chuyen voi can bo that", "request_human"),
    ("hồ sơ trợ giúp của bố tôi giờ thế nào rồi", "check_case_status"),
    ("cam on ad nhiu nha", "thank"),
    ("tối nay ăn gì ngon", "out_of_scope"),
]


def current_model() -> Path | None:
    """The model to test, or None when there is none or it predates its training inputs."""
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        return None
    model = models[-1]
    inputs = [ROOT / "config.yml", ROOT / "domain.yml", *(ROOT / "bot").rglob("*")]
    newest_input = max(p.stat().st_mtime for p in inputs if p.is_file() and "__pycache__" not in p.parts)
    return model if model.stat().st_mtime >= newest_input else None


@pytest.fixture(scope="module")
def agent():
    model = current_model()
    if model is None:
        pytest.skip("no model under models/ trained on the current bot/, config.yml, domain.yml")
    from rasa.core.agent import Agent

    return Agent.load(str(model))


@pytest.mark.parametrize(("text", "intent"), PROBES)
def test_intent_of_unseen_message(agent, text: str, intent: str) -> None:
    """The classifier's label; a story that asks something is then sent to the knowledge path
    (bot/components/question_router.py), its label kept second in the ranking."""
    result = asyncio.run(agent.parse_message(text))
    ranking = [r["name"] for r in result["intent_ranking"]]
    if is_story_question(text) and intent != "inform":
        assert ranking[:2] == [KNOWLEDGE_INTENT, intent], result["intent_ranking"][:3]
    else:
        assert result["intent"]["name"] == intent, result["intent_ranking"][:3]
