"""Client for the legal-aid api, as the action server sees it.

Every call carries the action server's token (ACTION_SERVER_TOKEN): the operator role for
`POST /api/v1/cases`, and the service token that keeps its calls out of the api's per-IP rate
limit (all citizens' questions come from this one process on 127.0.0.1). The citizen's question
goes in a POST body, never in a URL (URLs end up in request logs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx


class ApiUnavailableError(Exception):
    """The api could not be reached or answered with a server error."""


class ApiRejectedError(Exception):
    """The api refused the request (4xx other than a retry answer): not worth retrying as is."""


@dataclass(frozen=True)
class CaseReceipt:
    code: str
    created: bool
    message: str


@dataclass(frozen=True)
class StatusReply:
    found: bool
    message: str
    status_label: str | None = None


@dataclass(frozen=True)
class KnowledgeAnswer:
    text: str
    confident: bool


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Understanding:
    """What `POST /api/v1/understand` made of a message: the messages to send (the first one short),
    the details behind "Xem thêm", and what kind of reply it is."""

    kind: str  # answer | eligibility | clarify | not_sure | no_legal_content
    confident: bool
    messages: tuple[BotMessage, ...]
    more: str | None = None


@dataclass
class LegalAidApiClient:
    base_url: str
    timeout_seconds: float = 10.0
    transport: httpx.AsyncBaseTransport | None = None
    token: str | None = None  # ACTION_SERVER_TOKEN: operator and service bearer token

    @classmethod
    def from_env(cls) -> LegalAidApiClient:
        return cls(
            base_url=os.environ.get("API_URL", "http://127.0.0.1:8000").rstrip("/"),
            token=os.environ.get("ACTION_SERVER_TOKEN") or None,
        )

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def answer(self, question: str) -> KnowledgeAnswer:
        """POST /api/v1/answer: the question in the body, not in the URL."""
        response = await self._post("/api/v1/answer", {"q": question[:500]})
        if response.status_code != 200:
            raise ApiUnavailableError(f"HTTP {response.status_code}")
        body = response.json()
        return KnowledgeAnswer(text=str(body.get("text", "")), confident=bool(body.get("confident")))

    async def understand(self, text: str) -> Understanding:
        """POST /api/v1/understand: a whole message (a story with up to 2,000 characters)."""
        response = await self._post("/api/v1/understand", {"text": text[:2000]})
        if response.status_code == 404:  # an api without the understanding: the plain answer
            answer = await self.answer(text)
            kind = "answer" if answer.confident else "not_sure"
            return Understanding(kind, answer.confident, (BotMessage(answer.text),))
        if response.status_code != 200:
            raise ApiUnavailableError(f"HTTP {response.status_code}")
        body = response.json()
        messages = tuple(
            BotMessage(
                text=str(m.get("text") or ""),
                buttons=tuple(
                    {"title": str(b.get("title") or ""), "payload": str(b.get("payload") or "")}
                    for b in (m.get("buttons") or []) if b.get("title") and b.get("payload")
                ),
            )
            for m in (body.get("messages") or []) if m.get("text")
        )
        return Understanding(
            kind=str(body.get("kind") or "not_sure"), confident=bool(body.get("confident")),
            messages=messages, more=(str(body["more"]) if body.get("more") else None),
        )

    async def _post(self, path: str, body: dict, headers: dict[str, str] | None = None) -> httpx.Response:
        try:
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=self.timeout_seconds, transport=self.transport
            ) as http:
                return await http.post(path, json=body, headers=self._auth() | (headers or {}))
        except httpx.HTTPError as error:
            raise ApiUnavailableError(type(error).__name__) from error

    async def submit_case(self, body: dict, *, idempotency_key: str) -> CaseReceipt:
        """POST /api/v1/cases as the action server (operator token). 201 new, 200 same code again."""
        response = await self._post("/api/v1/cases", body, {"Idempotency-Key": idempotency_key})
        if response.status_code >= 500:
            raise ApiUnavailableError(f"HTTP {response.status_code}")
        if response.status_code not in (200, 201):
            raise ApiRejectedError(f"HTTP {response.status_code}")
        data = response.json()
        return CaseReceipt(
            code=str(data["code"]),
            created=bool(data.get("created", True)),
            message=str(data.get("message", "")),
        )

    async def case_status(self, code: str, phone_last4: str) -> StatusReply:
        """POST /api/v1/cases/status (public; the service token only spares the per-IP limit)."""
        response = await self._post("/api/v1/cases/status", {"code": code, "phone_last4": phone_last4})
        if response.status_code >= 500:
            raise ApiUnavailableError(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise ApiRejectedError(f"HTTP {response.status_code}")
        data = response.json()
        return StatusReply(
            found=bool(data.get("found")), message=str(data.get("message", "")),
            status_label=data.get("status_label"),
        )
