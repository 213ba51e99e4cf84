"""The citizens' status lookup, guarded: a case code is locked for a while after too many wrong tries.

The counter lives in the database (`case_lookup_guards`), so the lock holds across api replicas.
It is kept for every well-formed code, known or not, so a lock says nothing about whether a case
exists. While a code is locked even the right pair gets the "locked" answer. A right answer clears
the counter. Logs name the code (not personal data) and the number of failures, never the digits.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from api.cases.crud import lookup_for_citizen
from api.cases.models import Case, CaseLookupGuard, utcnow
from api.core.db import begin_write
from knowledge.case_code import parse_code

log = logging.getLogger(__name__)

CLEANUP_PROBABILITY = 0.02  # share of failed lookups that also delete the guards no longer needed


@dataclass(frozen=True)
class LookupPolicy:
    max_failures: int = 5
    lock: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LookupResult:
    case: Case | None
    locked: bool = False


def _guard(session: Session, code: str, now: datetime) -> CaseLookupGuard:
    """The guard row of *code*, created if missing, locked until the transaction ends."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(CaseLookupGuard)
        .values(code=code, failures=0, window_started_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["code"])
    )
    return session.scalars(
        select(CaseLookupGuard).where(CaseLookupGuard.code == code).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _cleanup(session: Session, *, now: datetime, policy: LookupPolicy) -> None:
    """Forget guards whose window and lock are both over (they would be reset anyway)."""
    session.execute(delete(CaseLookupGuard).where(
        CaseLookupGuard.window_started_at < now - policy.lock,
        or_(CaseLookupGuard.locked_until.is_(None), CaseLookupGuard.locked_until < now),
    ).execution_options(synchronize_session=False))


def guarded_lookup(
    session: Session, *, code: str, phone_last4: str, policy: LookupPolicy, now: datetime | None = None
) -> LookupResult:
    """The case when the code and last 4 digits match and the code is not locked."""
    now = now or utcnow()
    canonical = parse_code(code)
    if canonical is None:  # not a case code at all: it can match nothing, nothing to count
        log.info("Case status lookup failed: not a case code")
        return LookupResult(None)
    begin_write(session)
    guard = _guard(session, canonical, now)
    if guard.locked_until is not None and guard.locked_until > now:
        session.commit()
        log.info("Case status lookup refused: code %s is locked", canonical)
        return LookupResult(None, locked=True)
    if guard.locked_until is not None or guard.window_started_at < now - policy.lock:
        guard.failures, guard.window_started_at, guard.locked_until = 0, now, None
    case = lookup_for_citizen(session, code=canonical, phone_last4=phone_last4)
    if case is not None:
        session.delete(guard)
        session.commit()
        return LookupResult(case)
    guard.failures += 1
    locked = guard.failures >= policy.max_failures
    if locked:
        guard.locked_until = now + policy.lock
    if random.random() < CLEANUP_PROBABILITY:  # housekeeping, not security
        _cleanup(session, now=now, policy=policy)
    session.commit()
    if locked:
        log.warning("Case status lookup: code %s locked for %d min after %d wrong tries",
                    canonical, round(policy.lock.total_seconds() / 60), guard.failures)
    else:
        log.info("Case status lookup failed for code %s (%d/%d)",
                 canonical, guard.failures, policy.max_failures)
    return LookupResult(None, locked=locked)

