"""`POST /api/v1/understand`: a whole message (a story with facts and sub-questions) understood at
once (knowledge/understand.py). The action server calls it with its service token (not counted per
IP); the text travels in the body, never in a URL."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from api.core.text import clean_text
from api.deps import get_knowledge_index

router = APIRouter(prefix="/api/v1", tags=["knowledge"])
IndexDep = Annotated[Any, Depends(get_knowledge_index)]
MAX_CHARS = 2000


class UnderstandRequest(BaseModel):
    text: str = Field(max_length=MAX_CHARS, description="Tin nhắn của người dân (tối đa 2.000 ký tự)")
    on_date: date | None = None


class ButtonOut(BaseModel):
    title: str
    payload: str


class MessageOut(BaseModel):
    text: str
    buttons: list[ButtonOut] = Field(default_factory=list)


class UnderstandResponse(BaseModel):
    kind: str = Field(description="eligibility | answer | clarify | not_sure | no_legal_content")
    confident: bool
    messages: list[MessageOut]
    more: str | None = Field(None, description="Chi tiết sau nút «Xem thêm»")
    citations: list[str] = Field(default_factory=list)
    hit_ids: list[str] = Field(default_factory=list)


@router.post("/understand", response_model=UnderstandResponse)
def understand_message(index: IndexDep, body: UnderstandRequest) -> UnderstandResponse:
    from knowledge.understand import understand

    try:
        text = clean_text(body.text).strip()
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    if not text:
        raise HTTPException(status_code=422, detail="Tin nhắn đang trống. Bạn hãy nhập câu hỏi.")
    result = understand(text, index, body.on_date or date.today())
    return UnderstandResponse(
        kind=result.kind, confident=result.confident,
        messages=[MessageOut(text=m["text"], buttons=[ButtonOut(**b) for b in m.get("buttons") or []])
                  for m in result.messages],
        more=result.more, citations=list(result.citations), hit_ids=list(result.hit_ids),
    )
