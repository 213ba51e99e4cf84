"""`GET /api/v1/search` and `GET|POST /api/v1/answer`: retrieval over cards and statutes.

`POST /api/v1/answer` takes the question in a JSON body, not in the URL: what a citizen typed
(names, phone numbers) must not appear in any request log. The action server uses it, with its
service token (not counted per IP, api/core/middleware.py); for everyone else it is rate-limited
per IP like the GET.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from api.core.text import UserText, clean_text
from api.deps import get_knowledge_index

router = APIRouter(prefix="/api/v1", tags=["knowledge"])

MAX_QUERY_CHARS = 500
IndexDep = Annotated[Any, Depends(get_knowledge_index)]


class CitationPublic(BaseModel):
    document_number: str
    document_title: str
    article: str
    effective_date: str
    source: str
    status: str = Field(
        "", description="Trạng thái vào ngày hỏi theo sổ sửa đổi: 'hết hiệu lực từ …', 'có nội dung được "
        "sửa đổi, bổ sung bởi …'; rỗng khi văn bản còn hiệu lực như trong kho."
    )


class SearchResult(BaseModel):
    id: str
    text: str
    score: float
    citation: CitationPublic


class SearchResponse(BaseModel):
    results: list[SearchResult]


class AnswerResponse(BaseModel):
    text: str
    confident: bool
    citations: list[str] = Field(default_factory=list)
    hit_ids: list[str] = Field(default_factory=list)


def _query(q: str) -> str:
    try:
        text = clean_text(q).strip()  # a query string is decoded with U+FFFD; the check is for callers
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    if not text:
        raise HTTPException(status_code=422, detail="Câu hỏi đang trống. Bạn hãy nhập câu hỏi.")
    return text


QueryParam = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Câu hỏi, có dấu hoặc không dấu")]


def citation_public(hit: Any) -> CitationPublic:
    """A hit's citation for the public answer (also the operator console's passages), with its status."""
    citation = dict(hit.citation or {})
    return CitationPublic(
        document_number=str(citation.get("document_number") or ""),
        document_title=str(citation.get("document_title") or ""),
        article=str(citation.get("article") or ""),
        effective_date=str(citation.get("effective_date") or ""),
        source=str(citation.get("source") or hit.source),
        status=str((hit.extra or {}).get("status") or ""),
    )


@router.get("/search", response_model=SearchResponse)
def search(
    index: IndexDep,
    q: QueryParam,
    k: Annotated[int, Query(ge=1, le=20)] = 5,
    on_date: date | None = None,
) -> SearchResponse:
    hits = index.search(_query(q), k=k, on_date=on_date or date.today())
    return SearchResponse(
        results=[
            SearchResult(id=hit.id, text=hit.text, score=float(hit.score), citation=citation_public(hit))
            for hit in hits
        ]
    )


class AnswerRequest(BaseModel):
    q: UserText = Field(max_length=MAX_QUERY_CHARS, description="Câu hỏi, có dấu hoặc không dấu")
    on_date: date | None = None


@router.get("/answer", response_model=AnswerResponse)
def answer(index: IndexDep, q: QueryParam, on_date: date | None = None) -> AnswerResponse:
    return _answer(index, q, on_date)


@router.post("/answer", response_model=AnswerResponse)
def answer_posted(index: IndexDep, body: AnswerRequest) -> AnswerResponse:
    return _answer(index, body.q, body.on_date)


def _answer(index: Any, q: str, on_date: date | None) -> AnswerResponse:
    from knowledge.answer import compose_answer

    day = on_date or date.today()
    text = _query(q)
    result = compose_answer(text, index.search(text, k=5, on_date=day), on_date=day)
    return AnswerResponse(
        text=result.text,
        confident=result.confident,
        citations=[str(c) for c in getattr(result, "citations", [])],
        hit_ids=list(getattr(result, "hit_ids", [])),
    )
