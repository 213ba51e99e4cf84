"""Sends replies through the Zalo OA API, with retry, backoff and access-token refresh."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

log = logging.getLogger(__name__)

TOKEN_EXPIRED = -216


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


class TokenStore(Protocol):
    """Where the current pair lives (`FileTokenStore`, or `api.zalo.store.DbTokenStore`).

    `save` gets the pair that was refreshed as *previous*; a store shared by several processes
    may refuse (return False) when another process already stored a newer pair.
    """

    def load(self) -> TokenPair: ...
    def save(self, pair: TokenPair, previous: TokenPair | None = None) -> bool | None: ...


@dataclass
class FileTokenStore:
    """Keeps the current token pair in a JSON file (written atomically), seeded from settings."""

    path: Path
    initial: TokenPair

    def load(self) -> TokenPair:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return TokenPair(data["access_token"], data["refresh_token"])
        except (OSError, ValueError, KeyError):
            return self.initial

    def save(self, pair: TokenPair, previous: TokenPair | None = None) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".zalo-token-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"access_token": pair.access_token, "refresh_token": pair.refresh_token}, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
        return True


class ZaloSendError(Exception):
    """A reply could not be delivered after every retry."""


@dataclass
class ZaloClient:
    """Token store calls run in a thread (a database store must not block the event loop)."""

    http: httpx.AsyncClient
    api_base: str
    oauth_base: str
    app_id: str
    app_secret: str
    tokens: TokenStore
    attempts: int = 4
    backoff_seconds: float = 0.5
    _refresh_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    async def send_text(self, user_id: str, text: str) -> None:
        """Deliver one text; retries transient failures, refreshes an expired token once."""
        refreshed = False
        delay = self.backoff_seconds
        last_error = "unknown"
        for attempt in range(1, self.attempts + 1):
            pair = await asyncio.to_thread(self.tokens.load)
            try:
                response = await self.http.post(
                    f"{self.api_base}/v3.0/oa/message/cs",
                    headers={"access_token": pair.access_token},
                    json={"recipient": {"user_id": user_id}, "message": {"text": text}},
                )
            except httpx.HTTPError as error:
                last_error = type(error).__name__
            else:
                if response.status_code >= 500:
                    last_error = f"HTTP {response.status_code}"
                else:
                    error_code = _error_code(response)
                    if error_code == 0:
                        return
                    if error_code == TOKEN_EXPIRED and not refreshed:
                        await self.refresh_token(expired=pair)
                        refreshed = True
                        continue
                    raise ZaloSendError(f"zalo error {error_code}")  # permanent: not retried
            if attempt < self.attempts:
                await asyncio.sleep(delay)
                delay *= 2
        raise ZaloSendError(last_error)

    async def refresh_token(self, expired: TokenPair | None = None) -> TokenPair:
        """Exchange the refresh token (single-use) for a new pair and store it.

        One refresh at a time in this process; if the stored pair is no longer the *expired* one,
        another task or process has refreshed already and that pair is used as it is.
        """
        async with self._refresh_lock:
            pair = await asyncio.to_thread(self.tokens.load)
            if expired is not None and pair.access_token != expired.access_token:
                return pair
            try:
                response = await self.http.post(
                    f"{self.oauth_base}/v4/oa/access_token",
                    headers={"secret_key": self.app_secret},
                    data={
                        "refresh_token": pair.refresh_token, "app_id": self.app_id,
                        "grant_type": "refresh_token",
                    },
                )
                body = response.json() if response.content else {}
            except (httpx.HTTPError, ValueError) as error:
                raise ZaloSendError(f"token refresh failed: {type(error).__name__}") from None
            if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
                code = body.get("error") if isinstance(body, dict) else None
                raise ZaloSendError(f"token refresh failed (HTTP {response.status_code}, error {code})")
            refresh = str(body.get("refresh_token") or pair.refresh_token)
            new_pair = TokenPair(str(body["access_token"]), refresh)
            if await asyncio.to_thread(self.tokens.save, new_pair, pair) is False:
                log.warning("Zalo token refreshed concurrently by another process; using the stored pair")
                return await asyncio.to_thread(self.tokens.load)
            log.info("Zalo access token refreshed")
            return new_pair


def _error_code(response: httpx.Response) -> int:
    try:
        return int(response.json().get("error", 0))
    except (ValueError, AttributeError, TypeError):
        return 0 if response.status_code == 200 else -1
