"""Rasa's REST channel with a bearer token (credentials.yml registers it instead of `rest:`).

`rasa run --auth-token` protects Rasa's HTTP API (`/conversations/...`, `/model/parse`) but not
the input channels: anyone who reached `POST /webhooks/rest/webhook` could speak as any sender,
`zalo:<id>` included. This channel is Rasa's `RestInput` (same name, same URLs, same replies)
whose every route needs `Authorization: Bearer <RASA_AUTH_TOKEN>`, the token of the HTTP API,
compared in constant time; other requests get 401 before the message is read. The api is its
only client (api/clients/rasa.py).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_ENV = "RASA_AUTH_TOKEN"


def bearer_matches(header: str | None, token: str) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(value.strip().encode(), token.encode())


class TokenRestInput(RestInput):
    """`RestInput` at /webhooks/rest/, answering only requests with the bearer token."""

    def __init__(self, token: str) -> None:
        if not token:
            raise RasaException(
                f"{TOKEN_ENV} chưa được đặt / is not set: kênh REST không khởi động "
                "/ the REST channel does not start."
            )
        self._token = token

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        return cls(os.environ.get(TOKEN_ENV, "").strip())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        token = self._token

        async def require_token(request: Request) -> HTTPResponse | None:
            if bearer_matches(request.headers.get("authorization"), token):
                return None
            return response.json(
                {"error": "Yêu cầu không được xác thực / not authenticated."},
                status=401,
                headers={"WWW-Authenticate": "Bearer"},
            )

        webhook.middleware(require_token, "request")
        return webhook

