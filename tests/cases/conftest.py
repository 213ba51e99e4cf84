"""Fixtures of the case tests: a migrated database on SQLite (a temp file) and on PostgreSQL.

PostgreSQL runs when reachable at CASES_TEST_PG_URL (default: the local `test` database); every
test session works in its own fresh schema, dropped at the end, so it never touches other data.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from api.cases.models import Base
from api.cases.security import Role, create_token
from api.core.config import Settings
from api.core.db import Database
from api.main import create_app

PG_URL = os.environ.get("CASES_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
ADMIN_TOKEN = "adm_" + secrets.token_urlsafe(24)
ACTION_TOKEN = "act_" + secrets.token_urlsafe(24)

_pg_state: dict[str, str | None] = {}


def _pg_schema_url() -> str | None:
    """Create a fresh schema once per session; None (and the reason) when PostgreSQL is down."""
    if "url" in _pg_state:
        return _pg_state["url"]
    schema = f"cases_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: skip the PostgreSQL variants
        _pg_state["url"], _pg_state["why"] = None, f"{type(error).__name__}: {error}".splitlines()[0]
        print(f"\n[tests/cases] PostgreSQL variants skipped: {_pg_state['why']}")
        return None
    separator = "&" if "?" in PG_URL else "?"
    _pg_state["url"] = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    _pg_state["schema"] = schema
    return _pg_state["url"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    schema = _pg_state.get("schema")
    if schema:
        engine = create_engine(PG_URL)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with the schema at head and no rows."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'cases.db'}"
        return
    url = _pg_schema_url()
    if url is None:
        pytest.skip(f"PostgreSQL unreachable: {_pg_state['why']}")
    database = Database(url, migrate=not _pg_state.get("migrated"))
    assert database.ensure_ready(), database.error
    _pg_state["migrated"] = "yes"
    with database.engine.begin() as connection:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    database.dispose()
    yield url


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = Database(db_url, migrate=db_url.startswith("sqlite"))  # PostgreSQL: migrated once
    assert database.ensure_ready(), database.error
    yield database
    database.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.session() as session:
        yield session


@pytest.fixture
def settings_for(tmp_path: Path) -> Callable[..., Settings]:
    def _make(db_url: str, **overrides) -> Settings:
        values = {
            "rasa_urls": "http://rasa-a:5005",
            "knowledge_data_dir": tmp_path / "no-index",
            "database_url": db_url,
            "environment": "production",
            "api_admin_token": ADMIN_TOKEN,
            "action_server_token": ACTION_TOKEN,
        } | overrides
        return Settings(**values)

    return _make


class Staff:
    """Authorization headers for each role."""

    def __init__(self, reviewer_secret: str, operator_secret: str) -> None:
        self.admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        self.action_server = {"Authorization": f"Bearer {ACTION_TOKEN}"}
        self.reviewer = {"Authorization": f"Bearer {reviewer_secret}"}
        self.operator = {"Authorization": f"Bearer {operator_secret}"}


@pytest.fixture
def staff(database: Database) -> Staff:
    with database.session() as session:
        _, reviewer = create_token(session, name="Lò Thị Mai - TT TGPL Lai Châu", role=Role.reviewer)
        _, operator = create_token(session, name="Tổng đài 1900", role=Role.operator)
    return Staff(reviewer, operator)


@pytest.fixture
def client(db_url: str, database: Database, settings_for: Callable[..., Settings]) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(db_url))) as client:
        yield client


def case_body(**overrides) -> dict:
    """A citizen's request, as the action server sends it."""
    return {
        "channel": "zalo",
        "full_name": "Nguyễn Văn An",
        "phone": "0912 345 678",
        "province": "Lào Cai",
        "commune": "Xã Bảo Hà",
        "eligibility_group": "khoan_2_ho_ngheo",
        "topic": "đất đai",
        "description": "Gia đình tôi bị hàng xóm lấn chiếm đất ruộng, tôi muốn được trợ giúp pháp lý.",
        "consent": True,
    } | overrides
