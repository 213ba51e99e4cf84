"""Security headers (issue 11, finding 10): the web chat page gets the staff pages' strict CSP,
frame protection, nosniff and no referrer; every api answer gets nosniff; the Swagger UI / ReDoc
pages (scripts from a CDN) exist only in development."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import ADMIN, case_body


def _directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split("; ")}


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("/", "text/html"), ("/chat/static/chat.js", "text/javascript"), ("/chat/static/chat.css", "text/css")],
)
def test_web_chat_page_has_strict_security_headers(
    make_client: Callable[..., TestClient], path: str, media_type: str
) -> None:
    response = make_client().get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    csp = response.headers["content-security-policy"]
    directives = _directives(csp)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] in {"no-referrer", "same-origin"}


def test_web_chat_page_has_no_inline_script_or_style(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    html = client.get("/").text
    script = client.get("/chat/static/chat.js").text
    assert re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S) == [""], "inline script"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), "a resource from another site"
    # the conversation id comes from the server (HttpOnly cookie): the page never invents one
    assert "Math.random" not in script and "sender_id" not in script
    assert 'credentials: "same-origin"' in script
    assert "innerHTML" not in script


def test_unknown_web_chat_asset_is_404_with_headers(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    for path in ("/chat/static/secret.txt", "/chat/static/..%2Fchat.html", "/chat/static/center.css"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["x-frame-options"] == "DENY"


def test_every_json_answer_has_nosniff_and_no_framing(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_ip_per_minute=4, max_request_body_bytes=4096)
    answers = [
        client.get("/healthz"),
        client.get("/openapi.json"),
        client.get("/api/v1/search", params={"q": "hộ nghèo"}),  # 503: the index is missing
        client.post("/api/v1/chat", json={"text": "xin chào"}),
        client.post("/api/v1/chat", json={"text": ""}),  # 422
        client.post("/api/v1/chat", json={"text": "a", "conversation_id": "invented"}),  # 401
        client.post("/api/v1/chat", json={"text": "a" * 5000}),  # 413 from the body limit
        client.post("/api/v1/chat", json={"text": "xin chào"}),  # 429 from the rate limit
        client.get("/api/v1/cases", headers=ADMIN),
        client.get("/api/v1/cases"),  # 401
        client.post("/api/v1/cases", json=case_body(), headers=ADMIN),
        client.get("/khong-co-trang-nay"),  # 404
    ]
    assert [r.status_code for r in answers] == [200, 200, 503, 200, 422, 401, 413, 429, 200, 401, 201, 404]
    for response in answers:
        where = (response.request.method, response.request.url.path, response.status_code)
        assert response.headers.get("x-content-type-options") == "nosniff", where
        assert response.headers.get("x-frame-options") == "DENY", where
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), where
    csv = client.get("/api/v1/cases.csv", headers=ADMIN)
    assert csv.headers["x-content-type-options"] == "nosniff"


def test_an_unexpected_error_also_has_nosniff(make_client: Callable[..., TestClient]) -> None:
    client = make_client()

    def boom() -> None:
        raise RuntimeError("unexpected")

    client.app.add_api_route("/boom-for-test", boom)
    with TestClient(client.app, raise_server_exceptions=False) as fresh:
        response = fresh.get("/boom-for-test")
    assert response.status_code == 500
    assert response.headers["x-content-type-options"] == "nosniff"


def test_staff_pages_keep_their_own_policy(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    for path in ("/center", "/center/static/app.js", "/operator", "/operator/static/operator.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _directives(response.headers["content-security-policy"])["script-src"] == ["'self'"]
        assert response.headers["cache-control"] == "no-store"


def test_docs_are_off_in_production(make_client: Callable[..., TestClient]) -> None:
    client = make_client(environment="production")
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(path).status_code == 404, path
    assert client.get("/openapi.json").status_code == 200  # the schema itself has no script


def test_docs_are_served_in_development(make_client: Callable[..., TestClient]) -> None:
    client = make_client(environment="development")
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert docs.headers["x-frame-options"] == "DENY"
    assert client.get("/redoc").status_code == 200
