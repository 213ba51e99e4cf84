"""The values a document template fills in, from a case as the api shows it (pure).

`case_values(case, vocabulary, today)` turns a case (the `CaseDetail` fields as a mapping) into
plain strings for the `{placeholders}` of api/documents/templates: labels instead of codes, dates
in Vietnamese, the requester (the caller when someone else called, else the beneficiary), the
centre of the province. A value the case does not have is "" (the form leaves a line to write on).

>>> from datetime import date
>>> values = case_values({"code": "TGPL-2026-K7QM4X", "full_name": "Nguyễn Thị Hoa", "phone": "+84912345678",
...     "province": "Lào Cai", "commune": "Xã Tân Lập", "channel": "hotline", "eligibility_group": "x",
...     "created_at": "2026-11-03T02:00:00+00:00"}, Vocabulary(), date(2026, 12, 3))
>>> values["requester_name"], values["phone"], values["address"], values["created_date"], values["today"]
('Nguyễn Thị Hoa', '0912 345 678', 'Xã Tân Lập, Lào Cai', '03/11/2026', 'ngày 03 tháng 12 năm 2026')
>>> values["center_name"]
'Trung tâm trợ giúp pháp lý nhà nước Lào Cai'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from api.cases.timezone import VN_TZ

SELF_RELATION = "ban_than"
SELF_LABEL = "Chính người được trợ giúp pháp lý"
EVENT_ACTIONS = {
    "created": "Tiếp nhận hồ sơ",
    "resubmitted": "Có yêu cầu trùng được gửi",
    "status_changed": "Chuyển trạng thái",
    "updated": "Cập nhật thông tin",
    "note": "Ghi chú",
}


@dataclass(frozen=True)
class Vocabulary:
    """Code → label lists and the province's official name (injected: knowledge.vocabulary)."""

    channels: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    topics: Mapping[str, str] = field(default_factory=dict)
    relations: Mapping[str, str] = field(default_factory=dict)
    genders: Mapping[str, str] = field(default_factory=dict)
    legal_aid_forms: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    group_clause: Callable[[str | None], str | None] = lambda code: None
    province_official: Callable[[str], str] = lambda name: name


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return None


def vn_date(value: object) -> str:
    moment = _moment(value)
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y") if moment else ""


def vn_time(value: object) -> str:
    moment = _moment(value)
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if moment else ""


def spaced_phone(phone: str) -> str:
    """"+84912345678" → "0912 345 678" (any other form is left as it is)."""
    local = "0" + phone[3:] if phone.startswith("+84") else phone
    if len(local) == 10 and local.isdigit():
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    if len(local) == 11 and local.isdigit():
        return f"{local[:3]} {local[3:7]} {local[7:]}"
    return local


def _label(labels: Mapping[str, str], code: object) -> str:
    text = _text(code)
    return labels.get(text, text)


def _center_name(province: str, vocabulary: Vocabulary) -> str:
    if not province:
        return "Trung tâm trợ giúp pháp lý nhà nước"
    official = vocabulary.province_official(province)
    if official != province:  # "Tỉnh Lào Cai" → "tỉnh Lào Cai"
        official = official[:1].lower() + official[1:]
    return f"Trung tâm trợ giúp pháp lý nhà nước {official}"


def case_values(case: Mapping[str, Any], vocabulary: Vocabulary, today: date) -> dict[str, str]:
    """Every placeholder of the templates, as text."""
    province = _text(case.get("province"))
    commune = _text(case.get("commune"))
    phone = spaced_phone(_text(case.get("phone")))
    caller = _text(case.get("caller_name"))
    relation = _text(case.get("caller_relation"))
    someone_else = bool(caller) and relation != SELF_RELATION
    group = _text(case.get("eligibility_group"))
    clause = vocabulary.group_clause(group or None)
    return {
        "code": _text(case.get("code")),
        "today": f"ngày {today:%d} tháng {today:%m} năm {today:%Y}",
        "center_name": _center_name(province, vocabulary),
        "requester_name": caller if someone_else else _text(case.get("full_name")),
        "requester_phone": spaced_phone(_text(case.get("caller_phone"))) if someone_else else phone,
        "requester_relation": _label(vocabulary.relations, relation) if someone_else else SELF_LABEL,
        "full_name": _text(case.get("full_name")),
        "phone": phone,
        "birth_year": _text(case.get("beneficiary_birth_year")),
        "gender": _label(vocabulary.genders, case.get("beneficiary_gender")),
        "ethnicity": _text(case.get("ethnicity")),
        "commune": commune,
        "province": province,
        "address": ", ".join(part for part in (commune, province) if part),
        "group": group,
        "group_label": _label(vocabulary.groups, group),
        "group_clause": f"{clause} Luật Trợ giúp pháp lý 11/2017/QH14" if clause else "",
        "topic": _label(vocabulary.topics, case.get("topic")),
        "description": _text(case.get("description")),
        "legal_aid_form": _label(vocabulary.legal_aid_forms, case.get("legal_aid_form")),
        "channel": _label(vocabulary.channels, case.get("channel")),
        "created_date": vn_date(case.get("created_at")),
        "status": _text(case.get("status_label")) or _label(vocabulary.statuses, case.get("status")),
        "assignee": _text(case.get("assignee")),
        "referred_to": _text(case.get("referred_to")),
        "rejection_reason": _text(case.get("rejection_reason")),
        "outcome": _label(vocabulary.outcomes, case.get("outcome_code")) or _text(case.get("outcome")),
    }


def event_lines(events: list[Mapping[str, Any]], vocabulary: Vocabulary) -> list[str]:
    """One line per history event: when, who, what (statuses as labels), the note."""
    lines = []
    for event in events:
        what = EVENT_ACTIONS.get(_text(event.get("action")), _text(event.get("action")))
        if event.get("to_status") and event.get("action") == "status_changed":
            before = _label(vocabulary.statuses, event.get("from_status"))
            what += f": {before} → {_label(vocabulary.statuses, event.get('to_status'))}"
        line = f"{vn_time(event.get('at'))} — {_text(event.get('actor'))} — {what}"
        if _text(event.get("note")):
            line += f". Ghi chú: {_text(event.get('note'))}"
        lines.append(line)
    return lines
