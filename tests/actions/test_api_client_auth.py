"""The action server's calls to the api carry its token (ACTION_SERVER_TOKEN): the operator role
for a new case, and the service token that keeps its calls out of the per-IP limit. What the
citizen typed travels in a POST body, never in a URL (URLs reach request logs)."""

from __future__ import annotations

import asyncio
import json

import httpx

from actions.clients.api_client import LegalAidApiClient

TOKEN = "act-service-token-for-the-tests-0123456789"
QUESTION = "Tôi là Lục Văn Khải, 0978 135 246, nhà tôi hộ nghèo có được trợ giúp pháp lý không"


def test_every_call_carries_the_token_and_no_typed_text_is_in_a_url() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/v1/answer":
            return httpx.Response(200, json={"text": "Có. Căn cứ: Điều 7", "confident": True})
        if request.url.path == "/api/v1/cases/status":
            return httpx.Response(200, json={"found": False, "message": "Không tìm thấy hồ sơ khớp"})
        return httpx.Response(201, json={"code": "TGPL-2026-ABC123", "created": True, "message": "ok"})

    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(handler), token=TOKEN)

    async def calls() -> None:
        await client.answer(QUESTION)
        await client.case_status("TGPL-2026-ABC123", "5678")
        await client.submit_case({"full_name": "Lục Văn Khải"}, idempotency_key="k-1")

    asyncio.run(calls())
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/api/v1/answer"), ("POST", "/api/v1/cases/status"), ("POST", "/api/v1/cases"),
    ]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in seen)
    assert json.loads(seen[0].content) == {"q": QUESTION}
    assert all(not r.url.query for r in seen)
    assert seen[2].headers["idempotency-key"] == "k-1"


def test_from_env_takes_the_token_of_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    monkeypatch.setenv("API_URL", "http://127.0.0.1:18000/")
    client = LegalAidApiClient.from_env()
    assert client.token == TOKEN and client.base_url == "http://127.0.0.1:18000"
