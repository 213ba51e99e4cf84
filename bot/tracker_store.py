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
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_RETRY_SECONDS = 20.0
FIRST_DELAY_SECONDS = 0.2
MAX_DELAY_SECONDS = 2.0


class ResilientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, retry_seconds: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
        # a failed write is rolled back by session_scope, so writing again adds nothing twice
        await self._retrying("write", lambda: SQLTrackerStore.save(self, tracker))

    async def keys(self) -> Iterable[str]:
        return await self._retrying("keys", lambda: SQLTrackerStore.keys(self))
