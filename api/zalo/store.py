"""Database side of the Zalo channel: inbox (dedup), claims, outbox, per-user buttons, OA tokens.

Every function is synchronous and opens its own short session: callers in the event loop run them
in a thread. Nothing here logs a message text; user ids are logged through `short_id` only.

Claiming is safe with several api processes on PostgreSQL: due rows are selected with
`FOR UPDATE SKIP LOCKED` and marked `processing` with a random claim token and a lease in the same
transaction (on SQLite the write transaction is BEGIN IMMEDIATE, so claims are serialised). Only
the oldest unfinished row of a user can be claimed, so one user's messages (and replies) are
handled in order while different users are handled concurrently. A worker that dies leaves its
rows `processing`: once the lease ends they are claimable again; results are written only if the
claim token still matches, so a row taken over is never answered twice.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from api.cases.models import utcnow
from api.core.db import Database, begin_write
from api.zalo.client import TokenPair
from api.zalo.models import (
    INBOX_DEAD,
    INBOX_DONE,
    INBOX_PENDING,
    INBOX_PROCESSING,
    OUTBOX_DEAD,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_PROCESSING,
    OUTBOX_SENT,
    ZaloInbox,
    ZaloOutbox,
    ZaloToken,
    ZaloUser,
)

log = logging.getLogger(__name__)
INBOX_CHANNEL = "zalo_inbox"  # PostgreSQL NOTIFY channel: a new event is stored

MAX_DEDUP_KEY = 128
MAX_ERROR = 200


def short_id(user_id: str) -> str:
    """A user id as it may appear in logs: a truncated hash."""
    return hashlib.sha256(user_id.encode()).hexdigest()[:10]


def dedup_key_for(raw_key: str) -> str:
    if len(raw_key) <= MAX_DEDUP_KEY:
        return raw_key
    return "sha256:" + hashlib.sha256(raw_key.encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """A row handed to one worker task (plain values: nothing ORM crosses threads)."""

    id: int
    user_id: str
    token: str
    attempts: int
    text: str | None = None
    event_name: str = ""


# --- inbox -------------------------------------------------------------------------------------


def enqueue_event(
    db: Database, *, dedup_key: str, event_name: str, user_id: str, text: str | None, event_ts: str | None
) -> bool:
    """Store a received event; False when its dedup key was already stored (a Zalo retry)."""
    now = utcnow()
    row = {
        "dedup_key": dedup_key_for(dedup_key),
        "event_name": event_name[:48],
        "user_id": user_id,
        "text": text,
        "event_ts": (event_ts or None) and event_ts[:20],
        "status": INBOX_PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "received_at": now,
    }
    if db.engine.dialect.name == "postgresql":
        return _enqueue_postgresql(db, row)
    with db.session() as session:
        begin_write(session)
        if session.scalar(select(ZaloInbox.id).where(ZaloInbox.dedup_key == row["dedup_key"])) is not None:
            return False
        session.add(ZaloInbox(**row))
        try:
            session.commit()
        except IntegrityError:  # the same event stored by a concurrent request
            session.rollback()
            return False
        return True


def _enqueue_postgresql(db: Database, row: dict[str, Any]) -> bool:
    """One statement on the webhook's hot path: insert unless the key is stored, and NOTIFY the
    workers that LISTEN (api/zalo/listener.py; delivered at commit, only when a row was added)."""
    inserted = (
        pg_insert(ZaloInbox).values(**row)
        .on_conflict_do_nothing(index_elements=[ZaloInbox.dedup_key])
        .returning(ZaloInbox.id)
        .cte("inserted")
    )
    statement = select(inserted.c.id, func.pg_notify(INBOX_CHANNEL, ""))
    with db.engine.begin() as connection:
        return connection.execute(statement).first() is not None


def _claim(
    db: Database, model: Any, *, claimable: tuple[str, ...], blocking: tuple[str, ...], limit: int,
    lease_seconds: float, now: datetime | None = None,
) -> list[Any]:
    """Claim up to *limit* due rows, each the oldest unfinished row of its user."""
    if limit <= 0:
        return []
    now = now or utcnow()
    earlier = aliased(model)
    blocked = exists().where(
        earlier.user_id == model.user_id, earlier.id < model.id, earlier.status.in_(blocking)
    )
    due = or_(
        and_(model.status.in_(claimable), model.next_attempt_at <= now),
        and_(model.status == "processing", model.lease_until < now),
    )
    statement = (
        select(model).where(due, ~blocked).order_by(model.id).limit(limit)
        .with_for_update(skip_locked=True, of=model)
    )
    claimed = []
    with db.session() as session:
        begin_write(session)
        rows = session.scalars(statement).all()
        for row in rows:
            row.status = "processing"
            row.claim_token = secrets.token_hex(16)
            row.lease_until = now + timedelta(seconds=lease_seconds)
        session.commit()
        for row in rows:
            claimed.append(row)
    return claimed


def claim_inbox(
    db: Database, *, limit: int, lease_seconds: float, now: datetime | None = None
) -> list[Claim]:
    rows = _claim(
        db, ZaloInbox, claimable=(INBOX_PENDING,), blocking=(INBOX_PENDING, INBOX_PROCESSING),
        limit=limit, lease_seconds=lease_seconds, now=now,
    )
    return [Claim(r.id, r.user_id, r.claim_token, r.attempts, r.text, r.event_name) for r in rows]


def claim_outbox(
    db: Database, *, limit: int, lease_seconds: float, now: datetime | None = None
) -> list[Claim]:
    rows = _claim(
        db, ZaloOutbox, claimable=(OUTBOX_PENDING, OUTBOX_FAILED),
        blocking=(OUTBOX_PENDING, OUTBOX_PROCESSING, OUTBOX_FAILED),
        limit=limit, lease_seconds=lease_seconds, now=now,
    )
    return [Claim(r.id, r.user_id, r.claim_token, r.attempts, r.text) for r in rows]


def load_offered(db: Database, user_id: str) -> list[dict]:
    with db.session() as session:
        user = session.get(ZaloUser, user_id)
        return list(user.offered_buttons or []) if user is not None else []


def finish_inbox(db: Database, claim: Claim, *, replies: list[str], offered: list[dict] | None) -> bool:
    """Atomically: mark the item done (text erased), queue its replies, remember offered buttons.

    False (nothing written) when the claim was lost, i.e. another worker took the row over.
    """
    with db.session() as session:
        begin_write(session)
        row = session.get(ZaloInbox, claim.id, with_for_update=True)
        if row is None or row.claim_token != claim.token or row.status != INBOX_PROCESSING:
            log.warning("Zalo inbox item %s: claim lost, result dropped", claim.id)
            session.rollback()
            return False
        now = utcnow()
        for text in replies:
            session.add(
                ZaloOutbox(
                    inbox_id=row.id, user_id=row.user_id, text=text, status=OUTBOX_PENDING,
                    attempts=0, next_attempt_at=now, created_at=now,
                )
            )
        if offered is not None:
            user = session.get(ZaloUser, row.user_id)
            if user is None:
                session.add(ZaloUser(user_id=row.user_id, offered_buttons=offered, updated_at=now))
            else:
                user.offered_buttons = offered
                user.updated_at = now
        row.status, row.text, row.finished_at = INBOX_DONE, None, now
        row.claim_token, row.lease_until = None, None
        session.commit()
        return True


def retry_inbox(
    db: Database, claim: Claim, *, error: str, delay_seconds: float, give_up: bool, notice: str | None = None
) -> bool:
    """Put the item back (pending, due after *delay_seconds*), or mark it dead when *give_up*.

    *notice* (item kept pending): in the same transaction, queue that text to the user unless a
    text for this item is queued already, so a long outage gets one notice, not one per retry.
    True when the notice was queued. Nothing is written when the claim was lost.
    """
    with db.session() as session:
        begin_write(session)
        values: dict[str, Any] = {
            "attempts": ZaloInbox.attempts + 1,
            "last_error": error[:MAX_ERROR],
            "claim_token": None,
            "lease_until": None,
            "next_attempt_at": utcnow() + timedelta(seconds=delay_seconds),
        }
        if give_up:
            values |= {"status": INBOX_DEAD, "text": None, "finished_at": utcnow()}
        else:
            values["status"] = INBOX_PENDING
        result = session.execute(
            update(ZaloInbox)
            .where(ZaloInbox.id == claim.id, ZaloInbox.claim_token == claim.token)
            .values(**values)
        )
        queued = False
        if notice and not give_up and result.rowcount:  # rowcount 0: the claim was lost
            queued = _queue_notice_once(session, claim, notice)
        session.commit()
        return queued


def _queue_notice_once(session: Session, claim: Claim, text: str) -> bool:
    """Queue *text* for the item's user unless the item already has an outbox row."""
    already = session.scalar(select(ZaloOutbox.id).where(ZaloOutbox.inbox_id == claim.id).limit(1))
    if already is not None:
        return False
    now = utcnow()
    session.add(
        ZaloOutbox(
            inbox_id=claim.id, user_id=claim.user_id, text=text, status=OUTBOX_PENDING,
            attempts=0, next_attempt_at=now, created_at=now,
        )
    )
    return True


# --- outbox ------------------------------------------------------------------------------------


def finish_outbox(db: Database, claim: Claim) -> None:
    with db.session() as session:
        begin_write(session)
        session.execute(
            update(ZaloOutbox)
            .where(ZaloOutbox.id == claim.id, ZaloOutbox.claim_token == claim.token)
            .values(
                status=OUTBOX_SENT, text=None, sent_at=utcnow(), attempts=ZaloOutbox.attempts + 1,
                last_error=None, claim_token=None, lease_until=None,
            )
        )
        session.commit()


def fail_outbox(db: Database, claim: Claim, *, error: str, delay_seconds: float, give_up: bool) -> None:
    """Record a send that finally failed: status failed (retried at next_attempt_at) or dead."""
    with db.session() as session:
        begin_write(session)
        values: dict[str, Any] = {
            "status": OUTBOX_DEAD if give_up else OUTBOX_FAILED,
            "attempts": ZaloOutbox.attempts + 1,
            "last_error": error[:MAX_ERROR],
            "next_attempt_at": utcnow() + timedelta(seconds=delay_seconds),
            "claim_token": None,
            "lease_until": None,
        }
        if give_up:
            values["text"] = None
        session.execute(
            update(ZaloOutbox)
            .where(ZaloOutbox.id == claim.id, ZaloOutbox.claim_token == claim.token)
            .values(**values)
        )
        session.commit()


# --- recovery and retention ----------------------------------------------------------------------


def release_claims(db: Database, inbox: list[Claim], outbox: list[Claim]) -> None:
    """Give back rows this process claimed but did not finish (graceful shutdown)."""
    with db.session() as session:
        begin_write(session)
        groups = ((ZaloInbox, inbox, INBOX_PENDING), (ZaloOutbox, outbox, OUTBOX_PENDING))
        for model, claims, status in groups:
            for claim in claims:
                session.execute(
                    update(model)
                    .where(model.id == claim.id, model.claim_token == claim.token)
                    .where(model.status == "processing")
                    .values(status=status, claim_token=None, lease_until=None)
                )
        session.commit()


def recover_all_claims(db: Database) -> int:
    """Single-process start-up (SQLite): every `processing` row was left by a previous run."""
    with db.session() as session:
        begin_write(session)
        count = 0
        for model, status in ((ZaloInbox, INBOX_PENDING), (ZaloOutbox, OUTBOX_PENDING)):
            result = session.execute(
                update(model)
                .where(model.status == "processing")
                .values(status=status, claim_token=None, lease_until=None)
            )
            count += result.rowcount or 0
        session.commit()
        return count


def purge_handled(db: Database, *, older_than: datetime) -> int:
    """Delete answered/sent/dead rows older than the retention window (dedup keys go with them)."""
    with db.session() as session:
        begin_write(session)
        inbox = session.execute(
            delete(ZaloInbox).where(
                ZaloInbox.status.in_((INBOX_DONE, INBOX_DEAD)), ZaloInbox.received_at < older_than
            )
        )
        outbox = session.execute(
            delete(ZaloOutbox).where(
                ZaloOutbox.status.in_((OUTBOX_SENT, OUTBOX_DEAD)), ZaloOutbox.created_at < older_than
            )
        )
        session.commit()
        return (inbox.rowcount or 0) + (outbox.rowcount or 0)


# --- OA token pair --------------------------------------------------------------------------------


def _seed(pair: TokenPair) -> str:
    return hashlib.sha256(f"{pair.access_token}\n{pair.refresh_token}".encode()).hexdigest()


@dataclass
class DbTokenStore:
    """The OA token pair in the database, shared by every api process.

    Seeded from ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN; once refreshed, the stored pair wins until
    the operator configures a different initial pair (detected through its hash, `seed`).
    """

    db: Database
    app_id: str
    initial: TokenPair

    def load(self) -> TokenPair:
        seed = _seed(self.initial)
        with self.db.session() as session:
            row = session.get(ZaloToken, self.app_id)
            if row is not None and row.seed == seed:
                return TokenPair(row.access_token, row.refresh_token)
            if not self.initial.access_token and not self.initial.refresh_token:
                return TokenPair(row.access_token, row.refresh_token) if row is not None else self.initial
            begin_write(session)
            row = session.get(ZaloToken, self.app_id, with_for_update=True)
            if row is None:
                session.add(
                    ZaloToken(
                        app_id=self.app_id, access_token=self.initial.access_token,
                        refresh_token=self.initial.refresh_token, seed=seed, updated_at=utcnow(),
                    )
                )
            elif row.seed != seed:
                row.access_token, row.refresh_token, row.seed = (
                    self.initial.access_token, self.initial.refresh_token, seed
                )
            else:  # another process seeded it meanwhile
                return TokenPair(row.access_token, row.refresh_token)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
            return self.initial

    def save(self, pair: TokenPair, previous: TokenPair | None = None) -> bool:
        """Store a refreshed pair; False if another process stored a newer one meanwhile."""
        with self.db.session() as session:
            begin_write(session)
            row = session.get(ZaloToken, self.app_id, with_for_update=True)
            if row is None:
                session.add(
                    ZaloToken(
                        app_id=self.app_id, access_token=pair.access_token, refresh_token=pair.refresh_token,
                        seed=_seed(self.initial), updated_at=utcnow(),
                    )
                )
            elif previous is not None and row.refresh_token != previous.refresh_token:
                session.rollback()
                return False
            else:
                row.access_token, row.refresh_token = pair.access_token, pair.refresh_token
                row.updated_at = utcnow()
            session.commit()
            return True
