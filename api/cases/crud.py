"""Writing cases: submit (with dedup and idempotency), update with status rules, purge, lookup.

Functions take the session and keyword-only arguments and commit their own transaction.
Logs name cases by code and phones by `phone_ref`, never a name or a number in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.cases.crypto import active_keyring
from api.cases.models import Case, CaseEvent, utcnow
from api.cases.normalize import search_text
from api.cases.privacy import phone_ref
from api.cases.schemas import CaseCreate, CaseUpdate
from api.cases.status import FINAL_STATUSES, OPEN_STATUSES, CaseStatus, check_transition
from api.cases.timezone import VN_TZ
from api.core.db import begin_write, in_write_transaction
from knowledge.case_code import new_code

log = logging.getLogger(__name__)

RESUBMIT_FIELDS = (
    "full_name", "province", "commune", "eligibility_group", "topic", "caller_name", "caller_phone",
    "caller_relation",
)
UPDATE_FIELDS = (
    "assignee", "referred_to", "rejection_reason", "outcome", "outcome_code", "eligibility_group", "topic",
    "commune", "beneficiary_gender", "beneficiary_birth_year", "ethnicity", "legal_aid_form",
    "first_contact_at",
)


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used for a different request (HTTP 409)."""


def _new_code(session: Session, *, year: int) -> str:
    """A random TGPL-<year>-XXXXXX not used yet (the unique constraint backs the check)."""
    for _ in range(20):
        code = new_code(year)
        if session.scalar(select(Case.id).where(Case.code == code)) is None:
            return code
    raise RuntimeError("no free case code found")  # 20 collisions in 10⁹: never in practice


def _lock_dedup_key(session: Session, key: str) -> None:
    """Serialise submits of the same phone+description (SQLite already serialises all writers)."""
    if session.get_bind().dialect.name == "postgresql":
        lock_id = int.from_bytes(bytes.fromhex(key[:16]), "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def get_case(session: Session, *, code: str, for_update: bool = False) -> Case | None:
    """The case with *code*; *for_update* loads it in a write transaction, row locked."""
    stmt = select(Case).where(Case.code == code)
    if for_update:
        begin_write(session)
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def _by_idempotency_key(session: Session, key: str, dkey: str) -> Case | None:
    case = session.scalar(select(Case).where(Case.idempotency_key == key))
    if case is not None and case.dedup_key != dkey:
        raise IdempotencyConflict("Idempotency-Key này đã được dùng cho một yêu cầu khác.")
    return case


def request_ref(key: str | None) -> str | None:
    """A short non-reversible reference of an Idempotency-Key, kept in a resubmission event."""
    return hashlib.sha256(key.encode()).hexdigest()[:16] if key else None


def _resubmit(
    session: Session, case: Case, data: CaseCreate, *, actor: str, now: datetime, key: str | None
) -> None:
    """A duplicate within the window (same phone and description): the stored case is NOT changed
    (whoever sends it may not be the person who made the request); staff see what was sent, when
    and through which channel in a `resubmitted` event. A retry of that same submission (same
    Idempotency-Key) adds no second event."""
    ref = request_ref(key)
    if ref is not None:
        for event in session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "resubmitted")
        ):
            if (event.changes or {}).get("request") == ref:
                return
    submitted: dict[str, str] = {"channel": data.channel}
    for field in RESUBMIT_FIELDS:
        value = getattr(data, field)
        if value is not None:
            submitted[field] = value
    if data.description != case.description:
        submitted["description"] = data.description
    changes: dict[str, object] = {"submitted": submitted}
    if ref is not None:
        changes["request"] = ref
    session.add(CaseEvent(
        case_id=case.id, at=now, actor=actor, action="resubmitted", changes=changes,
        note=(
            f"Một yêu cầu trùng (cùng số điện thoại và nội dung) được gửi qua kênh {data.channel}. "
            "Thông tin của hồ sơ không thay đổi; người gửi không được báo mã hồ sơ."
        ),
    ))


def is_same_request(case: Case, *, idempotency_key: str | None, data: CaseCreate) -> bool:
    """True when *case* was created by this very request (its Idempotency-Key / client_request_id):
    the same person retrying, who may be given the code again."""
    key = idempotency_key or data.client_request_id
    return key is not None and case.idempotency_key == key


def submit_case(
    session: Session,
    *,
    data: CaseCreate,
    actor: str,
    idempotency_key: str | None = None,
    dedup_window: timedelta = timedelta(hours=24),
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Store a request; returns (case, created). A retry or a duplicate returns the existing case,
    unchanged; `is_same_request` tells a retry (may see the code) from a duplicate (may not)."""
    now = now or utcnow()
    begin_write(session)
    key = idempotency_key or data.client_request_id
    dkey = active_keyring().dedup_key(data.phone, data.description)  # HMAC: no unkeyed hash of a phone
    if key and (existing := _by_idempotency_key(session, key, dkey)) is not None:
        session.commit()  # ends the (read) transaction, keeps the loaded object
        return existing, False
    _lock_dedup_key(session, dkey)
    duplicate = session.scalar(
        select(Case)
        .where(Case.dedup_key == dkey, Case.created_at >= now - dedup_window)
        .where(Case.status.in_([s.value for s in OPEN_STATUSES]))
        .order_by(Case.created_at.desc())
        .limit(1)
    )
    if duplicate is not None:
        _resubmit(session, duplicate, data, actor=actor, now=now, key=key)
        session.commit()
        log.info("Case %s: duplicate submission recorded, case unchanged (%s) by %s",
                 duplicate.code, phone_ref(data.phone), actor)
        return duplicate, False

    code = _new_code(session, year=now.astimezone(VN_TZ).year)
    case = Case(
        code=code, channel=data.channel, full_name=data.full_name, phone=data.phone,
        province=data.province, commune=data.commune, eligibility_group=data.eligibility_group,
        topic=data.topic, description=data.description, consent=True, consent_at=data.consent_at or now,
        status=CaseStatus.new.value, dedup_key=dkey, idempotency_key=key,
        search_text=search_text(code, data.commune, data.description), created_at=now, updated_at=now,
        caller_name=data.caller_name, caller_phone=data.caller_phone, caller_relation=data.caller_relation,
        beneficiary_gender=data.beneficiary_gender,
        beneficiary_birth_year=_stored("beneficiary_birth_year", data.beneficiary_birth_year),
        ethnicity=data.ethnicity, legal_aid_form=data.legal_aid_form,
    )
    try:
        session.add(case)
        session.flush()  # a concurrent submit with the same Idempotency-Key fails here (unique)
        session.add(CaseEvent(
            case_id=case.id, at=now, actor=actor, action="created", to_status=CaseStatus.new.value,
            note=f"Tiếp nhận qua kênh {data.channel}.",
        ))
        session.commit()
    except IntegrityError:
        session.rollback()
        if key and (existing := _by_idempotency_key(session, key, dkey)) is not None:
            session.commit()
            return existing, False
        raise
    log.info("Case %s created (%s, %s) by %s", code, data.province, phone_ref(data.phone), actor)
    return case, True


def _stored(field: str, value: object) -> object:
    """A value as the model stores it: the year of birth is an encrypted text."""
    if field == "beneficiary_birth_year" and value is not None:
        return str(value)
    return value


def _event_value(value: object) -> object:
    """A value as an event's `changes` keeps it (JSON)."""
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def _stamp_times(case: Case, current: CaseStatus, target: CaseStatus, now: datetime) -> None:
    """First contact: the first time a case leaves `new` (unless staff recorded it);
    acceptance: the first time it becomes `accepted`."""
    if current == CaseStatus.new and case.first_contact_at is None:
        case.first_contact_at = now
    if target == CaseStatus.accepted and case.accepted_at is None:
        case.accepted_at = now


def update_case(session: Session, *, case: Case, changes: CaseUpdate, actor: str) -> Case:
    """Apply a staff update; raises TransitionError (409) or MissingFieldError (422).

    Best called on a case loaded with `get_case(..., for_update=True)`; otherwise it is
    reloaded here, locked, so the status rules always see the current status.
    """
    if not in_write_transaction(session):
        begin_write(session)
        session.refresh(case, with_for_update=True)
    current = CaseStatus(case.status)
    target = changes.status or current
    given = {f: getattr(changes, f) or getattr(case, f) for f in UPDATE_FIELDS}
    status_changes = check_transition(current, target, given)
    diff: dict[str, list[object]] = {}
    for field in UPDATE_FIELDS:
        new = _stored(field, getattr(changes, field))
        clears = field == "assignee" and new is None and field in changes.model_fields_set
        if (new is not None or clears) and new != getattr(case, field):
            diff[field] = [_event_value(getattr(case, field)), _event_value(new)]
            setattr(case, field, new)
    if "commune" in diff:
        case.search_text = search_text(case.code, case.commune, case.description)
    if not diff and not status_changes and not changes.note:
        session.commit()
        return case
    now = utcnow()
    if status_changes:
        case.status = target.value
        _stamp_times(case, current, target, now)
    case.updated_at = now
    action = "status_changed" if status_changes else ("updated" if diff else "note")
    session.add(CaseEvent(
        case_id=case.id, at=now, actor=actor, action=action,
        from_status=current.value if status_changes else None,
        to_status=target.value if status_changes else None,
        changes=diff or None, note=changes.note,
    ))
    session.commit()
    log.info("Case %s %s by %s", case.code, action, actor)
    return case


def lookup_for_citizen(session: Session, *, code: str, phone_last4: str) -> Case | None:
    """The case only when both the code and the phone's last 4 digits match; same work otherwise."""
    case = session.scalar(select(Case).where(Case.code == code))
    expected = case.phone[-4:] if case is not None else "\x00" * 4
    digest = hashlib.sha256
    matches = hmac.compare_digest(digest(expected.encode()).digest(), digest(phone_last4.encode()).digest())
    return case if case is not None and matches else None


def purge_cases(session: Session, *, older_than_days: int, now: datetime | None = None) -> int:
    """Delete finished (closed, rejected, referred) cases untouched for N days, with their events."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    begin_write(session)
    ids = list(session.scalars(
        select(Case.id).where(
            Case.status.in_([s.value for s in FINAL_STATUSES]), Case.updated_at < cutoff
        )
    ))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        session.execute(delete(CaseEvent).where(CaseEvent.case_id.in_(chunk)))
        session.execute(delete(Case).where(Case.id.in_(chunk)))
    session.commit()
    log.info("Purged %d finished cases older than %d days", len(ids), older_than_days)
    return len(ids)
