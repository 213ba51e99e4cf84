"""Legal-aid cases: staff endpoints (bearer token) and the citizens' status lookup (public).

Privacy: lists mask names and phones for everyone; the detail view shows them in full to
reviewers and admins only; the CSV export (full values) is for reviewers and admins.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Response

from api.cases.auth import OperatorDep, ReviewerDep
from api.cases.crud import IdempotencyConflict, get_case, lookup_for_citizen, submit_case, update_case
from api.cases.normalize import normalize_code
from api.cases.queries import case_stats, list_cases
from api.cases.schemas import (
    CaseCreate,
    CaseDetail,
    CaseFilters,
    CaseListQuery,
    CasesPublic,
    CaseStats,
    CaseSubmitted,
    CaseUpdate,
    StatusAnswer,
    StatusLookup,
)
from api.cases.security import Role
from api.cases.status import CITIZEN_MESSAGES, STATUS_LABELS, CaseStatus, MissingFieldError, TransitionError
from api.cases.views import cases_csv, to_detail, to_public
from api.deps import SessionDep, SettingsDep
from api.schemas import ErrorResponse

router = APIRouter(prefix="/api/v1", tags=["cases"])
FiltersQuery = Annotated[CaseFilters, Query()]

NOT_FOUND = "Không tìm thấy hồ sơ với mã này."
NEUTRAL_LOOKUP = (
    "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối số điện thoại bạn nhập. "
    "Bạn hãy kiểm tra lại, hoặc gọi cho Trung tâm trợ giúp pháp lý nhà nước nơi bạn ở."
)
STAFF_ERRORS: dict[int | str, dict] = {
    401: {"model": ErrorResponse, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorResponse, "description": "Không đủ quyền"},
}


@router.post("/cases", status_code=201, response_model=CaseSubmitted, responses=STAFF_ERRORS)
def create_case(
    data: CaseCreate,
    principal: OperatorDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> CaseSubmitted:
    """Register a request for legal aid. 201 when created; 200 with the same code for a retry
    (same Idempotency-Key / client_request_id) or the same phone and description within 24 h."""
    try:
        case, created = submit_case(
            session, data=data, actor=principal.actor, idempotency_key=idempotency_key,
            dedup_window=timedelta(hours=settings.case_dedup_window_hours),
        )
    except IdempotencyConflict as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    if not created:
        response.status_code = 200
    message = (
        f"Yêu cầu trợ giúp pháp lý của bạn đã được ghi nhận. Mã hồ sơ: {case.code}. "
        "Bạn hãy giữ mã này để tra cứu tình trạng hồ sơ."
        if created
        else f"Yêu cầu này đã được ghi nhận trước đó với mã hồ sơ {case.code}."
    )
    status = CaseStatus(case.status)
    return CaseSubmitted(
        code=case.code, status=status, status_label=STATUS_LABELS[status], created=created, message=message
    )


@router.get("/cases", response_model=CasesPublic, responses=STAFF_ERRORS)
def read_cases(
    query: Annotated[CaseListQuery, Query()], principal: OperatorDep, session: SessionDep
) -> CasesPublic:
    """Cases newest first, filtered; names and phone numbers masked."""
    cases, count = list_cases(session, filters=query, skip=query.skip, limit=query.limit)
    return CasesPublic(data=[to_public(c, masked=True) for c in cases], count=count)


@router.get("/cases.csv", response_class=Response, responses=STAFF_ERRORS)
def export_cases(filters: FiltersQuery, principal: ReviewerDep, session: SessionDep) -> Response:
    """Every matching case as CSV (UTF-8 with BOM for Excel), with full names and phone numbers."""
    cases, _ = list_cases(session, filters=filters, limit=None)
    return Response(
        content=cases_csv(cases).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="ho-so-tro-giup-phap-ly.csv"'},
    )


@router.post("/cases/status", response_model=StatusAnswer)
def citizen_status(lookup: StatusLookup, session: SessionDep) -> StatusAnswer:
    """Public: the status of a case from its code and the last 4 digits of the phone number.
    A wrong pair and an unknown code get exactly the same answer."""
    case = lookup_for_citizen(session, code=lookup.code, phone_last4=lookup.phone_last4)
    if case is None:
        return StatusAnswer(found=False, message=NEUTRAL_LOOKUP)
    status = CaseStatus(case.status)
    return StatusAnswer(
        found=True, code=case.code, status=status, status_label=STATUS_LABELS[status],
        message=f"Hồ sơ {case.code}: {STATUS_LABELS[status]}. {CITIZEN_MESSAGES[status]}",
    )


@router.get("/cases/{code}", response_model=CaseDetail, responses=STAFF_ERRORS)
def read_case(code: str, principal: OperatorDep, session: SessionDep) -> CaseDetail:
    """One case with its history; full name and phone for reviewers and admins only."""
    case = get_case(session, code=normalize_code(code))
    if case is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return to_detail(case, masked=not principal.can(Role.reviewer))


@router.patch("/cases/{code}", response_model=CaseDetail, responses=STAFF_ERRORS)
def patch_case(code: str, changes: CaseUpdate, principal: ReviewerDep, session: SessionDep) -> CaseDetail:
    """Change status, assignee, referral, reason or outcome, or add a note. 409 for a transition the
    rules forbid; 422 when the new status needs a field (reason, referred_to, outcome)."""
    case = get_case(session, code=normalize_code(code), for_update=True)
    if case is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    try:
        case = update_case(session, case=case, changes=changes, actor=principal.actor)
    except TransitionError as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    except MissingFieldError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    return to_detail(case, masked=False)


@router.get("/stats", response_model=CaseStats, responses=STAFF_ERRORS)
def read_stats(filters: FiltersQuery, principal: OperatorDep, session: SessionDep) -> CaseStats:
    """Counts by status, eligibility group, province, topic and month (Vietnam time)."""
    return CaseStats.model_validate(case_stats(session, filters=filters))
