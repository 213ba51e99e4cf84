"""`python -m api.zalo`: the Zalo worker in a process of its own (ZALO_WORKER_MODE=external).

The api then only acknowledges webhooks (its event loop and GIL stay free for that) and this
process does inbox → Rasa → outbox → Zalo, woken by PostgreSQL NOTIFY and polling as a fallback.
Several such processes may run: rows are claimed with leases (`api.zalo.store`). SIGTERM stops it
cleanly (running items finish or are released).
"""

from __future__ import annotations

import asyncio
import logging
import signal

import httpx

from api.clients.action_server import ActionServerHealth
from api.core.config import get_settings
from api.core.db import Database
from api.core.middleware import quiet_http_client_logs
from api.zalo.listener import InboxListener
from api.zalo.worker import build_zalo_worker, zalo_configured

log = logging.getLogger("api.zalo")


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def run() -> None:
    settings = get_settings()
    if not zalo_configured(settings):
        # stay up (a process manager such as honcho would stop the whole system if this exited)
        log.info("ZALO_OA_SECRET_KEY chưa được đặt: kênh Zalo tắt / the Zalo channel is off; idle")
        await _until_stopped()
        return
    db = Database(settings.database_url, migrate=settings.database_migrate_on_startup)
    if db.engine.dialect.name != "postgresql":
        raise SystemExit("Tiến trình Zalo riêng cần PostgreSQL / an external Zalo worker needs PostgreSQL "
                         "(DATABASE_URL); on SQLite keep ZALO_WORKER_MODE=in-process")
    http = httpx.AsyncClient(timeout=settings.rasa_timeout_seconds)
    worker = build_zalo_worker(db, settings, http, ActionServerHealth.from_settings(settings, http))
    listener = InboxListener(settings.database_url, worker.notify)
    worker.start()
    listener.start()
    log.info("Zalo worker process started (concurrency %d)", settings.zalo_worker_concurrency)
    try:
        await _until_stopped()
    finally:
        await listener.stop()
        await worker.stop()
        await http.aclose()
        db.dispose()
        log.info("Zalo worker process stopped")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_http_client_logs()  # httpx's INFO line is each URL (Rasa, Zalo)
    try:
        import uvloop
    except ImportError:
        asyncio.run(run())
    else:
        uvloop.run(run())


if __name__ == "__main__":
    main()
