"""Database engine, sessions and Alembic migrations for the case store.

SQLite (the default, a file under data/) and PostgreSQL are both supported through one URL.
On SQLite every transaction starts with BEGIN IMMEDIATE: writers queue on the busy timeout
instead of failing half-way with "database is locked", and the dedup check runs serialised.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

ALEMBIC_DIR = Path(__file__).resolve().parents[1] / "alembic"
_MIGRATION_LOCK_ID = 7_240_500_005  # pg_advisory_xact_lock key: one migrating process at a time


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for *url*; for a SQLite file the folder is created first."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    if url:
        config.attributes["database_url"] = url
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """`alembic upgrade head` on *engine*, safe when several api processes start together."""
    config = alembic_config()
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


class Database:
    """The engine and session factory of one process; migrates once, lazily retried on failure."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.error: str | None = None
        self._migrate = migrate
        self._ready = False
        self._lock = threading.Lock()

    def ensure_ready(self) -> bool:
        if self._ready:
            return True
        with self._lock:
            if self._ready:
                return True
            try:
                if self._migrate:
                    upgrade_database(self.engine)
                self._ready, self.error = True, None
                log.info("Case database ready at %s", safe_url(self.url))
            except Exception as error:  # noqa: BLE001 - the case endpoints answer 503 until it works
                self.error = f"{type(error).__name__}: {error}"
                log.error("Case database not ready (%s): %s", safe_url(self.url), self.error)
        return self._ready

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()
