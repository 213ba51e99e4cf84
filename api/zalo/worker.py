"""Background worker of the Zalo channel: inbox → Rasa → outbox → Zalo OA API.

One asyncio task per api process, started in the app lifespan when ZALO_OA_SECRET_KEY is set. It
claims due rows (see `api.zalo.store`), at most `ZALO_WORKER_CONCURRENCY` at a time, and handles
each in its own task: different users concurrently, the messages of one user strictly in order.

* inbox, text: a numbered answer ("2") becomes the payload of the button offered last to that
  user; the text goes to Rasa as sender `zalo:<user id>`; the replies (buttons rendered as
  numbered options, split at 2000 characters) are queued in the outbox in the same transaction
  that marks the item done. Rasa unreachable → the item stays pending and is retried with
  exponential backoff (capped), for as long as it takes. Action server down (checked before the
  text goes to Rasa, and again when Rasa answers nothing: Rasa swallows a failed custom action) →
  the same, with the delay capped at ACTIONS_DOWN_MAX_DELAY_SECONDS so the conversation resumes
  soon after the server is back; the first such failure of an item queues one apology to the user
  (`store.retry_inbox(notice=…)`: at most one per item, across retries, restarts and processes).
* inbox, follow → a welcome text; other user_send_* events (image, sticker, …) → a polite text.
* outbox: `ZaloClient.send_text` (quick retries, token refresh on -216); a send that still fails
  is recorded (status failed, attempts, last_error, next_attempt_at) and retried later with
  exponential backoff, capped; after ZALO_SEND_MAX_ATTEMPTS it is marked dead.

Start-up: on SQLite (one process) rows left `processing` by a previous run are taken again at
once; on PostgreSQL (several processes may share the tables) they are taken over when their lease
(ZALO_WORKER_LEASE_SECONDS) has run out. Shutdown waits briefly for running tasks, then cancels
them and releases their rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

import httpx
from fastapi import FastAPI

from api.cases.models import utcnow
from api.clients.action_server import ActionServerDownError, ActionServerHealth, send_when_actions_up
from api.clients.rasa import RasaClient, RasaUnavailableError
from api.core.config import Settings
from api.core.db import Database
from api.zalo import store
from api.zalo.client import TokenPair, ZaloClient, ZaloSendError
from api.zalo.events import FOLLOW_EVENT, TEXT_EVENT
from api.zalo.formatting import render, resolve_numbered_answer
from api.zalo.store import Claim, short_id

log = logging.getLogger(__name__)

WELCOME_TEXT = (
    "Cảm ơn bạn đã quan tâm Trợ lý trợ giúp pháp lý! Tôi có thể giúp bạn tìm hiểu quyền được "
    "trợ giúp pháp lý miễn phí, thủ tục và giấy tờ cần chuẩn bị. Bạn hãy gõ câu hỏi của mình bằng chữ."
)
NON_TEXT_REPLY = (
    "Hiện tôi chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi bằng chữ "
    "(có dấu hoặc không dấu đều được) để tôi hỗ trợ nhé."
)
ACTIONS_DOWN_TEXT = (
    "Xin lỗi, hệ thống đang tạm gián đoạn. Tin nhắn của bạn đã được ghi nhận; tôi sẽ trả lời ngay "
    "khi hệ thống hoạt động trở lại."
)
ACTIONS_DOWN_MAX_DELAY_SECONDS = 30.0  # retry cap while the action server is down
INBOX_MAX_ERRORS = 10  # errors other than Rasa/action server unreachable (retried without limit)
PURGE_EVERY_SECONDS = 3600.0
STOP_GRACE_SECONDS = 2.0


def backoff_delay(attempts: int, base: float, cap: float) -> float:
    """Delay before the next try after *attempts* failed ones: base, 2·base, 4·base … ≤ cap."""
    return min(cap, base * (2 ** max(0, attempts - 1)))


class ZaloWorker:
    def __init__(
        self, *, db: Database, rasa: RasaClient, actions: ActionServerHealth, zalo: ZaloClient,
        settings: Settings, owned_http: httpx.AsyncClient | None = None,
    ) -> None:
        self.db = db
        self.rasa = rasa
        self.actions = actions
        self.zalo = zalo
        self.settings = settings
        self._owned_http = owned_http
        self._wake = asyncio.Event()
        # which table may have due rows: only those are claimed (each claim is a transaction)
        self._due = {"inbox": True, "outbox": True}
        self._task: asyncio.Task[None] | None = None
        self._running: dict[asyncio.Task[None], tuple[str, Claim]] = {}
        self._last_purge = 0.0
        self._recovered = False
        self._stopping = False

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="zalo-worker")

    def notify(self, *kinds: str) -> None:
        """Something new is queued ("inbox", "outbox"; none = both): look now, not at the next poll."""
        for kind in kinds or ("inbox", "outbox"):
            self._due[kind] = True
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            # the loop ends at its next turn; cancel only if it is stuck (e.g. a database call)
            _, stuck = await asyncio.wait([self._task], timeout=STOP_GRACE_SECONDS)
            if stuck:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        running = list(self._running)
        if running:
            _, pending = await asyncio.wait(running, timeout=STOP_GRACE_SECONDS)
            left = [self._running[task] for task in pending]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            if left:
                try:
                    await asyncio.to_thread(
                        store.release_claims,
                        self.db,
                        [claim for kind, claim in left if kind == "inbox"],
                        [claim for kind, claim in left if kind == "outbox"],
                    )
                except Exception as error:  # noqa: BLE001 - their leases will run out instead
                    log.warning("Zalo worker: could not release claims: %s", type(error).__name__)
        if self._owned_http is not None:
            await self._owned_http.aclose()

    # --- main loop ----------------------------------------------------------------------------

    async def _run(self) -> None:
        poll = self.settings.zalo_worker_poll_seconds
        failing = False
        while not self._stopping:
            self._wake.clear()
            started = 0
            try:
                started = await self._tick()
            except Exception:  # e.g. the database is down: log once and keep polling
                if not failing:
                    log.exception("Zalo worker: polling failed (retrying every %.1fs)", poll)
                failing = True
            else:
                if failing:
                    log.info("Zalo worker: polling works again")
                failing = False
            if failing:
                self._due.update(inbox=True, outbox=True)
            if started == 0 and not self._stopping:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=poll)
                except TimeoutError:  # retries whose time has come, rows of other processes
                    self._due.update(inbox=True, outbox=True)

    async def _tick(self) -> int:
        if not (self.db.is_ready or await asyncio.to_thread(self.db.ensure_ready)):
            return 0
        if not self._recovered:
            if self.db.engine.dialect.name == "sqlite":
                count = await asyncio.to_thread(store.recover_all_claims, self.db)
                if count:
                    log.info("Zalo worker: %d unfinished item(s) of a previous run taken again", count)
            self._recovered = True
        if time.monotonic() - self._last_purge > PURGE_EVERY_SECONDS:
            self._last_purge = time.monotonic()
            cutoff = utcnow() - timedelta(days=self.settings.zalo_retention_days)
            purged = await asyncio.to_thread(store.purge_handled, self.db, older_than=cutoff)
            if purged:
                log.info("Zalo worker: purged %d handled row(s)", purged)
        started = 0
        lease = self.settings.zalo_worker_lease_seconds
        for kind, claim_rows, handle in (
            ("outbox", store.claim_outbox, self._send),
            ("inbox", store.claim_inbox, self._answer),
        ):
            free = self.settings.zalo_worker_concurrency - len(self._running)
            if free <= 0 or not self._due[kind]:
                continue
            self._due[kind] = False
            claims = await asyncio.to_thread(claim_rows, self.db, limit=free, lease_seconds=lease)
            if len(claims) == free:  # a full batch: there may be more
                self._due[kind] = True
            for claim in claims:
                self._spawn(kind, claim, handle(claim))
                started += 1
        return started

    def _spawn(self, kind: str, claim: Claim, coroutine) -> None:  # type: ignore[no-untyped-def]
        task = asyncio.create_task(coroutine, name=f"zalo-{kind}-{claim.id}")
        self._running[task] = (kind, claim)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        was_full = len(self._running) >= self.settings.zalo_worker_concurrency
        kind, _ = self._running.pop(task, ("inbox", None))
        # the user's next row of that kind may wait for this one; a freed slot can take any row
        self.notify(*(() if was_full else (kind,)))

    def _delay(self, attempts: int, cap: float | None = None) -> float:
        settings = self.settings
        cap = settings.zalo_retry_max_seconds if cap is None else min(cap, settings.zalo_retry_max_seconds)
        return backoff_delay(attempts, settings.zalo_retry_base_seconds, cap)

    # --- inbox ----------------------------------------------------------------------------------

    async def _answer(self, claim: Claim) -> None:
        who = short_id(claim.user_id)
        try:
            offered: list[dict] | None = None
            if claim.event_name == TEXT_EVENT:
                text = (claim.text or "").strip()[: self.settings.max_message_chars]
                replies: list[str] = []
                if text:
                    last_offered = await asyncio.to_thread(store.load_offered, self.db, claim.user_id)
                    message = resolve_numbered_answer(text, last_offered)
                    rasa_messages = await send_when_actions_up(
                        self.rasa, self.actions, f"zalo:{claim.user_id}", message
                    )
                    replies, offered = render(rasa_messages)
            elif claim.event_name == FOLLOW_EVENT:
                replies = [WELCOME_TEXT]
            else:
                replies = [NON_TEXT_REPLY]
            if await asyncio.to_thread(store.finish_inbox, self.db, claim, replies=replies, offered=offered):
                log.info("Zalo %s from user %s answered with %d text(s)", claim.event_name, who, len(replies))
        except ActionServerDownError:
            await self._hold_for_actions(claim)
        except RasaUnavailableError:
            delay = self._delay(claim.attempts + 1)
            log.warning(
                "Zalo inbox item %s (user %s): Rasa unavailable, retry in %.1fs", claim.id, who, delay
            )
            await asyncio.to_thread(
                store.retry_inbox, self.db, claim, error="rasa unavailable", delay_seconds=delay,
                give_up=False,
            )
        except Exception as error:  # noqa: BLE001 - recorded on the row; the worker goes on
            give_up = claim.attempts + 1 >= INBOX_MAX_ERRORS
            delay = self._delay(claim.attempts + 1)
            log.error(
                "Zalo inbox item %s (user %s) failed: %s%s", claim.id, who, type(error).__name__,
                " — given up" if give_up else f", retry in {delay:.1f}s",
            )
            await asyncio.to_thread(
                store.retry_inbox, self.db, claim, error=type(error).__name__, delay_seconds=delay,
                give_up=give_up,
            )
        self.notify("outbox")  # replies are queued: send them now

    async def _hold_for_actions(self, claim: Claim) -> None:
        """Action server down: keep the item pending (never given up); apologise once per item."""
        delay = self._delay(claim.attempts + 1, cap=ACTIONS_DOWN_MAX_DELAY_SECONDS)
        apologised = await asyncio.to_thread(
            store.retry_inbox, self.db, claim, error="action server down", delay_seconds=delay,
            give_up=False, notice=ACTIONS_DOWN_TEXT,
        )
        log.warning(
            "Zalo inbox item %s (user %s): action server down, retry in %.1fs%s", claim.id,
            short_id(claim.user_id), delay, " (apology queued)" if apologised else "",
        )

    # --- outbox ---------------------------------------------------------------------------------

    async def _send(self, claim: Claim) -> None:
        who = short_id(claim.user_id)
        try:
            await self.zalo.send_text(claim.user_id, claim.text or "")
        except Exception as error:  # noqa: BLE001 - ZaloSendError or an unexpected failure
            reason = str(error) if isinstance(error, ZaloSendError) else type(error).__name__
            attempts = claim.attempts + 1
            give_up = attempts >= self.settings.zalo_send_max_attempts
            delay = self._delay(attempts)
            log.warning(
                "Zalo reply %s to user %s not delivered (attempt %d: %s)%s", claim.id, who, attempts, reason,
                " — given up" if give_up else f", retry in {delay:.1f}s",
            )
            await asyncio.to_thread(
                store.fail_outbox, self.db, claim, error=reason, delay_seconds=delay, give_up=give_up
            )
            return
        await asyncio.to_thread(store.finish_outbox, self.db, claim)


def zalo_configured(settings: Settings) -> bool:
    return settings.zalo_oa_secret_key is not None and bool(settings.zalo_oa_secret_key.get_secret_value())


def build_zalo_worker(
    db: Database, settings: Settings, http: httpx.AsyncClient, actions: ActionServerHealth
) -> ZaloWorker:
    """The worker, not started. *http* is used for Rasa; Zalo calls get their own client and timeout."""
    zalo_http = httpx.AsyncClient(timeout=settings.zalo_http_timeout_seconds)
    initial = TokenPair(_secret(settings.zalo_access_token), _secret(settings.zalo_refresh_token))
    if not initial.access_token:
        log.warning("ZALO_ACCESS_TOKEN is not set: replies can only be sent with a stored token pair")
    zalo = ZaloClient(
        http=zalo_http,
        api_base=settings.zalo_api_base.rstrip("/"),
        oauth_base=settings.zalo_oauth_base.rstrip("/"),
        app_id=settings.zalo_app_id,
        app_secret=_secret(settings.zalo_app_secret),
        tokens=store.DbTokenStore(db, settings.zalo_app_id or "default", initial),
        attempts=3,
        backoff_seconds=settings.zalo_send_backoff_seconds,
    )
    rasa = RasaClient.from_settings(settings, http)
    return ZaloWorker(db=db, rasa=rasa, actions=actions, zalo=zalo, settings=settings, owned_http=zalo_http)


def start_zalo_worker(
    app: FastAPI, settings: Settings, http: httpx.AsyncClient, actions: ActionServerHealth
) -> ZaloWorker | None:
    """Start the worker of this app; None when the Zalo channel is not configured or when
    ZALO_WORKER_MODE=external (a `python -m api.zalo` process does the work).

    *actions* is the app's action server health check (shared with the web chat).
    """
    app.state.zalo_worker = None
    if not zalo_configured(settings):
        log.info("Zalo channel not configured (ZALO_OA_SECRET_KEY unset): webhook answers 503")
        return None
    if settings.zalo_worker_mode == "external":
        log.info("Zalo worker runs in its own process (ZALO_WORKER_MODE=external)")
        return None
    worker = build_zalo_worker(app.state.db, settings, http, actions)
    worker.start()
    app.state.zalo_worker = worker
    log.info("Zalo worker started (concurrency %d)", settings.zalo_worker_concurrency)
    return worker


def _secret(value) -> str:  # type: ignore[no-untyped-def]
    return value.get_secret_value() if value is not None else ""
