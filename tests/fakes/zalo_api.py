"""A fake Zalo OA API: a real HTTP server on 127.0.0.1 (a thread), serving both bases.

* `POST /v3.0/oa/message/cs` (header `access_token`): records the message and answers like Zalo
  (`{"error": 0, "message": "Success", "data": {...}}`); a token that is not the current one gets
  `{"error": -216}` ("Access token is invalid").
* `POST /v4/oa/access_token` (header `secret_key`, form refresh_token/app_id/grant_type): gives
  a new pair when the refresh token and secret are right; the refresh token is single-use.

Knobs: `expire_access_token()` (the next send answers -216 once, until the client refreshes),
`fail_sends(n, status=500)` (the next *n* sends answer HTTP *status*),
`fail_sends_for(seconds, status=500)` (every send answers HTTP *status* for that long: an outage).

    with FakeZaloApi(app_secret="s") as zalo:
        settings = Settings(zalo_api_base=zalo.url, zalo_oauth_base=zalo.url, ...)
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"


@dataclass(frozen=True)
class SentMessage:
    user_id: str
    text: str
    access_token: str


@dataclass(frozen=True)
class Refresh:
    secret_key: str | None
    form: dict[str, str]


class FakeZaloApi:
    def __init__(
        self,
        *,
        access_token: str = "access-0",
        refresh_token: str = "refresh-0",
        app_secret: str = "app-secret",
    ) -> None:
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.app_secret = app_secret
        self.messages: list[SentMessage] = []
        self.refreshes: list[Refresh] = []
        self.send_attempts = 0
        self.failed_sends = 0
        self.expired_answers = 0
        self._fail_remaining = 0
        self._fail_status = 500
        self._fail_until = 0.0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- control ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeZaloApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body = fake._handle(self.path, dict(self.headers.items()), raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-zalo", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeZaloApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def expire_access_token(self) -> None:
        """The current access token stops working: the next send answers -216."""
        with self._lock:
            self.access_token = "access-" + secrets.token_hex(4)  # nobody holds this one

    def fail_sends(self, count: int, status: int = 500) -> None:
        with self._lock:
            self._fail_remaining, self._fail_status = count, status

    def fail_sends_for(self, seconds: float, status: int = 500) -> None:
        with self._lock:
            self._fail_until, self._fail_status = time.monotonic() + seconds, status

    def texts_to(self, user_id: str) -> list[str]:
        with self._lock:
            return [m.text for m in self.messages if m.user_id == user_id]

    def wait_for(self, condition: Callable[[FakeZaloApi], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"fake Zalo: condition not met in {timeout}s; messages={self.messages}")
            time.sleep(0.01)

    # --- behaviour ----------------------------------------------------------------------------

    def _handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict]:
        lower = {k.lower(): v for k, v in headers.items()}
        with self._lock:
            if path == SEND_PATH:
                return self._send(lower, raw)
            if path == REFRESH_PATH:
                return self._refresh(lower, raw)
        return 404, {"error": 404, "message": "not found"}

    def _send(self, headers: dict[str, str], raw: bytes) -> tuple[int, dict]:
        self.send_attempts += 1
        if self._fail_remaining > 0 or time.monotonic() < self._fail_until:
            self._fail_remaining = max(0, self._fail_remaining - 1)
            self.failed_sends += 1
            return self._fail_status, {"error": -1, "message": "Internal error"}
        token = headers.get("access_token", "")
        if token != self.access_token:
            self.expired_answers += 1
            return 200, {"error": -216, "message": "Access token is invalid"}
        body = json.loads(raw)
        user_id = str(body["recipient"]["user_id"])
        text = body["message"]["text"]
        if len(text) > 2000:
            return 200, {"error": -201, "message": "Text is too long"}
        self.messages.append(SentMessage(user_id, text, token))
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {"message_id": secrets.token_hex(16), "user_id": user_id},
        }

    def _refresh(self, headers: dict[str, str], raw: bytes) -> tuple[int, dict]:
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        self.refreshes.append(Refresh(headers.get("secret_key"), form))
        if headers.get("secret_key") != self.app_secret:
            return 200, {"error": -14002, "error_name": "Invalid secret key"}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
            return 200, {"error": -14014, "error_name": "Invalid refresh token"}
        self.access_token = "access-" + secrets.token_hex(8)
        self.refresh_token = "refresh-" + secrets.token_hex(8)
        pair = {"access_token": self.access_token, "refresh_token": self.refresh_token}
        return 200, pair | {"expires_in": "90000"}
