"""Printable documents of a case (issue 14 item 12), for reviewers and admins:

* `GET /api/v1/cases/{code}/documents/{kind}` — the filled blocks (JSON) the print page
  `/center/in#<code>` draws and prints on A4 with its print stylesheet;
* `GET /api/v1/cases/{code}/documents/{kind}.pdf` — the same document as an A4 PDF (fpdf2).

`kind` is `don-yeu-cau` (Đơn yêu cầu trợ giúp pháp lý, prefilled) or `phieu-ho-so` (case sheet).
Templates are YAML files (api/documents/templates); a centre replaces one by putting its own file
of the same name in `DOCUMENT_TEMPLATES_DIR`. A document holds the full name and phone, so each
one opened is recorded in the audit log like a detail view (`case_viewed`, full data).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.cases.audit import AccessAction, record_access
from api.cases.auth import ReviewerDep
from api.cases.crud import get_case
from api.cases.models import Case
from api.cases.normalize import normalize_code
from api.cases.security import Principal
from api.cases.status import STATUS_LABELS
from api.cases.timezone import VN_TZ
from api.cases.views import to_detail
from api.deps import SessionDep
from api.documents.fonts import FontFiles, find_font
from api.documents.pdf import document_pdf
from api.documents.render import Block, DocumentKind, Template, load_template, render, templates_dir
from api.documents.values import Vocabulary, case_values, event_lines
from api.schemas import ErrorResponse
from knowledge import vocabulary

router = APIRouter(prefix="/api/v1", tags=["documents"])
ERRORS: dict[int | str, dict] = {
    401: {"model": ErrorResponse, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorResponse, "description": "Không đủ quyền"},
    404: {"model": ErrorResponse, "description": "Không có hồ sơ với mã này"},
}
NOT_FOUND = "Không tìm thấy hồ sơ với mã này."
NO_FONT = (
    "Máy chủ chưa có phông chữ tiếng Việt để tạo tệp PDF (cần gói fonts-dejavu-core, "
    "hoặc đặt DOCUMENT_FONT). Bạn vẫn in được từ trang In hồ sơ."
)


class DocumentOut(BaseModel):
    kind: str
    title: str
    file_name: str
    code: str
    blocks: list[Block]


def document_vocabulary() -> Vocabulary:
    """The labels of the one vocabulary (knowledge.vocabulary) and the provinces' official names."""
    officials = {province.name: province.official for province in vocabulary.PROVINCES}
    return Vocabulary(
        channels=vocabulary.CHANNELS.labels(), groups=vocabulary.GROUPS.labels(),
        topics=vocabulary.TOPICS.labels(), relations=vocabulary.RELATIONS.labels(),
        genders=vocabulary.GENDERS.labels(), legal_aid_forms=vocabulary.LEGAL_AID_FORMS.labels(),
        outcomes=vocabulary.OUTCOMES.labels(),
        statuses={status.value: label for status, label in STATUS_LABELS.items()},
        group_clause=vocabulary.group_clause, province_official=lambda name: officials.get(name, name),
    )


VocabularyDep = Annotated[Vocabulary, Depends(document_vocabulary)]
TemplatesDirDep = Annotated[Path | None, Depends(templates_dir)]
FontDep = Annotated[FontFiles | None, Depends(find_font)]


def _template(kind: DocumentKind, folder: Path | None) -> Template:
    try:
        return load_template(kind, folder)
    except (OSError, ValueError) as error:  # a centre's file that is not a valid template
        detail = f"Mẫu {kind} không đọc được: {type(error).__name__}."
        raise HTTPException(status_code=500, detail=detail) from None


def _case(session: Session, code: str) -> Case:
    case = get_case(session, code=normalize_code(code))
    if case is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return case


def _blocks(case: Case, template: Template, vocabulary: Vocabulary) -> list[Block]:
    detail = to_detail(case, masked=False).model_dump(mode="json")
    values = case_values(detail, vocabulary, datetime.now(VN_TZ).date())
    return render(template, values, events=event_lines(detail.get("events") or [], vocabulary))


def _record_view(session: Session, principal: Principal, case: Case) -> None:
    """A document holds the case's full personal data: audited as a full view of the case."""
    record_access(
        session, principal=principal, action=AccessAction.case_viewed, case_code=case.code, full_data=True
    )


@router.get("/cases/{code}/documents/{kind}.pdf", response_class=Response, responses=ERRORS)
def document_as_pdf(
    code: str, kind: DocumentKind, principal: ReviewerDep, session: SessionDep, vocabulary: VocabularyDep,
    folder: TemplatesDirDep, font: FontDep,
) -> Response:
    """The document as an A4 PDF (text, not an image: it can be searched and read aloud)."""
    case = _case(session, code)
    if font is None:
        raise HTTPException(status_code=503, detail=NO_FONT)
    template = _template(kind, folder)
    content = document_pdf(template.title, _blocks(case, template, vocabulary), font, subject=case.code)
    _record_view(session, principal, case)
    name = f"{template.file_name}-{case.code}.pdf"
    return Response(
        content=content, media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get("/cases/{code}/documents/{kind}", response_model=DocumentOut, responses=ERRORS)
def document_blocks(
    code: str, kind: DocumentKind, principal: ReviewerDep, session: SessionDep, vocabulary: VocabularyDep,
    folder: TemplatesDirDep, response: Response,
) -> DocumentOut:
    """The filled blocks of the document, for the print page."""
    case = _case(session, code)
    template = _template(kind, folder)
    blocks = _blocks(case, template, vocabulary)
    _record_view(session, principal, case)
    response.headers["Cache-Control"] = "no-store"
    return DocumentOut(
        kind=kind, title=template.title, file_name=template.file_name, code=case.code, blocks=blocks
    )
