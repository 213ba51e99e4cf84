"""The Zalo tables on SQLite and PostgreSQL: dedup, claims (per-user order, SKIP LOCKED between
concurrent claimers, leases), outbox retry bookkeeping, the token store, retention.

PostgreSQL runs when reachable at ZALO_TEST_PG_URL (default: the local `test` database), in a fresh
schema dropped at the end; otherwise those variants are skipped.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from api.cases.models import utcnow
from api.core.db import Database
from api.zalo import store
from api.zalo.client import TokenPair
from api.zalo.models import ZaloInbox, ZaloOutbox, ZaloToken, ZaloUser
from api.zalo.worker import backoff_delay

LEASE = 60.0


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None) -> Iterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'zalo.db'}")
    else:
        if pg_url is None:
            pytest.skip("PostgreSQL unreachable")
        database = Database(pg_url, migrate=False)
    assert database.ensure_ready(), database.error
    with database.session() as session:
        for model in (ZaloInbox, ZaloOutbox, ZaloUser, ZaloToken):
            session.execute(delete(model))
        session.commit()
    yield database
    database.dispose()


def enqueue(db: Database, user: str, text_: str = "x", key: str | None = None) -> bool:
    return store.enqueue_event(
        db, dedup_key=key or secrets.token_hex(16), event_name="user_send_text", user_id=user,
        text=text_, event_ts="1764000000000",
    )


def test_dedup_key_is_unique(db: Database) -> None:
    assert enqueue(db, "1", key="msg-1") is True
    assert enqueue(db, "1", key="msg-1") is False
    assert enqueue(db, "1", key="k" * 500) is True  # long keys are hashed, still deduplicated
    assert enqueue(db, "1", key="k" * 500) is False


def test_only_the_oldest_unfinished_item_of_a_user_is_claimed(db: Database) -> None:
    for i in range(3):
        enqueue(db, "A", f"a{i}")
    enqueue(db, "B", "b0")
    first = store.claim_inbox(db, limit=10, lease_seconds=LEASE)
    assert sorted((c.user_id, c.text) for c in first) == [("A", "a0"), ("B", "b0")]
    assert store.claim_inbox(db, limit=10, lease_seconds=LEASE) == []  # A's next waits for a0
    a0 = next(c for c in first if c.user_id == "A")
    assert store.finish_inbox(db, a0, replies=["r"], offered=[{"title": "t", "payload": "/p"}])
    (a1,) = store.claim_inbox(db, limit=10, lease_seconds=LEASE)
    assert a1.text == "a1"
    assert store.load_offered(db, "A") == [{"title": "t", "payload": "/p"}]
    # a retried (not yet due) item keeps blocking the user's later messages
    store.retry_inbox(db, a1, error="rasa unavailable", delay_seconds=60, give_up=False)
    assert store.claim_inbox(db, limit=10, lease_seconds=LEASE) == []
    (row,) = [r for r in _rows(db, ZaloInbox) if r.text == "a1"]
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "rasa unavailable")


def test_concurrent_claimers_never_share_an_item(db: Database) -> None:
    users = [str(10**18 + i) for i in range(40)]
    for user in users:
        enqueue(db, user)
        enqueue(db, user)  # a second message each: must not be claimed while the first is in flight
    claimed: list[store.Claim] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def claimer() -> None:
        barrier.wait()
        while batch := store.claim_inbox(db, limit=3, lease_seconds=LEASE):
            with lock:
                claimed.extend(batch)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    ids = [c.id for c in claimed]
    assert len(ids) == len(set(ids)) == len(users)  # each user's first message, exactly once
    assert sorted(c.user_id for c in claimed) == sorted(users)


def test_an_expired_lease_is_taken_over_and_the_old_claim_cannot_write(db: Database) -> None:
    enqueue(db, "A")
    (old,) = store.claim_inbox(db, limit=1, lease_seconds=LEASE)
    assert store.claim_inbox(db, limit=1, lease_seconds=LEASE) == []
    later = utcnow() + timedelta(seconds=LEASE + 1)
    (new,) = store.claim_inbox(db, limit=1, lease_seconds=LEASE, now=later)
    assert new.id == old.id and new.token != old.token
    assert store.finish_inbox(db, old, replies=["late"], offered=None) is False
    assert store.finish_inbox(db, new, replies=["ok"], offered=None) is True
    assert [r.text for r in _rows(db, ZaloOutbox)] == ["ok"]


def test_failed_send_is_recorded_blocks_later_replies_and_dead_does_not(db: Database) -> None:
    enqueue(db, "A")
    (item,) = store.claim_inbox(db, limit=1, lease_seconds=LEASE)
    store.finish_inbox(db, item, replies=["one", "two"], offered=None)
    (one,) = store.claim_outbox(db, limit=5, lease_seconds=LEASE)
    assert one.text == "one"
    store.fail_outbox(db, one, error="HTTP 500", delay_seconds=30, give_up=False)
    row = _rows(db, ZaloOutbox)[0]
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "HTTP 500")
    assert row.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert store.claim_outbox(db, limit=5, lease_seconds=LEASE) == []  # "two" waits behind "one"
    (again,) = store.claim_outbox(db, limit=5, lease_seconds=LEASE, now=utcnow() + timedelta(seconds=31))
    assert again.id == one.id and again.attempts == 1
    store.fail_outbox(db, again, error="zalo error -230", delay_seconds=30, give_up=True)
    (two,) = store.claim_outbox(db, limit=5, lease_seconds=LEASE)
    assert two.text == "two"
    store.finish_outbox(db, two)
    assert [(r.status, r.text) for r in _rows(db, ZaloOutbox)] == [("dead", None), ("sent", None)]


def test_release_and_recovery_give_items_back(db: Database) -> None:
    enqueue(db, "A")
    enqueue(db, "B")
    claims = store.claim_inbox(db, limit=5, lease_seconds=LEASE)
    store.release_claims(db, claims[:1], [])
    assert [c.id for c in store.claim_inbox(db, limit=5, lease_seconds=LEASE)] == [claims[0].id]
    assert store.recover_all_claims(db) == 2
    assert len(store.claim_inbox(db, limit=5, lease_seconds=LEASE)) == 2


def test_token_store_seeds_saves_and_follows_a_new_configured_pair(db: Database) -> None:
    tokens = store.DbTokenStore(db, "app", TokenPair("a0", "r0"))
    assert tokens.load() == TokenPair("a0", "r0")
    assert tokens.save(TokenPair("a1", "r1"), previous=TokenPair("a0", "r0")) is True
    assert tokens.load() == TokenPair("a1", "r1")
    # another process refreshing from the same (now spent) pair does not overwrite the newer one
    assert tokens.save(TokenPair("a1-bis", "r1-bis"), previous=TokenPair("a0", "r0")) is False
    assert store.DbTokenStore(db, "app", TokenPair("a0", "r0")).load() == TokenPair("a1", "r1")
    # the operator configured a fresh pair: it replaces the stored one
    assert store.DbTokenStore(db, "app", TokenPair("a9", "r9")).load() == TokenPair("a9", "r9")


def test_purge_removes_handled_rows_after_retention(db: Database) -> None:
    enqueue(db, "A", key="old")
    (item,) = store.claim_inbox(db, limit=1, lease_seconds=LEASE)
    store.finish_inbox(db, item, replies=["r"], offered=None)
    (reply,) = store.claim_outbox(db, limit=1, lease_seconds=LEASE)
    store.finish_outbox(db, reply)
    enqueue(db, "B", key="pending")
    assert store.purge_handled(db, older_than=utcnow() - timedelta(days=1)) == 0
    with db.session() as session:
        past = utcnow() - timedelta(days=40)
        session.execute(update(ZaloInbox).values(received_at=past))
        session.execute(update(ZaloOutbox).values(created_at=past))
        session.commit()
    assert store.purge_handled(db, older_than=utcnow() - timedelta(days=30)) == 2
    assert [r.dedup_key for r in _rows(db, ZaloInbox)] == ["pending"]  # unanswered rows stay


def test_a_retry_notice_is_queued_once_per_item_and_only_with_the_claim(db: Database) -> None:
    enqueue(db, "A", "a0")
    enqueue(db, "A", "a1")
    (a0,) = store.claim_inbox(db, limit=5, lease_seconds=LEASE)
    assert store.retry_inbox(db, a0, error="action server down", delay_seconds=0, give_up=False,
                             notice="xin lỗi") is True
    (again,) = store.claim_inbox(db, limit=5, lease_seconds=LEASE)
    assert again.id == a0.id and again.attempts == 1
    assert store.retry_inbox(db, again, error="action server down", delay_seconds=0, give_up=False,
                             notice="xin lỗi") is False  # already apologised for this item
    (third,) = store.claim_inbox(db, limit=5, lease_seconds=LEASE)
    assert store.retry_inbox(db, again, error="stale", delay_seconds=0, give_up=False, notice="x") is False
    outbox = _rows(db, ZaloOutbox)
    assert [(r.inbox_id, r.user_id, r.text, r.status) for r in outbox] == [(a0.id, "A", "xin lỗi", "pending")]
    # the item is still the user's oldest: a1 waits behind it; once answered, a1 comes next
    assert store.finish_inbox(db, third, replies=["trả lời"], offered=None)
    (a1,) = store.claim_inbox(db, limit=5, lease_seconds=LEASE)
    assert a1.text == "a1"
    assert [r.text for r in _rows(db, ZaloOutbox)] == ["xin lỗi", "trả lời"]


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_delay(n, 2.0, 300.0) for n in (1, 2, 3, 4, 9, 50)] == [2, 4, 8, 16, 300, 300]


def _rows(db: Database, model: type) -> list:
    with db.session() as session:
        return list(session.scalars(select(model).order_by(model.id)))  # type: ignore[attr-defined]
