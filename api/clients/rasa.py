"""Client for Rasa's REST channel, spread over one or more Rasa replicas.

Rasa's REST channel (bot/channels.py) and HTTP API answer only with Rasa's token
(RASA_AUTH_TOKEN): `auth_headers` for the channel, `auth_params` for the HTTP API (`?token=`,
Rasa's own scheme; httpx's request log, which would show the URL, stays at WARNING).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from api.core.config import Settings

log = logging.getLogger(__name__)


class RasaUnavailableError(Exception):
    """No Rasa replica answered."""


def rasa_token(settings: Settings) -> str | None:
    if settings.rasa_auth_token is None:
        return None
    return settings.rasa_auth_token.get_secret_value().strip() or None


def auth_headers(token: str | None) -> dict[str, str]:
    """For the REST channel: `Authorization: Bearer <token>`."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def auth_params(token: str | None) -> dict[str, str]:
    """For Rasa's HTTP API (`--auth-token`): the `token` query parameter."""
    return {"token": token} if token else {}


@dataclass
class RasaClient:
    """Sends a user message to `/webhooks/rest/webhook`; tries the next replica on failure."""

    base_urls: list[str]
    http: httpx.AsyncClient
    token: str | None = None  # RASA_AUTH_TOKEN
    _cycle: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.base_urls:
            raise ValueError("RasaClient needs at least one base URL")
        self._cycle = itertools.cycle(range(len(self.base_urls)))

    @classmethod
    def from_settings(cls, settings: Settings, http: httpx.AsyncClient) -> RasaClient:
        return cls(base_urls=settings.rasa_url_list, http=http, token=rasa_token(settings))

    def _order(self) -> list[str]:
        start = next(self._cycle)
        return self.base_urls[start:] + self.base_urls[:start]

    async def send(self, sender_id: str, text: str, metadata: dict | None = None) -> list[dict]:
        payload: dict[str, Any] = {"sender": sender_id, "message": text}
        if metadata:
            payload["metadata"] = metadata
        headers = auth_headers(self.token)
        last_error: Exception | None = None
        for base in self._order():
            url = f"{base}/webhooks/rest/webhook"
            try:
                response = await self.http.post(url, json=payload, headers=headers)
            except httpx.HTTPError as error:
                last_error = error
                log.warning("Rasa replica %s unreachable: %s", base, type(error).__name__)
                continue
            if response.status_code in (401, 403):  # a configuration error, not the user's
                last_error = RuntimeError(f"HTTP {response.status_code}")
                log.error("Rasa replica %s refused the api's token (RASA_AUTH_TOKEN)", base)
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
