"""Security headers: one implementation for the pages and every other answer (issue 11, finding 10).

* `PAGE_SECURITY_HEADERS` go on the pages and their assets (web chat `/`, staff `/center`, hotline
  console `/operator`): a Content-Security-Policy without inline script or style and nothing from
  another origin (`default-src 'self'`, `frame-ancestors 'none'`), `nosniff`, `X-Frame-Options:
  DENY`, `Referrer-Policy: no-referrer`, `Cache-Control: no-store` and cross-origin isolation.
* `SecurityHeadersMiddleware` (pure ASGI, outermost) adds to every answer that lacks them: `nosniff`,
  `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, and for anything that is not HTML (JSON,
  CSV, errors) `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`: an api answer
  opened in a browser runs nothing and cannot be framed. The only HTML without its own policy are
  the development-only docs (/docs, /redoc, Swagger UI from a CDN): they get `frame-ancestors 'none'`.
* `API_SECURITY_HEADERS` is the same set for answers made outside the middleware (the 500 handler).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
PAGE_SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
HTML_FALLBACK_POLICY = "frame-ancestors 'none'"
API_SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
}
_ALWAYS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in API_SECURITY_HEADERS.items()
           if k != "Content-Security-Policy"]
_CSP = b"content-security-policy"


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """*headers* (raw ASGI pairs) plus the security headers they lack; their own values win."""
    present = {name.lower() for name, _ in headers}
    added = [(name, value) for name, value in _ALWAYS if name not in present]
    if _CSP not in present:
        content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        html = content_type.lower().startswith(b"text/html")
        policy = HTML_FALLBACK_POLICY if html else API_CONTENT_SECURITY_POLICY
        added.append((_CSP, policy.encode("latin-1")))
    return [*headers, *added]


class SecurityHeadersMiddleware:
    """Adds the missing security headers to every HTTP answer (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_security_headers(list(message.get("headers", [])))}
            await send(message)

        await self.app(scope, receive, send_with_headers)
