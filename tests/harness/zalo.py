"""Signed Zalo OA webhook events, and a simulated citizen who talks to the system through them.

Shared by the end-to-end tests, the fault tests and `bench/load.py`.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field

import httpx

from api.zalo.signature import signature_header
from tests.fakes.zalo_api import FakeZaloApi

APP_ID = "4291763606161179100"
OA_ID = "579745863508352884"
_msg_counter = itertools.count(1)


def zalo_env(zalo: FakeZaloApi, *, oa_secret: str, app_secret: str) -> dict[str, str]:
    """The api's Zalo settings for a system that talks to *zalo*."""
    return {
        "ZALO_APP_ID": APP_ID,
        "ZALO_OA_SECRET_KEY": oa_secret,
        "ZALO_APP_SECRET": app_secret,
        "ZALO_ACCESS_TOKEN": zalo.access_token,
        "ZALO_REFRESH_TOKEN": zalo.refresh_token,
        "ZALO_API_BASE": zalo.url,
        "ZALO_OAUTH_BASE": zalo.url,
    }


def text_event(user_id: str, text: str, msg_id: str) -> bytes:
    body = {
        "app_id": APP_ID,
        "event_name": "user_send_text",
        "sender": {"id": user_id},
        "recipient": {"id": OA_ID},
        "message": {"text": text, "msg_id": msg_id},
        "timestamp": str(int(time.time() * 1000)),
    }
    return json.dumps(body, ensure_ascii=False).encode()


def signed_headers(raw: bytes, secret: str) -> dict[str, str]:
    body = json.loads(raw)
    return {
        "content-type": "application/json",
        "X-ZEvent-Signature": signature_header(
            app_id=body["app_id"], raw_body=raw, timestamp=body["timestamp"], secret=secret
        ),
    }


@dataclass
class Citizen:
    """One Zalo user: `say()` posts a signed text event, `wait_replies()` reads what arrived.

    Like Zalo, `say()` posts the same event again (same msg_id) while the webhook does not answer
    200, for up to *retry_seconds*: the api deduplicates by msg_id.
    """

    api: str
    zalo: FakeZaloApi
    oa_secret: str
    user_id: str
    seen: int = 0
    said: list[str] = field(default_factory=list)

    def say(self, text: str, retry_seconds: float = 120.0) -> httpx.Response:
        msg_id = f"{self.user_id}-{next(_msg_counter)}"
        raw = text_event(self.user_id, text, msg_id)
        deadline = time.monotonic() + retry_seconds
        while True:
            try:
                response = httpx.post(f"{self.api}/webhooks/zalo", content=raw,
                                      headers=signed_headers(raw, self.oa_secret), timeout=10)
                if response.status_code == 200:
                    self.said.append(text)
                    return response
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"webhook did not accept {text!r} within {retry_seconds:.0f}s")
            time.sleep(1.0)

    def texts(self) -> list[str]:
        return self.zalo.texts_to(self.user_id)

    def wait_replies(self, timeout: float = 90.0, settle: float = 1.5) -> list[str]:
        """The messages that arrived after the previous call (at least one), once quiet for *settle*."""
        deadline = time.monotonic() + timeout
        while len(self.texts()) <= self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"no reply within {timeout:.0f}s after {self.said[-1:]}; "
                                     f"so far: {self.texts()}")
            time.sleep(0.1)
        count = len(self.texts())
        quiet = time.monotonic() + settle
        while time.monotonic() < quiet:
            time.sleep(0.1)
            if len(self.texts()) != count:
                count, quiet = len(self.texts()), time.monotonic() + settle
        new = self.texts()[self.seen:count]
        self.seen = count
        return new

    def ask(self, text: str, timeout: float = 90.0) -> str:
        """Say *text* and return this turn's replies as one text."""
        self.say(text)
        return "\n".join(self.wait_replies(timeout))
