"""Hotline operator assistant: `POST /api/v1/assist` and the console page at `/operator`.

`POST /api/v1/assist` (operator role or above, the case api's bearer tokens) reads what the caller
said and returns, in one answer: the intent (Rasa `/model/parse`, ~1 s timeout, `unknown` when
Rasa is down or loading), the suggested answer with its citations — the chat's own understanding
of the whole story (knowledge.understand: one short answer per sub-question, the person's result
with its clause), so a pasted caller story gets what the chat would say — and the top passages
(knowledge index; empty with a note while it loads), the eligibility checklist (knowledge.rules), the
poverty income check, questions to ask next and a prefilled case draft for `POST /api/v1/cases`.
Rasa is asked while the index searches, in a worker thread.

The page at `/operator` is served like `/center` (same strict headers, fixed asset list).
Privacy: the caller's text, names and phone numbers are never logged.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request

from api.assist.analysis import analyse
from api.assist.draft import read_contact
from api.assist.intent import ReplicaHealth, parse_intent
from api.assist.schemas import AssistRequest, AssistResponse, CaseDraft, IntentOut
from api.cases.auth import OperatorDep
from api.cases.provinces import PROVINCE_NAMES
from api.cases.timezone import VN_TZ
from api.clients.rasa import rasa_token
from api.deps import SettingsDep, StateDep
from api.routes.pages import page_router as page_router_for
from api.routes.search import SearchResult, citation_public
from api.schemas import ErrorResponse
from knowledge.vocabulary import GROUPS as VOCABULARY_GROUPS
from knowledge.vocabulary import RELATIONS, SELF_RELATION, TOPICS, CodeList

log = logging.getLogger(__name__)

OPERATOR_DIR = Path(__file__).resolve().parents[1] / "static" / "operator"
PASSAGES = 5
MAX_SEARCH_CHARS = 500  # the index is tuned on questions; a long story is cut to its last 500 chars

STATUS_LABELS = {
    "eligible": "Thuộc diện được trợ giúp pháp lý",
    "not_eligible": "Không thuộc diện được trợ giúp pháp lý miễn phí",
    "need_more_info": "Chưa đủ thông tin",
}
NOTE_LOADING = "Kho tri thức đang được nạp, chưa có câu trả lời gợi ý. Các phần khác vẫn dùng được."
NOTE_SEARCH_FAILED = "Không tìm được câu trả lời gợi ý lúc này. Các phần khác vẫn dùng được."
NOTE_RASA = "Chưa nhận diện được ý định (máy chủ hội thoại đang khởi động hoặc tạm ngừng)."

router = APIRouter(prefix="/api/v1", tags=["assist"])


def _replica_health(app: FastAPI) -> ReplicaHealth:
    health = getattr(app.state, "assist_rasa_health", None)
    if health is None:
        health = app.state.assist_rasa_health = ReplicaHealth()
    return health


def _search_query(text: str) -> str:
    if len(text) <= MAX_SEARCH_CHARS:
        return text
    tail = text[-MAX_SEARCH_CHARS:]
    return tail.split(" ", 1)[-1] if " " in tail else tail


@dataclass(frozen=True)
class _Knowledge:
    answer: str
    confident: bool
    citations: list[str]
    passages: list[SearchResult]
    details: str
    follow_up: list[str]


def _passage(hit: Any) -> SearchResult:
    return SearchResult(id=hit.id, text=hit.text, score=float(hit.score), citation=citation_public(hit))


def _knowledge(index: Any, text: str, day: date) -> _Knowledge:
    """The chat's own understanding of the whole story (knowledge.understand: the same answers,
    one per sub-question, the same question to ask next) and the top passages; runs in a thread."""
    from knowledge.understand import understand

    understood = understand(text, index, day)
    hits = index.search(_search_query(text), k=PASSAGES, on_date=day)
    answered = understood.kind not in ("no_legal_content", "clarify", "not_sure")
    body = "\n\n".join(m["text"] for m in understood.messages) if answered else ""
    citations = [str(c) for c in understood.citations]
    answer = f"{body}\n\nCăn cứ: {'; '.join(citations)}" if body and citations else body
    follow_up = [m["text"] for m in understood.messages
                 if any(b.get("payload") == "/ask_legal_aid_eligibility" for b in m.get("buttons") or [])]
    return _Knowledge(answer, understood.confident and answered, citations, [_passage(h) for h in hits],
                      understood.more or "", follow_up)


@router.post(
    "/assist",
    response_model=AssistResponse,
    responses={
        401: {"model": ErrorResponse, "description": "Thiếu hoặc sai mã truy cập"},
        403: {"model": ErrorResponse, "description": "Không đủ quyền"},
        422: {"model": ErrorResponse},
    },
)
async def assist(
    body: AssistRequest, principal: OperatorDep, state: StateDep, settings: SettingsDep, request: Request
) -> AssistResponse:
    """Everything the hotline console shows for what the caller said (see the module docstring)."""
    text = body.text
    day = datetime.now(VN_TZ).date()
    intent_task = asyncio.create_task(parse_intent(
        state.http, settings.rasa_url_list, text,
        timeout=settings.assist_rasa_timeout_seconds, health=_replica_health(request.app),
        token=rasa_token(settings),
    ))
    notes: list[str] = []
    known = _Knowledge("", False, [], [], "", [])
    index = state.knowledge.index
    if index is None:
        state.knowledge.start_loading()
        notes.append(NOTE_LOADING)
    else:
        try:
            known = await asyncio.to_thread(_knowledge, index, text, day)
        except Exception as error:  # noqa: BLE001 - the rest of the console must still answer
            log.warning("assist: knowledge search failed (%s)", type(error).__name__)
            notes.append(NOTE_SEARCH_FAILED)
    intent = await intent_task
    if intent.source != "rasa":
        notes.append(NOTE_RASA)

    analysis = analyse(text, on_date=day, intent=intent.name)
    contact = read_contact(text)
    group = analysis.eligibility_group
    eligibility = dict(analysis.eligibility, status_label=STATUS_LABELS[analysis.eligibility["status"]])
    return AssistResponse(
        intent=IntentOut(
            name=intent.name, confidence=intent.confidence, label=intent.label, source=intent.source
        ),
        answer=known.answer,
        answer_details=known.details,
        confident=known.confident,
        citations=known.citations,
        passages=known.passages,
        eligibility=eligibility,
        poverty=analysis.poverty,
        suggested_questions=list(dict.fromkeys([*known.follow_up, *analysis.suggested_questions])),
        case_draft=CaseDraft(
            full_name=contact.full_name,
            phone=contact.phone,
            province=contact.province,
            commune=contact.commune,
            eligibility_group=group,
            eligibility_group_label=VOCABULARY_GROUPS.label(group),
            topic=analysis.topic,
            topic_label=TOPICS.label(analysis.topic),
            description=text,
        ),
        knowledge=state.knowledge.state,
        notes=notes,
    )


# ---------- the console page (/operator) ----------

ASSETS: dict[str, str] = {
    "operator.js": "text/javascript; charset=utf-8",
    "operator.css": "text/css; charset=utf-8",
}


def _entries(codes: CodeList) -> list[dict[str, object]]:
    return [{"value": t.code, "label": t.label, "words": list(t.aliases)} for t in codes.terms]


def operator_meta() -> dict:
    """The case form's lists, all from the one vocabulary (knowledge.vocabulary): the provinces,
    and eligibility groups, topics and caller relations as {value: code, label, words: aliases};
    "the caller is the beneficiary" is the form's checkbox, not a relation to choose."""
    return {
        "provinces": list(PROVINCE_NAMES),
        "groups": _entries(VOCABULARY_GROUPS),
        "topics": _entries(TOPICS),
        "relations": [e for e in _entries(RELATIONS) if e["value"] != SELF_RELATION],
    }


page_router = page_router_for(prefix="/operator", folder=OPERATOR_DIR, assets=ASSETS, meta=operator_meta)
