"""Case statuses and the rules for moving between them. Pure functions, no database.

    new ──► accepted ──► in_progress ──► closed
     │         │
     ├──► rejected   (rejection_reason required)
     └──► referred ◄─┘ (referred_to required)

`rejected`, `referred` and `closed` are final: a referred case now belongs to the organisation it
was sent to (if it comes back, it is registered again as a new case). `accepted → referred` is
allowed because a conflict of interest or a wrong jurisdiction is often found only after intake.
Setting the status a case already has is not a transition: it is accepted and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class CaseStatus(str, Enum):
    new = "new"
    accepted = "accepted"
    rejected = "rejected"
    referred = "referred"
    in_progress = "in_progress"
    closed = "closed"


STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.new: "Mới",
    CaseStatus.accepted: "Đã thụ lý",
    CaseStatus.rejected: "Bị từ chối",
    CaseStatus.referred: "Đã chuyển nơi khác",
    CaseStatus.in_progress: "Đang thực hiện",
    CaseStatus.closed: "Đã đóng",
}

# What a citizen reads when looking up a case: plain words, no jargon.
CITIZEN_MESSAGES: dict[CaseStatus, str] = {
    CaseStatus.new: "Trung tâm đã nhận yêu cầu của bạn và sẽ xem xét trong thời gian sớm nhất.",
    CaseStatus.accepted: "Yêu cầu của bạn đã được thụ lý. Cán bộ trợ giúp pháp lý sẽ liên hệ với bạn.",
    CaseStatus.rejected: "Yêu cầu của bạn không được thụ lý. Trung tâm sẽ liên hệ để giải thích lý do.",
    CaseStatus.referred: "Yêu cầu của bạn đã được chuyển đến cơ quan, tổ chức phù hợp hơn để giải quyết.",
    CaseStatus.in_progress: "Cán bộ trợ giúp pháp lý đang thực hiện vụ việc của bạn.",
    CaseStatus.closed: "Vụ việc của bạn đã hoàn thành.",
}

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.new: frozenset({CaseStatus.accepted, CaseStatus.rejected, CaseStatus.referred}),
    CaseStatus.accepted: frozenset({CaseStatus.in_progress, CaseStatus.referred}),
    CaseStatus.in_progress: frozenset({CaseStatus.closed}),
    CaseStatus.rejected: frozenset(),
    CaseStatus.referred: frozenset(),
    CaseStatus.closed: frozenset(),
}

OPEN_STATUSES = frozenset({CaseStatus.new, CaseStatus.accepted, CaseStatus.in_progress})
FINAL_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# The field a status needs, and how to ask for it.
REQUIRED_FIELDS: dict[CaseStatus, tuple[str, str]] = {
    CaseStatus.rejected: ("rejection_reason", "Cần ghi lý do từ chối (rejection_reason)."),
    CaseStatus.referred: ("referred_to", "Cần ghi nơi chuyển hồ sơ đến (referred_to)."),
    CaseStatus.closed: ("outcome", "Cần ghi kết quả vụ việc (outcome) khi đóng hồ sơ."),
}


class TransitionError(Exception):
    """The target status cannot be reached from the current one (HTTP 409)."""


class MissingFieldError(ValueError):
    """The target status needs a field the request did not give (HTTP 422)."""


def check_transition(
    current: CaseStatus, target: CaseStatus, fields: Mapping[str, str | None] | None = None
) -> bool:
    """Validate moving a case from *current* to *target*; True when the status really changes.

    *fields* are the values the request gives (rejection_reason, referred_to, outcome).
    Raises TransitionError or MissingFieldError with a Vietnamese message.
    """
    if target == current:
        return False
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            f"Không thể chuyển hồ sơ từ trạng thái '{STATUS_LABELS[current]}' "
            f"sang '{STATUS_LABELS[target]}'."
        )
    required = REQUIRED_FIELDS.get(target)
    if required is not None:
        name, message = required
        value = (fields or {}).get(name)
        if value is None or not str(value).strip():
            raise MissingFieldError(message)
    return True
