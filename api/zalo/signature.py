"""Zalo webhook signature check.

`X-ZEvent-Signature: mac=<hex sha256(app_id + raw_body + timestamp + OA secret key)>`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

SIGNATURE_HEADER = "X-ZEvent-Signature"


class SignatureError(Exception):
    """Missing, malformed, wrong or replayed signature (→ 401)."""


def compute_mac(*, app_id: str, raw_body: bytes, timestamp: str, secret: str) -> str:
    material = app_id.encode() + raw_body + timestamp.encode() + secret.encode()
    return hashlib.sha256(material).hexdigest()


def signature_header(*, app_id: str, raw_body: bytes, timestamp: str, secret: str) -> str:
    """The header value Zalo would send; used by tests, fixtures and the load benchmark."""
    return "mac=" + compute_mac(app_id=app_id, raw_body=raw_body, timestamp=timestamp, secret=secret)


def verify(
    *,
    raw_body: bytes,
    header: str | None,
    secret: str,
    max_age_seconds: float,
    now_ms: float | None = None,
) -> dict:
    """Check the signature of a raw webhook body and return the parsed body.

    `app_id` and `timestamp` come from the body itself, the body bytes exactly as received.
    The comparison is constant-time. A timestamp older than *max_age_seconds* is a replay.
    """
    if not header or not header.startswith("mac="):
        raise SignatureError("missing signature")
    try:
        body = json.loads(raw_body)
        app_id = str(body["app_id"])
        timestamp = str(body["timestamp"])
        sent_ms = float(timestamp)
    except (ValueError, KeyError, TypeError) as error:
        raise SignatureError("malformed body") from error
    expected = compute_mac(app_id=app_id, raw_body=raw_body, timestamp=timestamp, secret=secret)
    if not hmac.compare_digest(expected.encode(), header[4:].strip().lower().encode()):
        raise SignatureError("wrong signature")
    now_ms = time.time() * 1000 if now_ms is None else now_ms
    if now_ms - sent_ms > max_age_seconds * 1000:
        raise SignatureError("replayed or stale event")
    return body
