"""Cases as the api shows them: masked or full, as JSON models or as a CSV file for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from api.cases.models import Case, CaseEvent
from api.cases.privacy import mask_name, mask_phone
from api.cases.schemas import CaseDetail, CaseEventPublic, CasePublic
from api.cases.status import STATUS_LABELS, CaseStatus
from api.cases.timezone import VN_TZ
from knowledge.vocabulary import (
    CHANNELS,
    GENDERS,
    GROUPS,
    LEGAL_AID_FORMS,
    OUTCOMES,
    RELATIONS,
    TOPICS,
    CodeList,
    group_clause,
    spaced_phone,
)

PII_FIELDS = ("full_name", "phone", "caller_name", "caller_phone")
HIDDEN_WHEN_MASKED = ("beneficiary_birth_year", "ethnicity")
UTF8_BOM = "\ufeff"
# Columns of the CSV file: field, header. Coded fields are written as their Vietnamese labels.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Mã hồ sơ"),
    ("created_at", "Ngày tiếp nhận (giờ Việt Nam)"),
    ("channel", "Kênh"),
    ("status_label", "Trạng thái"),
    ("full_name", "Người được trợ giúp"),
    ("phone", "Số điện thoại"),
    ("beneficiary_gender", "Giới tính"),
    ("beneficiary_birth_year", "Năm sinh"),
    ("ethnicity", "Dân tộc"),
    ("caller_name", "Người yêu cầu (người gọi)"),
    ("caller_phone", "Số điện thoại người gọi"),
    ("caller_relation", "Quan hệ với người được trợ giúp"),
    ("province", "Tỉnh/thành phố"),
    ("commune", "Xã/phường"),
    ("eligibility_group", "Diện được trợ giúp"),
    ("eligibility_clause", "Căn cứ (Luật Trợ giúp pháp lý)"),
    ("topic", "Lĩnh vực"),
    ("legal_aid_form", "Hình thức trợ giúp pháp lý"),
    ("description", "Nội dung yêu cầu"),
    ("assignee", "Người thực hiện"),
    ("first_contact_at", "Liên hệ lần đầu (giờ Việt Nam)"),
    ("accepted_at", "Thụ lý (giờ Việt Nam)"),
    ("referred_to", "Chuyển đến"),
    ("rejection_reason", "Lý do từ chối"),
    ("outcome_code", "Kết quả"),
    ("outcome", "Kết quả (mô tả)"),
    ("updated_at", "Cập nhật lần cuối (giờ Việt Nam)"),
)
LABELLED: dict[str, CodeList] = {
    "channel": CHANNELS, "beneficiary_gender": GENDERS, "caller_relation": RELATIONS,
    "eligibility_group": GROUPS, "topic": TOPICS, "legal_aid_form": LEGAL_AID_FORMS, "outcome_code": OUTCOMES,
}


def _birth_year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def to_public(case: Case, *, masked: bool) -> CasePublic:
    """A case as the api shows it; *masked*: names and phones masked, year of birth and ethnicity
    left out (lists for everyone, detail for operators)."""
    status = CaseStatus(case.status)
    return CasePublic(
        code=case.code, channel=case.channel,
        full_name=(mask_name(case.full_name) if masked else case.full_name) or "",
        phone=(mask_phone(case.phone) if masked else case.phone) or "",
        province=case.province, commune=case.commune, eligibility_group=case.eligibility_group,
        topic=case.topic, description=case.description, status=status, status_label=STATUS_LABELS[status],
        assignee=case.assignee, referred_to=case.referred_to, rejection_reason=case.rejection_reason,
        outcome=case.outcome, outcome_code=case.outcome_code, consent_at=case.consent_at,
        created_at=case.created_at, updated_at=case.updated_at,
        caller_name=mask_name(case.caller_name) if masked else case.caller_name,
        caller_phone=mask_phone(case.caller_phone) if masked else case.caller_phone,
        caller_relation=case.caller_relation, beneficiary_gender=case.beneficiary_gender,
        beneficiary_birth_year=None if masked else _birth_year(case.beneficiary_birth_year),
        ethnicity=None if masked else case.ethnicity, legal_aid_form=case.legal_aid_form,
        first_contact_at=case.first_contact_at, accepted_at=case.accepted_at,
    )


def _hidden(value: object) -> object:
    return None if value is None else "***"


MASKERS = {
    "full_name": mask_name, "phone": mask_phone, "caller_name": mask_name, "caller_phone": mask_phone,
    **{field: _hidden for field in HIDDEN_WHEN_MASKED},
}


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


def cases_csv(cases: Iterable[Case]) -> str:
    """UTF-8 CSV text starting with a BOM, so Excel opens Vietnamese correctly. Full values."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in CSV_COLUMNS])
    for case in cases:
        row = to_public(case, masked=False).model_dump()
        row["phone"] = spaced_phone(case.phone)
        row["caller_phone"] = spaced_phone(case.caller_phone) if case.caller_phone else None
        row["eligibility_clause"] = group_clause(case.eligibility_group)
        for field, codes in LABELLED.items():
            row[field] = codes.label(row[field]) or row[field]
        writer.writerow([_cell(row[name]) for name, _ in CSV_COLUMNS])
    return buffer.getvalue()
