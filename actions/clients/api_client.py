"""Client for the legal-aid api, as the action server sees it (its own service token later)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx


class ApiUnavailableError(Exception):
    """The api could not be reached or answered with a server error."""


@dataclass(frozen=True)
class KnowledgeAnswer:
    text: str
    confident: bool


@dataclass
class LegalAidApiClient:
    base_url: str
    timeout_seconds: float = 10.0
    transport: httpx.AsyncBaseTransport | None = None

    @classmethod
    def from_env(cls) -> LegalAidApiClient:
        return cls(base_url=os.environ.get("API_URL", "http://127.0.0.1:8000").rstrip("/"))

    async def answer(self, question: str) -> KnowledgeAnswer:
        try:
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=self.timeout_seconds, transport=self.transport
            ) as http:
                response = await http.get("/api/v1/answer", params={"q": question[:500]})
        except httpx.HTTPError as error:
            raise ApiUnavailableError(type(error).__name__) from error
        if response.status_code != 200:
            raise ApiUnavailableError(f"HTTP {response.status_code}")
        body = response.json()
        return KnowledgeAnswer(text=str(body.get("text", "")), confident=bool(body.get("confident")))
