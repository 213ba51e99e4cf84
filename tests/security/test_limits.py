"""Rate limits (unit: injectable clock; http: 429 + Retry-After), body limit (413), CORS, no-store."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.core.limits import BODY_TOO_LARGE, RATE_LIMITED, SlidingWindowLimiter, retry_after_header
from tests.security.conftest import ADMIN, case_body


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_allows_limit_then_refuses_until_the_window_slides() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 60.0, clock=clock)
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    assert limiter.hit("a") == pytest.approx(60.0)
    assert limiter.hit("b") is None  # keys are counted apart
    clock.now += 30
    assert limiter.hit("a") == pytest.approx(30.0)  # refused hits are not counted
    clock.now += 30  # the first three hits leave the window
    assert limiter.hit("a") is None


def test_limiter_is_a_sliding_window_not_a_fixed_one() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(2, 60.0, clock=clock)
    assert limiter.hit("k") is None
    clock.now += 50
    assert limiter.hit("k") is None
    clock.now += 20  # 70 s after the first, 20 s after the second
    assert limiter.hit("k") is None
    assert limiter.hit("k") == pytest.approx(40.0)  # the hit at +50 leaves the window at +110


def test_limiter_zero_is_off_and_memory_is_bounded() -> None:
    off = SlidingWindowLimiter(0)
    assert not off.enabled and all(off.hit("x") is None for _ in range(1000))
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60.0, clock=clock, max_keys=100)
    for n in range(1000):
        limiter.hit(f"user-{n}")
        clock.now += 0.001
    assert len(limiter) <= 100


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert retry_after_header(0.0) == "1" and retry_after_header(29.2) == "30"
    assert retry_after_header(60) == "60"


def test_chat_is_rate_limited_per_ip_with_429_vietnamese_and_retry_after(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(rate_limit_per_ip_per_minute=3)
    body = {"text": "xin chào"}
    assert [client.post("/api/v1/chat", json=body).status_code for _ in range(3)] == [200, 200, 200]
    response = client.post("/api/v1/chat", json=body)
    assert response.status_code == 429
    assert response.json() == {"detail": RATE_LIMITED}
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert client.get("/healthz").status_code != 429  # only the public endpoints are counted


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/api/v1/cases/status", {"json": {"code": "TGPL-2026-000001", "phone_last4": "5678"}}),
        ("GET", "/api/v1/search", {"params": {"q": "hộ nghèo"}}),
        ("GET", "/api/v1/answer", {"params": {"q": "hộ nghèo"}}),
        ("GET", "/api/v1/chat/history", {}),  # the web chat's reload reads Rasa's tracker
    ],
)
def test_other_public_endpoints_are_rate_limited(
    make_client: Callable[..., TestClient], method: str, path: str, kwargs: dict
) -> None:
    client = make_client(rate_limit_per_ip_per_minute=2)
    first = [client.request(method, path, **kwargs).status_code for _ in range(2)]
    assert 429 not in first
    response = client.request(method, path, **kwargs)
    assert response.status_code == 429 and response.json()["detail"] == RATE_LIMITED
    assert "Retry-After" in response.headers


def test_rate_limit_zero_is_off(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_ip_per_minute=0)
    body = {"text": "xin chào"}
    assert all(client.post("/api/v1/chat", json=body).status_code == 200 for _ in range(80))


def test_staff_endpoints_are_not_counted_by_the_public_limit(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_ip_per_minute=1)
    assert all(client.get("/api/v1/cases", headers=ADMIN).status_code == 200 for _ in range(5))


def test_body_over_the_limit_by_content_length_is_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_request_body_bytes=1024)
    response = client.post("/api/v1/chat", json={"text": "a" * 2000})
    assert response.status_code == 413
    assert response.json() == {"detail": BODY_TOO_LARGE}
    small = client.post("/api/v1/chat", json={"text": "a" * 100})
    assert small.status_code == 200


def test_streamed_body_over_the_limit_is_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_request_body_bytes=1024)

    def chunks():  # no Content-Length: sent chunked
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 200
        yield b'"}'

    response = client.post("/api/v1/chat", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": BODY_TOO_LARGE}


def test_streamed_body_under_the_limit_passes(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_request_body_bytes=1024)

    def chunks():
        yield b'{'
        yield '"text": "xin chào"}'.encode()

    response = client.post("/api/v1/chat", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 200


def test_case_create_over_the_default_limit_is_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    response = client.post(
        "/api/v1/cases", json=case_body(description="x" * (70 * 1024)), headers=ADMIN
    )
    assert response.status_code == 413
    assert response.headers["Cache-Control"] == "no-store"


def test_cors_allows_a_configured_origin(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins="https://tgpl.example.vn, https://zalo-mini.example.vn")
    preflight = client.options(
        "/api/v1/chat",
        headers={"Origin": "https://tgpl.example.vn", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://tgpl.example.vn"
    response = client.post(
        "/api/v1/chat", json={"text": "xin chào"}, headers={"Origin": "https://tgpl.example.vn"}
    )
    assert response.headers["access-control-allow-origin"] == "https://tgpl.example.vn"


@pytest.mark.parametrize("configured", ["", "https://tgpl.example.vn"])
def test_cors_refuses_other_origins(make_client: Callable[..., TestClient], configured: str) -> None:
    client = make_client(cors_origins=configured)
    evil = "https://evil.example.com"
    preflight = client.options(
        "/api/v1/cases",
        headers={"Origin": evil, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization"},
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    response = client.get("/api/v1/cases", headers=ADMIN | {"Origin": evil})
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-credentials" not in response.headers


def test_case_api_answers_are_no_store(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    created = client.post("/api/v1/cases", json=case_body(), headers=ADMIN)
    assert created.status_code == 201
    code = created.json()["code"]
    answers = [
        created,
        client.get("/api/v1/cases", headers=ADMIN),
        client.get(f"/api/v1/cases/{code}", headers=ADMIN),
        client.patch(f"/api/v1/cases/{code}", json={"note": "đã gọi lại"}, headers=ADMIN),
        client.get("/api/v1/cases.csv", headers=ADMIN),
        client.get("/api/v1/stats", headers=ADMIN),
        client.post("/api/v1/cases/status", json={"code": code, "phone_last4": "5678"}),
        client.get(f"/api/v1/cases/{code}"),  # 401 too
        client.get("/api/v1/cases/TGPL-2026-999999", headers=ADMIN),  # 404 too
    ]
    for response in answers:
        where = (response.request.url, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", where
    assert answers[4].headers["content-type"].startswith("text/csv")
    assert [r.status_code for r in answers[-2:]] == [401, 404]


def test_reloading_the_history_does_not_use_up_the_messages(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_ip_per_minute=2)
    assert 429 not in [client.get("/api/v1/chat/history").status_code for _ in range(2)]
    assert client.get("/api/v1/chat/history").status_code == 429  # its own budget is used up
    body = {"text": "xin chào"}
    assert [client.post("/api/v1/chat", json=body).status_code for _ in range(2)] == [200, 200]
