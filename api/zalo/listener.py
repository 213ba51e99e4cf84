"""Wakes a Zalo worker in another process when the webhook stores an event (PostgreSQL LISTEN).

The webhook's insert sends `NOTIFY zalo_inbox` in its transaction (`api.zalo.store`); this listener
holds one connection with `LISTEN zalo_inbox` and calls *on_notify* for each notification, from
the event loop (`loop.add_reader`, no thread). A lost connection (PostgreSQL restarting) is opened
again every `retry_seconds`; meanwhile the worker still polls, so nothing is missed, only later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import psycopg2
from sqlalchemy.engine import make_url

from api.zalo.store import INBOX_CHANNEL

log = logging.getLogger(__name__)


def _dsn(database_url: str) -> dict[str, object]:
    url = make_url(database_url)
    params: dict[str, object] = {"dbname": url.database, "host": url.host or "127.0.0.1",
                                 "port": url.port or 5432, "user": url.username}
    if url.password:
        params["password"] = url.password
    return {k: v for k, v in params.items() if v is not None}


class InboxListener:
    def __init__(self, database_url: str, on_notify: Callable[[], None], retry_seconds: float = 2.0) -> None:
        self._dsn = _dsn(database_url)
        self._on_notify = on_notify
        self._retry_seconds = retry_seconds
        self._task: asyncio.Task[None] | None = None
        self._lost: asyncio.Event | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="zalo-inbox-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        failing = False
        while True:
            try:
                connection = await asyncio.to_thread(self._connect)
            except psycopg2.Error as error:
                if not failing:
                    log.warning("Zalo listener: cannot LISTEN (%s), polling meanwhile", type(error).__name__)
                failing = True
                await asyncio.sleep(self._retry_seconds)
                continue
            if failing:
                log.info("Zalo listener: listening again")
            failing = False
            self._lost = asyncio.Event()
            loop.add_reader(connection.fileno(), self._read, connection)
            self._on_notify()  # events stored while nobody listened
            try:
                await self._lost.wait()
            finally:
                loop.remove_reader(connection.fileno())
                with contextlib.suppress(psycopg2.Error):
                    connection.close()
            log.warning("Zalo listener: connection lost, polling until it is back")
            failing = True
            await asyncio.sleep(self._retry_seconds)

    def _connect(self):  # type: ignore[no-untyped-def]
        connection = psycopg2.connect(connect_timeout=5, **self._dsn)
        connection.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        with connection.cursor() as cursor:
            cursor.execute(f"LISTEN {INBOX_CHANNEL}")
        return connection

    def _read(self, connection) -> None:  # type: ignore[no-untyped-def]
        try:
            connection.poll()
        except psycopg2.Error:
            if self._lost is not None:
                self._lost.set()
            return
        if connection.notifies:
            connection.notifies.clear()
            self._on_notify()
