"""Client for Rasa's REST channel, spread over one or more Rasa replicas."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)


class RasaUnavailableError(Exception):
    """No Rasa replica answered."""


@dataclass
class RasaClient:
    """Sends a user message to `/webhooks/rest/webhook`; tries the next replica on failure."""

    base_urls: list[str]
    http: httpx.AsyncClient
    _cycle: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.base_urls:
            raise ValueError("RasaClient needs at least one base URL")
        self._cycle = itertools.cycle(range(len(self.base_urls)))

    def _order(self) -> list[str]:
        start = next(self._cycle)
        return self.base_urls[start:] + self.base_urls[:start]

    async def send(self, sender_id: str, text: str, metadata: dict | None = None) -> list[dict]:
        payload: dict[str, Any] = {"sender": sender_id, "message": text}
        if metadata:
            payload["metadata"] = metadata
        last_error: Exception | None = None
        for base in self._order():
            try:
                response = await self.http.post(f"{base}/webhooks/rest/webhook", json=payload)
            except httpx.HTTPError as error:
                last_error = error
                log.warning("Rasa replica %s unreachable: %s", base, type(error).__name__)
                continue
            if response.status_code >= 500:
                last_error = RuntimeError(f"HTTP {response.status_code}")
                log.warning("Rasa replica %s answered %s", base, response.status_code)
                continue
            response.raise_for_status()
            body = response.json()
            return body if isinstance(body, list) else []
        raise RasaUnavailableError(str(last_error))

    async def is_ready(self) -> bool:
        """True when at least one replica has a model loaded."""
        for base in self.base_urls:
            try:
                response = await self.http.get(f"{base}/", timeout=2.0)
            except httpx.HTTPError:
                continue
            if response.status_code == 200:
                return True
        return False
