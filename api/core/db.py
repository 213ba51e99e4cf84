"""Database engine, sessions and Alembic migrations for the case store.

SQLite (the default, a file under data/) and PostgreSQL are both supported through one URL.
Write transactions start with `begin_write(session)`: on SQLite that is BEGIN IMMEDIATE, so
writers queue on the busy timeout instead of failing half-way with "database is locked" and the
dedup check runs serialised; readers use a plain (deferred) BEGIN and never wait for writers (WAL).
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
WRITE_OPTION = "cases_write"


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for *url*; for a SQLite file the folder (and an owner-only file) is created first.

    `hide_parameters`: a database error logged with its traceback never shows a citizen's data.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch(mode=0o600)  # citizens' data: readable by the api's user only (-wal/-shm follow)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
    )

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
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def begin_write(session: Session) -> None:
    """Make the session's transaction a write transaction, starting a new one if needed.

    A read transaction already open (e.g. the token lookup) is committed first: it holds no
    changes, and loaded objects stay usable (sessions do not expire on commit).
    """
    if in_write_transaction(session):
        return
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})


def in_write_transaction(session: Session) -> bool:
    if not session.in_transaction():
        return False
    return bool(session.connection().get_execution_options().get(WRITE_OPTION, False))


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    if url:
        config.attributes["database_url"] = url
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """`alembic upgrade head` on *engine*, safe when several api processes start together."""
    config = alembic_config()
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
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

    @property
    def is_ready(self) -> bool:
        """Migrated and usable; cheap (no I/O), so it may be asked on the event loop."""
        return self._ready

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
