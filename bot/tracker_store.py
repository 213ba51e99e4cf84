"""Rasa's SQL tracker store, made to ride out a PostgreSQL restart without losing a conversation.

Rasa wraps every tracker store in a `FailSafeTrackerStore`: when reading a conversation fails it
silently starts a NEW one (the citizen half-way through the intake form is suddenly greeted as a
stranger). With the stock `SQLTrackerStore` that happens on the first message after every
PostgreSQL restart, because the pooled connections are dead. This store

* checks each pooled connection before use (`pool_pre_ping`), so a restart costs nothing once the
  server is back, and
* retries a failed read or write for up to `TRACKER_STORE_RETRY_SECONDS` (default 20, below the
  api's 30 s Rasa timeout), so a message that arrives while the server restarts waits for it
  instead of being answered from an empty conversation.

Selected in `endpoints.production.yml` (`type: bot.tracker_store.ResilientSQLTrackerStore`), with
the same settings as Rasa's `type: SQL`.

Both stores here (this one and `PrivateInMemoryTrackerStore`, the development store of
`endpoints.yml`) keep conversations private (bot/conversation_privacy.py): a closed intake (case
submitted, consent refused, "thôi") is redacted from the stored conversation, and conversations
are dropped `CONVERSATION_RETENTION_DAYS` (default 30) after their last event, checked at most
every `CONVERSATION_RETENTION_CHECK_SECONDS` (default 3600). Rasa's `SQLTrackerStore.save` only
appends new rows (it counts the stored rows to know which events are new), so redaction updates
the rows in place and keeps their number.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversation_privacy import (
    SESSION_STARTED,
    Retention,
    Throttle,
    redact,
    redactions,
    retained_events,
    touches_intake_boundary,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_RETRY_SECONDS = 20.0
FIRST_DELAY_SECONDS = 0.2
MAX_DELAY_SECONDS = 2.0


# Expired events (see conversation_privacy.retained_events): whole conversations whose last event
# is older than the cutoff, and older sessions' events older than the cutoff.
_EXPIRE_SQL = sa.text(
    "DELETE FROM events WHERE timestamp < :cutoff AND ("
    " sender_id NOT IN (SELECT n.sender_id FROM events n WHERE n.timestamp >= :cutoff)"
    " OR timestamp < (SELECT max(s.timestamp) FROM events s"
    "                 WHERE s.sender_id = events.sender_id AND s.type_name = :session_started))"
)


def _retention(retention: Retention | None) -> Retention:
    return retention if retention is not None else Retention.from_env(os.environ)


class PrivateInMemoryTrackerStore(InMemoryTrackerStore):
    """Rasa's in-memory store (development profile) with redaction of closed intakes and retention."""

    def __init__(self, domain: Any = None, event_broker: Any = None, *, retention: Retention | None = None,
                 clock: Callable[[], float] = time.time, **kwargs: Any) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.retention = _retention(retention)
        self.clock = clock
        self._sweep = Throttle(self.retention.check_seconds)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        cutoff = self.retention.cutoff(self.clock())
        dialogue = tracker.as_dialogue().as_dict()
        events = retained_events(redact(dialogue["events"]), cutoff)
        if events is None:
            self.store.pop(tracker.sender_id, None)
        else:
            dialogue["events"] = events
            self.store[tracker.sender_id] = json.dumps(dialogue)
        if self._sweep.due():
            self.expire(cutoff, skip=tracker.sender_id)

    def expire(self, cutoff: float, skip: str | None = None) -> int:
        """Drops what is past *cutoff* from every stored conversation; returns how many went."""
        dropped = 0
        for sender_id in [key for key in self.store if key != skip]:
            dialogue = json.loads(self.store[sender_id])
            events = retained_events(dialogue.get("events") or [], cutoff)
            if events is None:
                del self.store[sender_id]
                dropped += 1
            elif len(events) != len(dialogue.get("events") or []):
                dialogue["events"] = events
                self.store[sender_id] = json.dumps(dialogue)
        if dropped:
            log.info("Tracker store: %d conversation(s) past the retention period dropped", dropped)
        return dropped


class ResilientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, retry_seconds: float | None = None, retention: Retention | None = None,
                 clock: Callable[[], float] = time.time, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retention = _retention(retention)
        self.clock = clock
        self._sweep = Throttle(self.retention.check_seconds)
        if retry_seconds is None:
            retry_seconds = float(os.environ.get("TRACKER_STORE_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))
        self.retry_seconds = retry_seconds
        url = self.engine.url  # after Rasa switched from login_db to the conversation database
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrying(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        deadline = time.monotonic() + self.retry_seconds
        delay = FIRST_DELAY_SECONDS
        while True:
            try:
                return await operation()
            except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
                if time.monotonic() + delay > deadline:
                    log.error("Tracker store: %s failed for %.0fs, giving up", what, self.retry_seconds)
                    raise
                log.warning("Tracker store: %s failed (%s), retrying in %.1fs", what,
                            type(error.orig).__name__ if error.orig else type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_DELAY_SECONDS)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._retrying("read", lambda: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._retrying(
            "read", lambda: SQLTrackerStore.retrieve_full_tracker(self, conversation_id)
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        cutoff = self.retention.cutoff(self.clock())
        # a failed write is rolled back (nothing committed), so writing again adds nothing twice
        await self._retrying("write", lambda: self._write(tracker, cutoff))
        if self._sweep.due():
            try:
                await asyncio.to_thread(self.expire, cutoff)
            except sa.exc.SQLAlchemyError as error:  # tried again at the next check
                log.warning("Tracker store: retention check failed (%s)", type(error).__name__)

    async def _write(self, tracker: DialogueStateTracker, cutoff: float) -> None:
        """Rasa's save (append the events not stored yet) plus, when an intake may have closed,
        the redaction of the stored rows, in one transaction."""
        with self.session_scope() as session:
            new = [event.as_dict() for event in self._additional_events(session, tracker)]
            # an event retention already removed is not written back by a tracker read before
            new = [data for data in new if not (data.get("timestamp") or cutoff) < cutoff]
            for data in new:
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=data.get("event"),
                    timestamp=data.get("timestamp"),
                    intent_name=((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            if touches_intake_boundary(new):
                session.flush()
                rows = (session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id)
                        .order_by(self.SQLEvent.id).all())
                for index, event in redactions([json.loads(row.data) for row in rows]).items():
                    rows[index].data = json.dumps(event)
            session.commit()

    def expire(self, cutoff: float) -> int:
        """Deletes the events past *cutoff* (see _EXPIRE_SQL); returns how many went."""
        with self.session_scope() as session:
            deleted = session.execute(_EXPIRE_SQL, {"cutoff": cutoff, "session_started": SESSION_STARTED})
            session.commit()
        count = deleted.rowcount or 0
        if count:
            log.info("Tracker store: %d event(s) past the retention period deleted", count)
        return count

    async def keys(self) -> Iterable[str]:
        return await self._retrying("keys", lambda: SQLTrackerStore.keys(self))
