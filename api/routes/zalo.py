"""`POST /webhooks/zalo`: Zalo OA events in, answered 200 at once.

The raw body is verified (X-ZEvent-Signature, constant-time, replay window), deduplicated by
`msg_id` and stored in the persisted inbox; the background worker (`api.zalo.worker`) does the
Rasa call and the replies. No Rasa or Zalo call happens in the request, so Zalo's 2-second limit
is met even when Rasa is slow or down.
"""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep
from api.zalo import store
from api.zalo.events import FOLLOW_EVENT, TEXT_EVENT, ZaloEvent
from api.zalo.signature import SIGNATURE_HEADER, SignatureError, verify

log = logging.getLogger(__name__)

router = APIRouter(tags=["zalo"])

MAX_BODY_BYTES = 256 * 1024
NOT_CONFIGURED = "Kênh Zalo chưa được cấu hình. / The Zalo channel is not configured."
BAD_SIGNATURE = "Chữ ký không hợp lệ. / Invalid signature."
REPLAYED = "Sự kiện quá cũ hoặc bị gửi lại. / Stale or replayed event."
STORE_DOWN = "Tạm thời không nhận được tin nhắn, vui lòng thử lại. / Temporarily unavailable, retry."


def _answer(code: int, started: float | None = None, store_ms: float | None = None,
            **content: object) -> JSONResponse:
    headers = None
    if started is not None:  # how long the api took to acknowledge (load benchmark, monitoring)
        timing = f"ack;dur={(time.perf_counter() - started) * 1000:.1f}"
        if store_ms is not None:  # of which: storing the event (thread hand-over + database)
            timing += f", store;dur={store_ms:.1f}"
        headers = {"Server-Timing": timing}
    return JSONResponse(status_code=code, content=content, headers=headers)


def _wanted(event: ZaloEvent) -> bool:
    """Events that get an answer: text, follow, and any other user_send_* (image, sticker…)."""
    if not event.user_id:
        return False
    return event.event_name in (TEXT_EVENT, FOLLOW_EVENT) or event.event_name.startswith("user_send_")


@router.post("/webhooks/zalo", include_in_schema=False)
async def zalo_webhook(request: Request, settings: SettingsDep) -> JSONResponse:
    started = time.perf_counter()
    secret = settings.zalo_oa_secret_key.get_secret_value() if settings.zalo_oa_secret_key else ""
    worker = getattr(request.app.state, "zalo_worker", None)
    if not secret or (worker is None and settings.zalo_worker_mode != "external"):
        return _answer(503, detail=NOT_CONFIGURED)
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        return _answer(413, detail="Payload too large.")
    try:
        body = verify(
            raw_body=raw,
            header=request.headers.get(SIGNATURE_HEADER),
            secret=secret,
            max_age_seconds=settings.zalo_max_event_age_seconds,
        )
    except SignatureError as error:
        replay = "replay" in str(error)
        log.warning("Zalo webhook refused: %s", error)
        return _answer(401, detail=REPLAYED if replay else BAD_SIGNATURE)
    try:
        event = ZaloEvent.model_validate(body)
    except ValidationError:
        log.warning("Zalo webhook: signed event of an unknown shape ignored")
        return _answer(200, status="ignored")
    if not _wanted(event):
        return _answer(200, status="ignored")
    limiter = getattr(request.app.state, "zalo_user_limiter", None)
    if limiter is not None and limiter.hit(event.user_id) is not None:
        # Acknowledged (a non-200 makes Zalo retry and may get the webhook disabled) but dropped.
        log.warning("Zalo %s from %s dropped: rate limit", event.event_name, store.short_id(event.user_id))
        return _answer(200, status="rate_limited")
    db = request.app.state.db
    try:
        if not (db.is_ready or await run_in_threadpool(db.ensure_ready)):
            raise RuntimeError("database not ready")
        storing = time.perf_counter()
        created = await run_in_threadpool(
            store.enqueue_event,
            db,
            dedup_key=event.dedup_key,
            event_name=event.event_name,
            user_id=event.user_id,
            text=event.message.text if event.event_name == TEXT_EVENT and event.message else None,
            event_ts=event.timestamp,
        )
    except Exception as error:  # noqa: BLE001 - not stored: let Zalo retry rather than lose it
        log.error("Zalo webhook: event not stored (%s)", type(error).__name__)
        return _answer(503, started, detail=STORE_DOWN)
    if created:
        if worker is not None:
            worker.notify()  # in-process; an external worker is woken by the store's NOTIFY
        log.info("Zalo %s from user %s queued", event.event_name, store.short_id(event.user_id))
    store_ms = (time.perf_counter() - storing) * 1000
    return _answer(200, started, store_ms, status="queued" if created else "duplicate")
