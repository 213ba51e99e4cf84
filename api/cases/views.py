"""Cases as the api shows them: masked or full, as JSON models or as a CSV file for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from api.cases.models import Case, CaseEvent
from api.cases.normalize import local_phone
from api.cases.privacy import mask_name, mask_phone
from api.cases.schemas import CaseDetail, CaseEventPublic, CasePublic
from api.cases.status import STATUS_LABELS, CaseStatus
from api.cases.timezone import VN_TZ

PII_FIELDS = ("full_name", "phone")
UTF8_BOM = "\ufeff"
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Mã hồ sơ"),
    ("created_at", "Ngày tiếp nhận (giờ Việt Nam)"),
    ("channel", "Kênh"),
    ("status_label", "Trạng thái"),
    ("full_name", "Họ và tên"),
    ("phone", "Số điện thoại"),
    ("province", "Tỉnh/thành phố"),
    ("commune", "Xã/phường"),
    ("eligibility_group", "Diện được trợ giúp"),
    ("topic", "Lĩnh vực"),
    ("description", "Nội dung yêu cầu"),
    ("assignee", "Người thực hiện"),
    ("referred_to", "Chuyển đến"),
    ("rejection_reason", "Lý do từ chối"),
    ("outcome", "Kết quả"),
    ("updated_at", "Cập nhật lần cuối (giờ Việt Nam)"),
)


def to_public(case: Case, *, masked: bool) -> CasePublic:
    status = CaseStatus(case.status)
    return CasePublic(
        code=case.code, channel=case.channel,
        full_name=(mask_name(case.full_name) if masked else case.full_name) or "",
        phone=(mask_phone(case.phone) if masked else case.phone) or "",
        province=case.province, commune=case.commune, eligibility_group=case.eligibility_group,
        topic=case.topic, description=case.description, status=status, status_label=STATUS_LABELS[status],
        assignee=case.assignee, referred_to=case.referred_to, rejection_reason=case.rejection_reason,
        outcome=case.outcome, consent_at=case.consent_at, created_at=case.created_at,
        updated_at=case.updated_at,
    )


MASKERS = {"full_name": mask_name, "phone": mask_phone}


def _masked_changes(changes: dict) -> dict:
    """Event changes with names and phones masked: `{field: [old, new]}` and, for a resubmission,
    `{"submitted": {field: value}}`."""
    masked: dict = {}
    for field, values in changes.items():
        if field == "submitted" and isinstance(values, dict):
            masked[field] = {f: MASKERS[f](v) if f in MASKERS else v for f, v in values.items()}
        elif field in MASKERS:
            mask = MASKERS[field]
            masked[field] = [mask(v) for v in values] if isinstance(values, list) else mask(values)
        else:
            masked[field] = values
    return masked


def _event(event: CaseEvent, *, masked: bool) -> CaseEventPublic:
    changes = event.changes
    if masked and changes:
        changes = _masked_changes(changes)
    return CaseEventPublic(
        at=event.at, actor=event.actor, action=event.action, from_status=event.from_status,
        to_status=event.to_status, changes=changes, note=event.note,
    )


def to_detail(case: Case, *, masked: bool) -> CaseDetail:
    public = to_public(case, masked=masked)
    return CaseDetail(**public.model_dump(), events=[_event(e, masked=masked) for e in case.events])


def _cell(value: object) -> str:
    """Text for one CSV cell; a leading = + - @ is neutralised so Excel never runs a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M")  # Excel reads it as a date
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def spaced_phone(phone: str) -> str:
    """"+84912345678" → "0912 345 678": readable, and the spaces keep Excel from dropping the 0."""
    local = local_phone(phone)
    if len(local) == 10:
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    if len(local) == 11:
        return f"{local[:3]} {local[3:7]} {local[7:]}"
    return local


def cases_csv(cases: Iterable[Case]) -> str:
    """UTF-8 CSV text starting with a BOM, so Excel opens Vietnamese correctly. Full values."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in CSV_COLUMNS])
    for case in cases:
        row = to_public(case, masked=False).model_dump()
        row["phone"] = spaced_phone(case.phone)
        writer.writerow([_cell(row[name]) for name, _ in CSV_COLUMNS])
    return buffer.getvalue()
