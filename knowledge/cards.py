"""Knowledge cards: pydantic models and a forgiving loader.

A card is a YAML file ``knowledge/cards/<topic>/<id>.yml`` written by hand (see the schema in
the project issue).  :func:`load_cards` validates every file, normalises all text to NFC,
reports invalid files with a Vietnamese message naming the file, skips them and never stops
on one bad file.  Duplicate ids are rejected (the first file wins).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .citations import citation_line, citation_short
from .text import nfc

log = logging.getLogger(__name__)

__all__ = ["TOPICS", "Card", "CardError", "Citation", "load_cards", "load_cards_with_errors"]

Topic = Literal[
    "legal_aid_eligibility",
    "legal_aid_procedure",
    "legal_aid_rights",
    "mediation",
    "poverty_standard",
    "poverty_benefits",
    "civil_enforcement",
    "project_977",
    "contact",
    "inheritance",
    "divorce",
    "child_custody_support",
    "domestic_violence",
    "land_mediation",
    "labour",
    "social_allowance",
    "health_insurance",
    "school_fees",
    "civil_registration",
    "language_interpreter",
]
TOPICS: tuple[str, ...] = Topic.__args__  # type: ignore[attr-defined]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _nfc_deep(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value).strip()
    if isinstance(value, list):
        return [_nfc_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_deep(v) for k, v in value.items()}
    return value


class _Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _nfc(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {
                k: (str(v) if k in ("article", "clause") and isinstance(v, int) else v)
                for k, v in data.items()
            }
        return _nfc_deep(data)


class Citation(_Base):
    """One legal basis of a card.

    ``basis: corpus`` (the default) is an article read in the Pháp điển corpus: article number
    and effective date are required. ``basis: project`` is a fact the project was given without
    an article (e.g. Nghị định 07/2021/NĐ-CP on the poverty standard): the article may be left
    out, and the issue date (``issued_on``) may stand in for the effective date.
    """

    document_number: str = Field(min_length=1)
    document_title: str = ""
    document_type: str = Field(min_length=1)
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    issued_on: date | None = None
    basis: Literal["corpus", "project"] = "corpus"

    @field_validator("article")
    @classmethod
    def _article(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^\d+[a-zđ]?$", v):
            raise ValueError(f"số điều '{v}' không hợp lệ (cần số điều như 7 hoặc 7a)")
        return v

    @field_validator("clause", "point", mode="before")
    @classmethod
    def _empty_none(cls, v: Any) -> Any:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        return str(v)

    @model_validator(mode="after")
    def _required_by_basis(self) -> Citation:
        if self.basis == "corpus":
            if self.article is None:
                raise ValueError("thiếu số điều (trích dẫn từ văn bản trong kho pháp điển phải có số điều)")
            if self.effective_from is None:
                raise ValueError("thiếu ngày hiệu lực (mọi trích dẫn phải có ngày hiệu lực, dạng YYYY-MM-DD)")
            if not self.document_title:
                raise ValueError("thiếu tên văn bản (document_title)")
        elif self.effective_from is None and self.issued_on is None:
            raise ValueError("trích dẫn dữ kiện được cung cấp cần ngày hiệu lực hoặc ngày ban hành")
        return self

    def in_force(self, on: date) -> bool:
        start = self.effective_from or self.issued_on or date.min
        return start <= on and (self.effective_to is None or on <= self.effective_to)

    def short(self) -> str:
        """``Khoản 2 Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14`` (no dates: for the first message)."""
        return citation_short(
            article=self.article, clause=self.clause, point=self.point,
            document_number=self.document_number, document_type=self.document_type,
            document_title=self.document_title,
        )

    def line(self) -> str:
        """``Khoản 2 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018)``."""
        return citation_line(
            article=self.article,
            clause=self.clause,
            point=self.point,
            document_number=self.document_number,
            document_type=self.document_type,
            document_title=self.document_title,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            issued_on=self.issued_on,
        )


class Card(_Base):
    id: str
    topic: Topic
    title: str = Field(min_length=1)
    questions: list[str] = Field(min_length=1)
    answer: str = Field(min_length=1)
    citations: list[Citation] = Field(min_length=1)
    applies_from: date | None = None
    applies_to: date | None = None
    last_reviewed: date | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("id chỉ gồm chữ thường không dấu, số và dấu gạch ngang")
        return v

    @field_validator("questions")
    @classmethod
    def _questions(cls, v: list[str]) -> list[str]:
        if any(not q for q in v):
            raise ValueError("có câu hỏi rỗng")
        return v

    @model_validator(mode="after")
    def _period(self) -> Card:
        if self.applies_from and self.applies_to and self.applies_from > self.applies_to:
            raise ValueError("applies_from sau applies_to")
        return self

    def applies_on(self, on: date) -> bool:
        """False when the card's applies_from/applies_to period excludes *on*."""
        if self.applies_from and on < self.applies_from:
            return False
        return not (self.applies_to and on > self.applies_to)

    def index_text(self) -> str:
        """Text indexed for retrieval: title, questions and answer."""
        return "\n".join([self.title, *self.questions, self.answer])


@dataclass(frozen=True)
class CardError:
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


_FIELD_VI = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không có trong lược đồ",
    "literal_error": "giá trị không hợp lệ",
    "date_from_datetime_parsing": "ngày không hợp lệ (cần YYYY-MM-DD)",
    "date_parsing": "ngày không hợp lệ (cần YYYY-MM-DD)",
    "date_type": "ngày không hợp lệ (cần YYYY-MM-DD)",
    "string_type": "cần một chuỗi",
    "list_type": "cần một danh sách",
    "too_short": "danh sách/chuỗi rỗng hoặc quá ngắn",
    "string_too_short": "chuỗi rỗng",
}


def _explain(error: ValidationError) -> str:
    parts = []
    for e in error.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(thẻ)"
        msg = _FIELD_VI.get(e["type"])
        if msg is None:
            msg = str(e.get("msg", "")).removeprefix("Value error, ")
        elif e["type"] == "literal_error":
            msg += f" ({e.get('input')!r}; cho phép: {', '.join(TOPICS)})"
        parts.append(f"trường '{loc}': {msg}")
    return "; ".join(parts)


def _load_one(path: Path) -> Card:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise ValueError(f"tệp không phải UTF-8 ({e.reason})") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}" if mark else ""
        raise ValueError(f"lỗi cú pháp YAML{where}: {getattr(e, 'problem', e)}") from e
    if not isinstance(raw, dict):
        raise ValueError("nội dung không phải một thẻ (cần các cặp khóa: giá trị)")
    try:
        return Card.model_validate(raw)
    except ValidationError as e:
        raise ValueError(_explain(e)) from e


def load_cards_with_errors(folder: Path | str) -> tuple[list[Card], list[CardError]]:
    """Load every ``*.yml``/``*.yaml`` below *folder*; return valid cards and the errors found."""
    folder = Path(folder)
    cards: list[Card] = []
    errors: list[CardError] = []
    seen: dict[str, Path] = {}
    if not folder.is_dir():
        return cards, [CardError(folder, "không tìm thấy thư mục thẻ kiến thức")]
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    for path in files:
        try:
            card = _load_one(path)
        except (ValueError, OSError) as e:
            errors.append(CardError(path, f"thẻ không hợp lệ, đã bỏ qua — {e}"))
            continue
        if card.id in seen:
            errors.append(CardError(path, f"trùng id '{card.id}' với tệp {seen[card.id]}, đã bỏ qua"))
            continue
        seen[card.id] = path
        cards.append(card)
    for err in errors:
        log.warning("%s", err)
    return cards, errors


def load_cards(folder: Path | str) -> list[Card]:
    """Valid cards below *folder*; invalid files are logged (in Vietnamese) and skipped."""
    return load_cards_with_errors(folder)[0]
