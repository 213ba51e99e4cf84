"""Legal-aid cases: staff endpoints (bearer token) and the citizens' status lookup (public).

Privacy: lists mask names and phones for everyone; the detail view shows them in full to
reviewers and admins only; the CSV export (full values) is for reviewers and admins. Every detail
view and every export is recorded in the audit log (`data_access_log`), which admins read at
`GET /api/v1/audit`. A duplicate submission never tells the sender another request's code.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Response

from api.cases.audit import AccessAction, filters_json, list_accesses, record_access
from api.cases.auth import AdminDep, OperatorDep, ReviewerDep
from api.cases.crud import IdempotencyConflict, get_case, is_same_request, submit_case, update_case
from api.cases.lookup import LookupPolicy, guarded_lookup
from api.cases.normalize import normalize_code
from api.cases.queries import case_stats, list_cases
from api.cases.schemas import (
    AuditQuery,
    CaseCreate,
    CaseDetail,
    CaseFilters,
    CaseListQuery,
    CasesPublic,
    CaseStats,
    CaseSubmitted,
    CaseUpdate,
    DataAccessList,
    DataAccessPublic,
    Me,
    StatusAnswer,
    StatusLookup,
)
from api.cases.security import Role
from api.cases.status import CITIZEN_MESSAGES, STATUS_LABELS, CaseStatus, MissingFieldError, TransitionError
from api.cases.views import cases_csv, to_detail, to_public
from api.deps import SessionDep, SettingsDep
from api.schemas import ErrorResponse
from knowledge.vocabulary import vocabulary_json

router = APIRouter(prefix="/api/v1", tags=["cases"])
FiltersQuery = Annotated[CaseFilters, Query()]

NOT_FOUND = "Không tìm thấy hồ sơ với mã này."
NEUTRAL_LOOKUP = (
    "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối số điện thoại bạn nhập. "
    "Bạn hãy kiểm tra lại, hoặc gọi cho Trung tâm trợ giúp pháp lý nhà nước nơi bạn ở."
)
LOCKED_LOOKUP = (
    "Mã hồ sơ này đã bị nhập sai nhiều lần nên tạm thời bị khóa tra cứu để bảo vệ thông tin. "
    "Bạn vui lòng thử lại sau {minutes} phút, hoặc gọi cho Trung tâm trợ giúp pháp lý nhà nước nơi bạn ở."
)
DUPLICATE_RECEIVED = (
    "Yêu cầu của bạn đã được ghi nhận. Cán bộ Trung tâm trợ giúp pháp lý sẽ liên hệ với bạn "
    "qua số điện thoại bạn đã cung cấp."
)
NO_STORE = {"Cache-Control": "no-store"}
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
    (same Idempotency-Key / client_request_id). The same phone and description within 24 h of an
    open case from another request: 200, `created: false`, an empty `code` and a neutral message;
    the case is not changed, staff see the submission in its history."""
    try:
        case, created = submit_case(
            session, data=data, actor=principal.actor, idempotency_key=idempotency_key,
            dedup_window=timedelta(hours=settings.case_dedup_window_hours),
        )
    except IdempotencyConflict as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    if not created:
        response.status_code = 200
        if not is_same_request(case, idempotency_key=idempotency_key, data=data):
            return CaseSubmitted(code="", created=False, message=DUPLICATE_RECEIVED)
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
    """Every matching case as CSV (UTF-8 with BOM for Excel), with full names and phone numbers.
    Each export is recorded in the audit log (who, filters, number of rows)."""
    cases, _ = list_cases(session, filters=filters, limit=None)
    record_access(
        session, principal=principal, action=AccessAction.cases_exported, full_data=True,
        filters=filters_json(filters), row_count=len(cases),
    )
    return Response(
        content=cases_csv(cases).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="ho-so-tro-giup-phap-ly.csv"'},
    )


@router.post("/cases/status", response_model=StatusAnswer)
def citizen_status(lookup: StatusLookup, session: SessionDep, settings: SettingsDep) -> StatusAnswer:
    """Public: the status of a case from its code and the last 4 digits of the phone number.
    A wrong pair and an unknown code get exactly the same answer. After
    `CASE_LOOKUP_MAX_FAILURES` wrong tries a code (known or not) is locked for
    `CASE_LOOKUP_LOCK_MINUTES`: `locked: true` and a "try again later" message, even for the right pair."""
    policy = LookupPolicy(
        max_failures=settings.case_lookup_max_failures,
        lock=timedelta(minutes=settings.case_lookup_lock_minutes),
    )
    result = guarded_lookup(session, code=lookup.code, phone_last4=lookup.phone_last4, policy=policy)
    if result.locked:
        minutes = max(1, round(settings.case_lookup_lock_minutes))
        return StatusAnswer(found=False, locked=True, message=LOCKED_LOOKUP.format(minutes=minutes))
    case = result.case
    if case is None:
        return StatusAnswer(found=False, message=NEUTRAL_LOOKUP)
    status = CaseStatus(case.status)
    return StatusAnswer(
        found=True, code=case.code, status=status, status_label=STATUS_LABELS[status],
        message=f"Hồ sơ {case.code}: {STATUS_LABELS[status]}. {CITIZEN_MESSAGES[status]}",
    )


@router.get("/cases/{code}", response_model=CaseDetail, responses=STAFF_ERRORS)
def read_case(code: str, principal: OperatorDep, session: SessionDep) -> CaseDetail:
    """One case with its history; full name and phone for reviewers and admins only.
    Each view is recorded in the audit log (who, which case, whether unmasked)."""
    case = get_case(session, code=normalize_code(code))
    if case is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    masked = not principal.can(Role.reviewer)
    detail = to_detail(case, masked=masked)
    record_access(
        session, principal=principal, action=AccessAction.case_viewed, case_code=case.code,
        full_data=not masked,
    )
    return detail


@router.patch("/cases/{code}", response_model=CaseDetail, responses=STAFF_ERRORS)
def patch_case(code: str, changes: CaseUpdate, principal: ReviewerDep, session: SessionDep) -> CaseDetail:
    """Change status, assignee, referral, reason or outcome, the report fields (form of legal aid,
    outcome code, gender, year of birth, ethnicity with consent, topic, group, commune, first
    contact), or add a note. 409 for a transition the rules forbid; 422 when the new status needs a
    field (reason, referred_to, outcome) or a code is unknown. Leaving `new` sets `first_contact_at`
    (unless recorded), the first move to `accepted` sets `accepted_at`."""
    case = get_case(session, code=normalize_code(code), for_update=True)
    if case is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    before = case.updated_at
    try:
        case = update_case(session, case=case, changes=changes, actor=principal.actor)
    except TransitionError as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    except MissingFieldError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    detail = to_detail(case, masked=False)
    if case.updated_at == before:  # nothing changed, no event names the reader: audit the read
        record_access(
            session, principal=principal, action=AccessAction.case_viewed, case_code=case.code, full_data=True
        )
    return detail


@router.get("/stats", response_model=CaseStats, responses=STAFF_ERRORS)
def read_stats(filters: FiltersQuery, principal: OperatorDep, session: SessionDep) -> CaseStats:
    """Counts by status, eligibility group, province, topic and month (Vietnam time)."""
    return CaseStats.model_validate(case_stats(session, filters=filters))


@router.get("/audit", response_model=DataAccessList, responses=STAFF_ERRORS)
def read_audit(
    query: Annotated[AuditQuery, Query()], principal: AdminDep, session: SessionDep, response: Response
) -> DataAccessList:
    """Admins: the audit log of personal-data reads (case details opened, CSV exports), newest first."""
    response.headers.update(NO_STORE)
    action = AccessAction(query.action) if query.action else None
    rows, count = list_accesses(
        session, action=action, case_code=query.case_code, skip=query.skip, limit=query.limit
    )
    return DataAccessList(data=[DataAccessPublic.model_validate(r) for r in rows], count=count)


@router.get("/vocabulary")
def read_vocabulary() -> dict[str, object]:
    """Public: every code the case store uses with its Vietnamese label (channels, topics,
    eligibility groups, caller relations, genders, forms of legal aid, outcomes, card topics,
    provinces), from `knowledge.vocabulary`, so that no page keeps a list of its own."""
    return vocabulary_json()


@router.get("/me", response_model=Me, responses=STAFF_ERRORS)
def read_me(principal: OperatorDep, response: Response) -> Me:
    """Who the token belongs to (the dashboard shows the admin pages to admins only)."""
    response.headers.update(NO_STORE)
    return Me(name=principal.name, role=principal.role.value)
