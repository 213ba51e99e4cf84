"""Request and response models of `POST /api/v1/assist`. Incoming text is `UserText` (NFC,
lone surrogates refused: api/core/text.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from api.core.text import UserText
from api.routes.search import SearchResult

MAX_ASSIST_CHARS = 2000


class AssistRequest(BaseModel):
    text: UserText = Field(description="What the caller said, typed or pasted by the operator (1–2000 chars)")

    @field_validator("text")
    @classmethod
    def _length(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("Nội dung đang trống. Bạn hãy nhập lời người gọi.")
        if len(value) > MAX_ASSIST_CHARS:
            raise ValueError(
                f"Nội dung quá dài (tối đa {MAX_ASSIST_CHARS} ký tự). Bạn hãy rút gọn lời người gọi."
            )
        return value


class IntentOut(BaseModel):
    name: str
    confidence: float
    label: str = Field(description="Vietnamese name of the intent")
    source: str = Field(description="rasa | unavailable")


class ClauseOut(BaseModel):
    route: str
    clause: str = Field(description="e.g. điểm c khoản 7 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14")
    reason: str
    group: str | None = Field(None, description="Case eligibility_group code")
    group_label: str | None = None
    citations: list[str]


class OtherHelpOut(BaseModel):
    title: str
    description: str


class EligibilityOut(BaseModel):
    status: str = Field(description="eligible | not_eligible | need_more_info")
    status_label: str
    explanation: str
    matches: list[ClauseOut]
    known: dict[str, Any] = Field(description="Facts detected in the text (fact → value)")
    known_text: list[str] = Field(description="The same facts as checklist lines")
    missing: list[str] = Field(description="Facts still unknown, as questions, most decisive first")
    missing_facts: list[str]
    citations: list[str]
    other_help: list[OtherHelpOut]


class PovertyOut(BaseModel):
    household_size: int
    household_income: int
    income_per_person: int
    income_per_person_text: str
    area: str | None = Field(description="rural | urban | null when not said")
    area_name: str | None
    poverty_line: int | None
    poverty_lines: dict[str, int]
    period: str
    category: str | None
    category_text: str | None
    explanation: str
    citations: list[str]


class CaseDraft(BaseModel):
    channel: str = "hotline"
    full_name: str | None = None
    phone: str | None = None
    province: str | None = None
    commune: str | None = None
    eligibility_group: str | None = None
    eligibility_group_label: str | None = None
    topic: str | None = Field(None, description="A TOPICS code of knowledge.vocabulary, e.g. dat_dai")
    topic_label: str | None = None
    description: str


class AssistResponse(BaseModel):
    intent: IntentOut
    answer: str = Field(description="Suggested answer (the chat's messages), with 'Căn cứ: …'; empty while "
                                    "the index loads or when nothing answers the story")
    answer_details: str = Field("", description="What the chat keeps behind «Xem thêm»")
    confident: bool
    citations: list[str]
    passages: list[SearchResult]
    eligibility: EligibilityOut
    poverty: PovertyOut | None
    suggested_questions: list[str]
    case_draft: CaseDraft
    knowledge: str = Field(description="ok | starting | missing: state of the knowledge index")
    notes: list[str] = Field(default_factory=list, description="What could not be done, in Vietnamese")
