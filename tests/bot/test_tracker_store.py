"""The production tracker store (bot/tracker_store.py) on the local PostgreSQL: a conversation
survives its connections being cut (what a server restart does), and a read waits for a server
that is briefly unreachable instead of handing Rasa an empty conversation."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

psycopg2 = pytest.importorskip("psycopg2")

from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from bot.tracker_store import ResilientSQLTrackerStore  # noqa: E402

HOST = os.environ.get("TRACKER_TEST_PG_HOST", "127.0.0.1")
DOMAIN = Domain.from_yaml("slots:\n  full_name:\n    type: text\n    mappings: []\n")


def _admin(sql: str) -> None:
    connection = psycopg2.connect(host=HOST, user="postgres", dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@pytest.fixture
def database():
    try:
        _admin("select 1")
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL at {HOST}:5432 is needed (scripts/ensure_services.sh): {error}")
    name = f"tracker_test_{uuid.uuid4().hex[:8]}"
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _store(database: str, retry_seconds: float = 5.0, host: str = HOST) -> ResilientSQLTrackerStore:
    return ResilientSQLTrackerStore(
        domain=DOMAIN, dialect="postgresql", host=host, db=database, username="postgres",
        login_db="postgres", retry_seconds=retry_seconds,
    )


def _conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered("toi muon gui yeu cau tro giup phap ly"))
    tracker.update(SlotSet("full_name", "Nguyen Van Binh"))
    return tracker


def test_conversation_survives_cut_connections(database):
    store = _store(database)
    sender = "zalo:123"
    asyncio.run(store.save(_conversation(sender)))
    assert asyncio.run(store.retrieve(sender)).get_slot("full_name") == "Nguyen Van Binh"

    # what a PostgreSQL restart does to every pooled connection
    _admin(f"select pg_terminate_backend(pid) from pg_stat_activity "
           f"where datname = '{database}' and pid <> pg_backend_pid()")

    again = asyncio.run(store.retrieve(sender))
    assert again is not None and again.get_slot("full_name") == "Nguyen Van Binh"
    tracker = again
    tracker.update(UserUttered("0912345678"))
    asyncio.run(store.save(tracker))
    assert len(asyncio.run(store.retrieve(sender)).events) == len(tracker.events)


def test_a_read_that_keeps_failing_raises_after_the_retry_time(database, monkeypatch):
    store = _store(database, retry_seconds=1.0)
    asyncio.run(store.save(_conversation("web:1")))
    store.engine.dispose()
    # a server that does not answer at all: the read is retried, then the error comes out
    import sqlalchemy as sa

    store.engine = sa.create_engine(f"postgresql://postgres@{HOST}:1/{database}", pool_pre_ping=True)
    store.sessionmaker = sa.orm.session.sessionmaker(bind=store.engine)
    attempts = []
    original = store.sessionmaker

    def counting():  # type: ignore[no-untyped-def]
        attempts.append(1)
        return original()

    monkeypatch.setattr(store, "sessionmaker", counting)
    with pytest.raises(sa.exc.OperationalError):
        asyncio.run(store.retrieve("web:1"))
    assert len(attempts) >= 3  # 0.2 s, 0.4 s, … within one second
