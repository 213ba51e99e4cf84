"""Is the Rasa action server up? (`GET {ACTION_SERVER_URL}/health`, briefly cached.)

When the action server is down, Rasa swallows the failed custom action and answers with an empty
reply list: the user's message (e.g. the phone number asked by the intake form) is lost. The chat
gateway and the Zalo worker therefore ask `ActionServerHealth` before sending a message to Rasa,
and again, bypassing the cache, when Rasa's reply is empty.

One instance per app (built in the lifespan, kept in `AppState.actions`). An "up" answer is trusted
for `ACTION_SERVER_CHECK_CACHE_SECONDS`, a "down" one for at most `DOWN_RECHECK_SECONDS`, so the
conversation resumes soon after the server is back. Concurrent callers share one probe. An empty
`ACTION_SERVER_URL` turns the check off (always up).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from api.clients.rasa import RasaClient
from api.core.config import Settings

log = logging.getLogger(__name__)

DOWN_RECHECK_SECONDS = 0.5


class ActionServerDownError(Exception):
    """The action server does not answer its health check."""


@dataclass
class ActionServerHealth:
    base_url: str
    http: httpx.AsyncClient
    timeout_seconds: float = 1.0
    up_cache_seconds: float = 2.0
    clock: Callable[[], float] = time.monotonic
    _up: bool | None = field(default=None, init=False, repr=False)
    _probed_at: float = field(default=-math.inf, init=False, repr=False)  # when the last probe began
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.strip().rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings, http: httpx.AsyncClient) -> ActionServerHealth:
        return cls(
            settings.action_server_url,
            http,
            timeout_seconds=settings.action_server_check_timeout_seconds,
            up_cache_seconds=settings.action_server_check_cache_seconds,
        )

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)

    async def is_up(self, *, fresh: bool = False) -> bool:
        """True when `/health` answers 200. *fresh*: only a probe begun after this call counts."""
        if not self.enabled:
            return True
        asked_at = self.clock()
        if not fresh and self._cached(asked_at) is not None:
            return bool(self._up)
        async with self._lock:  # one probe at a time; the others wait and share its result
            if self._probed_at >= asked_at or (not fresh and self._cached(self.clock()) is not None):
                return bool(self._up)
            started = self.clock()
            self._record(await self._probe(), started)
            return bool(self._up)

    async def ensure_up(self, *, fresh: bool = False) -> None:
        if not await self.is_up(fresh=fresh):
            raise ActionServerDownError

    def _cached(self, now: float) -> bool | None:
        if self._up is None:
            return None
        ttl = self.up_cache_seconds if self._up else min(DOWN_RECHECK_SECONDS, self.up_cache_seconds)
        return self._up if now - self._probed_at < ttl else None

    async def _probe(self) -> bool:
        try:
            response = await self.http.get(f"{self.base_url}/health", timeout=self.timeout_seconds)
        except (httpx.HTTPError, httpx.InvalidURL):
            return False
        return response.status_code == 200

    def _record(self, up: bool, started: float) -> None:
        if up != self._up:
            if up:
                log.info("Action server is up (GET /health answered)")
            else:
                log.warning("Action server is down (GET /health failed): messages are held, not sent to Rasa")
        self._up, self._probed_at = up, started


async def send_when_actions_up(
    rasa: RasaClient, actions: ActionServerHealth, sender_id: str, text: str
) -> list[dict]:
    """Send to Rasa only while the action server is up; an empty reply re-checks it (no cache).

    Raises ActionServerDownError (the message was not sent, or its answer was lost: the user or
    the caller sends it again) or RasaUnavailableError.
    """
    await actions.ensure_up()
    replies = await rasa.send(sender_id, text)
    if not replies:
        await actions.ensure_up(fresh=True)
    return replies
