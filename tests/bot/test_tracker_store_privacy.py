"""Both tracker stores keep a finished intake out of the stored conversation and drop conversations
past the retention period: the development store (PrivateInMemoryTrackerStore, endpoints.yml) and
the production one (ResilientSQLTrackerStore on the local PostgreSQL, a throwaway database).

Conversations are played turn by turn as Rasa does: retrieve, add the turn's events, save."""

from __future__ import annotations

import asyncio
import json
import os
import re
import uuid
from pathlib import Path

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.utils.endpoints import read_endpoint_config

from bot.conversation_privacy import Retention
from bot.tracker_store import PrivateInMemoryTrackerStore, ResilientSQLTrackerStore
from tests.bot import intake_events as ev

ROOT = Path(__file__).resolve().parents[2]
HOST = os.environ.get("TRACKER_TEST_PG_HOST", "127.0.0.1")
DAY = 86400.0
SLOTS = (*ev.INTAKE_SLOTS, "intake_nonce", "case_code", "requested_slot")
DOMAIN = Domain.from_yaml("slots:\n" + "".join(f"  {s}:\n    type: any\n    mappings: []\n" for s in SLOTS))


def turns(events: list[dict]) -> list[list[dict]]:
    """The events split where Rasa saves: before each user message."""
    out: list[list[dict]] = [[]]
    for event in events:
        if event["event"] == "user" and out[-1]:
            out.append([])
        out[-1].append(event)
    return [turn for turn in out if turn]


def play(store: TrackerStore, sender: str, events: list[dict]) -> None:
    for turn in turns(events):
        tracker = asyncio.run(store.retrieve(sender)) or store.init_tracker(sender)
        for data in turn:
            tracker.update(Event.from_parameters(data))
        asyncio.run(store.save(tracker))


def leaked(text: str) -> list[str]:
    return [secret for secret in ev.SECRETS if secret in text]


# --- the development store --------------------------------------------------------------------

def memory_store(**kwargs) -> PrivateInMemoryTrackerStore:  # type: ignore[no-untyped-def]
    return PrivateInMemoryTrackerStore(DOMAIN, **kwargs)


@pytest.mark.parametrize("ending", [ev.submitted, ev.cancelled], ids=["submitted", "cancelled"])
def test_memory_store_forgets_a_finished_intake(ending):
    store = memory_store()
    play(store, "web:1", ev.intake_until_confirmation())
    assert leaked(store.store["web:1"])  # kept while the citizen may still correct and send
    play(store, "web:1", ending())
    assert leaked(store.store["web:1"]) == []
    tracker = asyncio.run(store.retrieve_full_tracker("web:1"))
    assert leaked(json.dumps([e.as_dict() for e in tracker.events])) == []
    assert all(tracker.get_slot(s) is None for s in ev.INTAKE_SLOTS)


def test_memory_store_refused_consent_and_a_second_request():
    store = memory_store()
    play(store, "zalo:9", ev.refused_consent())
    assert leaked(store.store["zalo:9"]) == []
    play(store, "zalo:9", ev.intake_until_confirmation("n2"))  # a second request, same conversation
    tracker = asyncio.run(store.retrieve("zalo:9"))
    assert tracker.get_slot("intake_full_name") == ev.NAME and tracker.get_slot("intake_phone") == ev.PHONE
    play(store, "zalo:9", ev.submitted())
    tracker = asyncio.run(store.retrieve("zalo:9"))
    assert tracker.get_slot("case_code") == ev.CODE and leaked(store.store["zalo:9"]) == []


def test_memory_store_drops_conversations_past_retention():
    now = 2_000_000_000.0
    old = now - 31 * DAY
    clock = [old]
    store = memory_store(retention=Retention(days=30, check_seconds=1e-9), clock=lambda: clock[0])
    play(store, "web:old", [{**ev.action("action_listen"), "timestamp": old},
                            {**ev.user("xin chao", "greet"), "timestamp": old}])
    play(store, "web:busy", [{"event": "session_started", "timestamp": old},
                             {**ev.user(ev.NAME_TYPED), "timestamp": old}])
    clock[0] = now - DAY
    play(store, "web:busy", [{"event": "session_started", "timestamp": now - DAY},
                             {**ev.user("chao ad", "greet"), "timestamp": now - DAY}])
    assert "web:old" in store.store and leaked(store.store["web:busy"])
    clock[0] = now
    play(store, "web:new", [{**ev.user("chao ad", "greet"), "timestamp": now}])
    assert "web:old" not in store.store and "web:new" in store.store
    assert leaked(store.store["web:busy"]) == []
    assert len(asyncio.run(store.retrieve("web:busy")).events) == 2


def test_memory_store_checks_retention_only_now_and_then(monkeypatch):
    store = memory_store(retention=Retention(days=30, check_seconds=3600))
    calls = []
    monkeypatch.setattr(store, "expire", lambda cutoff, skip=None: calls.append(cutoff))
    play(store, "web:1", ev.intake_until_confirmation())
    assert len(calls) == 1


def _placeholders(path: Path) -> dict[str, str]:
    """A value for every ${VARIABLE} of an endpoints file (Rasa expands them all when reading)."""
    return {name: "x" * 32 for name in re.findall(r"\$\{(\w+)\}", path.read_text())}


def test_endpoints_yml_selects_the_private_memory_store(monkeypatch):
    for name, value in _placeholders(ROOT / "endpoints.yml").items():
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, DOMAIN)
    inner = getattr(store, "_tracker_store", store)  # Rasa may wrap it
    assert isinstance(inner, PrivateInMemoryTrackerStore), type(inner)


# --- the production store ---------------------------------------------------------------------

psycopg2 = pytest.importorskip("psycopg2")


def _admin(sql: str, database: str = "postgres") -> list[tuple]:
    connection = psycopg2.connect(host=HOST, user="postgres", dbname=database)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
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


def sql_store(database: str, **kwargs) -> ResilientSQLTrackerStore:  # type: ignore[no-untyped-def]
    return ResilientSQLTrackerStore(domain=DOMAIN, dialect="postgresql", host=HOST, db=database,
                                    username="postgres", login_db="postgres", **kwargs)


def rows(database: str, sender: str) -> list[str]:
    return [data for (data,) in _admin(
        f"select data from events where sender_id = '{sender}' order by id", database)]


@pytest.mark.parametrize("ending", [ev.submitted, ev.cancelled, None],
                         ids=["submitted", "cancelled", "refused"])
def test_sql_store_forgets_a_finished_intake(database, ending):
    store = sql_store(database)
    events = ev.intake_until_confirmation() + ending() if ending else ev.refused_consent()
    *before, last = turns(events)
    play(store, "zalo:1", [e for turn in before for e in turn])
    assert leaked("\n".join(rows(database, "zalo:1")))  # still there while the intake is open
    play(store, "zalo:1", last)
    stored = rows(database, "zalo:1")
    assert leaked("\n".join(stored)) == []
    assert len(stored) == len(asyncio.run(store.retrieve("zalo:1")).events)  # updated in place
    # the intents and action names Rasa keeps in columns of their own are unchanged
    names = _admin("select action_name from events where type_name = 'action' order by id", database)
    assert [n for (n,) in names] == [e["name"] for e in events if e["event"] == "action"]


def test_sql_store_second_request_after_redaction(database):
    store = sql_store(database)
    play(store, "web:2", ev.intake_until_confirmation() + ev.submitted())
    play(store, "web:2", ev.intake_until_confirmation("n2"))
    tracker = asyncio.run(store.retrieve("web:2"))
    assert tracker.get_slot("intake_description") == ev.DESCRIPTION
    assert tracker.get_slot("case_code") == ev.CODE
    play(store, "web:2", ev.submitted())
    assert leaked("\n".join(rows(database, "web:2"))) == []
    assert len(rows(database, "web:2")) == len(asyncio.run(store.retrieve("web:2")).events)


def test_sql_store_drops_conversations_and_old_sessions_past_retention(database):
    now = 2_000_000_000.0
    old = now - 31 * DAY
    clock = [old]
    store = sql_store(database, retention=Retention(days=30, check_seconds=1e-9), clock=lambda: clock[0])
    play(store, "web:old", [{**ev.action("action_listen"), "timestamp": old},
                            {**ev.user("xin chao", "greet"), "timestamp": old}])
    play(store, "web:busy", [{"event": "session_started", "timestamp": old},
                             {**ev.user(ev.NAME_TYPED), "timestamp": old}])
    clock[0] = now - DAY
    play(store, "web:busy", [{"event": "session_started", "timestamp": now - DAY},
                             {**ev.user("chao ad", "greet"), "timestamp": now - DAY}])
    assert len(rows(database, "web:old")) == 2 and len(rows(database, "web:busy")) == 4
    # the old conversation read by a replica just before the check, then saved with a new message
    stale = asyncio.run(store.retrieve("web:old"))
    clock[0] = now
    play(store, "web:other", [{**ev.user("chao", "greet"), "timestamp": now}])  # the check runs
    assert rows(database, "web:old") == []
    assert leaked("\n".join(rows(database, "web:busy"))) == []
    assert len(rows(database, "web:busy")) == 2  # the current session stays whole
    stale.update(Event.from_parameters({**ev.user("toi quay lai", "greet"), "timestamp": now}))
    asyncio.run(store.save(stale))
    assert len(rows(database, "web:old")) == 1  # what retention removed is not written back
    tracker = asyncio.run(store.retrieve("web:busy"))
    tracker.update(Event.from_parameters({**ev.user("nua", "greet"), "timestamp": now}))
    asyncio.run(store.save(tracker))
    assert len(rows(database, "web:busy")) == 3  # Rasa's row counting still finds the new event


def test_endpoints_production_yml_selects_the_sql_store(database, monkeypatch):
    path = ROOT / "endpoints.production.yml"
    variables = {"TRACKER_DB_HOST": HOST, "TRACKER_DB_NAME": database, "TRACKER_DB_LOGIN_DB": "postgres",
                 "TRACKER_DB_USER": "postgres", "TRACKER_DB_PASSWORD": "", "CONVERSATION_RETENTION_DAYS": "7"}
    for name, value in (_placeholders(path) | variables).items():
        monkeypatch.setenv(name, value)
    store = TrackerStore.create(read_endpoint_config(str(path), "tracker_store"), DOMAIN)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, ResilientSQLTrackerStore) and inner.retention.days == 7
