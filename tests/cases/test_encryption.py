"""Encryption at rest of the case store (api/cases/crypto.py), on SQLite and PostgreSQL: nothing
personal in clear in the database, the api and search still work, key rotation, wrong keys, the
0004 migration of plain rows."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from api.cases.cli import main as cli
from api.cases.crud import submit_case
from api.cases.crypto import (
    DEV_BLIND_INDEX_KEY,
    DEV_ENCRYPTION_KEY,
    DecryptionError,
    KeyConfigError,
    active_keyring,
    install_keyring,
    keyring_from_settings,
)
from api.cases.models import Case, CaseEvent
from api.cases.queries import list_cases
from api.cases.schemas import CaseCreate, CaseFilters
from api.core.config import Settings
from api.core.db import Database, alembic_config, make_engine, upgrade_database
from api.main import create_app
from tests.cases.conftest import PG_URL, case_body

NAME = "Hầu Thị Xuyến"
PHONE = "0987 654 321"
PHONE_FORMS = ("+84987654321", "0987654321", "987654321", "0987 654 321")
STORY = "Chồng tôi đánh đập, đe dọa; tôi cần trợ giúp về ly hôn và quyền nuôi con Kíttynghiêm."
STORY_WORDS = ("Kíttynghiêm", "kittynghiem", "đánh đập", "ly hôn", "nuôi con")
COMMUNE = "Xã Tả Van Chư"


def body(**overrides) -> dict:
    values = {"full_name": NAME, "phone": PHONE, "description": STORY, "commune": COMMUNE} | overrides
    return case_body(**values)


def keys_settings(keys: list[str], blind: str | None = None, **overrides) -> Settings:
    values = {
        "environment": "production",
        "case_encryption_keys": ",".join(keys),
        "case_blind_index_key": blind or active_keyring().blind_key.decode(),
    } | overrides
    return Settings(_env_file=None, **values)


def env_key() -> str:
    return Settings(_env_file=None).case_encryption_keys.get_secret_value().split(",")[0]


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    install_keyring(Settings(_env_file=None))
    yield
    install_keyring(Settings(_env_file=None))


def raw_rows(database: Database) -> str:
    """Everything the personal columns hold, as the database returns it (no ORM type)."""
    with database.engine.connect() as connection:
        cases = connection.execute(text(
            "SELECT full_name, phone, phone_index, commune, description, search_text, dedup_key FROM cases"
        )).all()
        events = connection.execute(text("SELECT CAST(changes AS TEXT), note FROM case_events")).all()
    return json.dumps([list(r) for r in cases + events], ensure_ascii=False)


def assert_nothing_in_clear(haystack: str) -> None:
    """Case-sensitive: base64 ciphertext, lower-cased, would contain short words by chance."""
    for needle in (NAME, "Xuyến", COMMUNE, "Tả Van", "ta van chu", *STORY_WORDS, *PHONE_FORMS,
                   "654321", "654 321"):
        assert needle not in haystack, needle


def test_personal_columns_are_not_stored_in_clear(db_url: str, database: Database, client: TestClient,
                                                  staff) -> None:
    created = client.post("/api/v1/cases", json=body(), headers=staff.action_server)
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    with database.session() as session:
        assert submit_case(session, data=CaseCreate(**body()), actor="t")[1] is False  # a duplicate event

    stored = raw_rows(database)
    assert_nothing_in_clear(stored)
    assert "gAAAAA" in stored  # Fernet tokens
    if db_url.startswith("sqlite"):
        path = Path(make_url(db_url).database)
        database.dispose()
        data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert data, "the SQLite files are empty"
        for needle in (NAME, "Xuyến", COMMUNE, "Kíttynghiêm", "kittynghiem", "987654321", "654 321"):
            assert needle.encode() not in data, needle

    detail = client.get(f"/api/v1/cases/{code}", headers=staff.reviewer).json()
    assert (detail["full_name"], detail["description"], detail["commune"]) == (NAME, STORY, COMMUNE)
    assert detail["phone"].replace(" ", "").endswith("987654321")
    csv = client.get("/api/v1/cases.csv", headers=staff.reviewer).content.decode("utf-8-sig")
    assert NAME in csv and STORY in csv


def test_duplicates_status_lookup_and_search_still_work(database: Database, client: TestClient,
                                                        staff) -> None:
    first = client.post("/api/v1/cases", json=body(), headers=staff.action_server).json()
    again = client.post("/api/v1/cases", json=body(phone="+84 987.654.321"), headers=staff.action_server)
    assert again.json()["created"] is False  # same phone (other spelling) and story: a duplicate
    other = client.post(
        "/api/v1/cases", headers=staff.action_server,
        json=case_body(full_name="Lý Văn Páo", phone="0912 000 111", province="Lai Châu"),
    ).json()
    assert other["created"] is True
    with database.session() as session:
        assert session.scalar(select(Case.id).where(Case.code == first["code"])) is not None
        assert len(session.scalars(select(Case)).all()) == 2

    status = client.post("/api/v1/cases/status", json={"code": first["code"], "phone_last4": "4321"})
    assert status.status_code == 200 and status.json().get("found", True) is not False, status.text
    assert status.json()["status"] == "new"
    wrong = client.post("/api/v1/cases/status", json={"code": first["code"], "phone_last4": "4320"})
    assert wrong.json().get("status") is None

    def codes(**params) -> list[str]:
        answer = client.get("/api/v1/cases", params=params, headers=staff.reviewer)
        assert answer.status_code == 200, answer.text
        return [c["code"] for c in answer.json()["data"]]

    for spelling in (*PHONE_FORMS[:2], "+84 987 654 321", "0987.654.321"):
        assert codes(q=spelling) == [first["code"]], spelling
    assert codes(q="0987 654 322") == []
    assert codes(q="xuyến") == codes(q="Hau Thi") == codes(q="kittyng") == [first["code"]]
    assert codes(q="Páo") == [other["code"]]
    assert codes(q="xuyen", province="Lai Châu") == []  # the other filters narrow the rows first
    assert codes(q="văn", province="Lai Châu") == [other["code"]]
    assert codes(q=first["code"]) == [first["code"]]
    stats = client.get("/api/v1/stats", params={"q": "xuyen"}, headers=staff.reviewer).json()
    assert stats["total"] == 1


def test_rotation_leaves_rows_readable_with_only_the_new_key(db_url: str, database: Database, capsys) -> None:
    old_key = env_key()
    with database.session() as session:
        case, _ = submit_case(session, data=CaseCreate(**body()), actor="t")
        submit_case(session, data=CaseCreate(**body()), actor="t")  # a resubmitted event
        code = case.code
    before = raw_rows(database)

    new_key, new_blind = Fernet.generate_key().decode(), "rotated-" + secrets.token_urlsafe(32)
    rotating = keys_settings([new_key, old_key], blind=new_blind, database_url=db_url)
    assert cli(["cases", "check-keys"], settings=rotating) == 1  # not yet: old key and old blind index
    report = capsys.readouterr().out
    assert "cases: khóa đầu tiên 0, khóa cũ 5, không giải mã được 0, chỉ mục mù cũ 1" in report
    assert cli(["cases", "rotate-keys", "--batch-size", "1"], settings=rotating) == 0
    out, err = capsys.readouterr()
    assert "cases: 1/1" in err and "case_events: 2/2" in err and "Đã mã hóa lại" in out
    assert cli(["cases", "check-keys"], settings=rotating) == 0
    assert "có thể bỏ các khóa cũ" in capsys.readouterr().out
    after = raw_rows(database)
    assert after != before
    assert_nothing_in_clear(after)

    install_keyring(keys_settings([new_key], blind=new_blind))
    with database.session() as session:
        stored = session.scalar(select(Case).where(Case.code == code))
        assert (stored.full_name, stored.phone, stored.description) == (NAME, "+84987654321", STORY)
        assert [e.action for e in session.scalars(select(CaseEvent))] == ["created", "resubmitted"]
        assert [c.code for c in list_cases(session, filters=CaseFilters(q="0987654321"))[0]] == [code]
        assert submit_case(session, data=CaseCreate(**body()), actor="t")[1] is False  # dedup: new HMAC key

    install_keyring(keys_settings([old_key], blind=new_blind))  # the old key alone no longer reads them
    with database.session() as session, pytest.raises(DecryptionError, match="CASE_ENCRYPTION_KEYS"):
        session.scalar(select(Case.full_name).where(Case.code == code))


def test_wrong_or_missing_key_is_a_clear_error(db_url: str, database: Database, capsys) -> None:
    with database.session() as session:
        code = submit_case(session, data=CaseCreate(**body()), actor="t")[0].code
    stranger = Fernet.generate_key().decode()
    install_keyring(keys_settings([stranger]))
    with database.session() as session:
        with pytest.raises(DecryptionError) as info:
            session.scalar(select(Case).where(Case.code == code))
        assert NAME not in str(info.value) and "gAAAA" not in str(info.value)
    assert cli(["cases", "rotate-keys"], settings=keys_settings([stranger], database_url=db_url)) == 1
    assert "khóa cũ" in capsys.readouterr().err
    missing = keys_settings([], database_url=db_url)
    assert cli(["cases", "rotate-keys"], settings=missing) == 2
    assert "Thiếu CASE_ENCRYPTION_KEYS" in capsys.readouterr().err


@pytest.mark.parametrize("problem", ["missing", "dev", "malformed", "short-blind", "dev-blind"])
def test_production_refuses_missing_or_development_keys(problem: str, tmp_path: Path) -> None:
    good_key, good_blind = Fernet.generate_key().decode(), secrets.token_urlsafe(32)
    keys, blind = {
        "missing": ("", good_blind),
        "dev": (DEV_ENCRYPTION_KEY, good_blind),
        "malformed": ("not-a-fernet-key", good_blind),
        "short-blind": (good_key, "short"),
        "dev-blind": (good_key, DEV_BLIND_INDEX_KEY),
    }[problem]
    values = {"database_url": f"sqlite:///{tmp_path / 'c.db'}", "case_encryption_keys": keys,
              "case_blind_index_key": blind, "knowledge_data_dir": tmp_path}
    with pytest.raises(KeyConfigError):
        create_app(Settings(_env_file=None, environment="production", **values))
    if problem.startswith("dev"):  # the development defaults of scripts/common.sh work in development
        keyring_from_settings(Settings(_env_file=None, environment="development", **values))
    keyring_from_settings(Settings(_env_file=None, environment="production", **values | {
        "case_encryption_keys": good_key, "case_blind_index_key": good_blind}))


# The 0004 migration on a database holding plain rows written at revision 0003.

@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    schema = f"cases_mig_{secrets.token_hex(4)}"
    try:
        admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"PostgreSQL unreachable: {error}")
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _insert_plain(engine, *ids: int) -> None:
    """Rows as revision 0003 wrote them (plain text); the case_events hold JSON."""
    at = "2026-11-30 10:00:00"
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO cases (id, code, channel, full_name, phone, province, commune, description, "
            "consent, consent_at, status, dedup_key, search_text, created_at, updated_at) VALUES "
            "(:id, :code, 'zalo', "
            ":name, '+84987654321', 'Lào Cai', :commune, :story, true, :at, 'new', 'old-sha256', "
            "' kittynghiem ', :at, :at)"
        ), [{"id": i, "code": f"TGPL-2026-{i:06d}", "name": NAME, "commune": COMMUNE, "story": STORY,
             "at": at} for i in ids])
        connection.execute(text(
            "INSERT INTO case_events (id, case_id, at, actor, action, changes, note) VALUES "
            "(:id, :id, :at, 't', 'resubmitted', :changes, 'Xuyến gọi lại')"
        ), [{"id": i, "at": at, "changes": json.dumps({"full_name": [NAME, "Xuyến"]})} for i in ids])
        connection.execute(text(
            "INSERT INTO data_access_log (at, actor, action, full_data, filters) VALUES "
            "(:at, 'r', 'cases_exported', true, :filters)"
        ), {"at": at, "filters": json.dumps({"q": "Xuyến"})})


def test_migration_0004_encrypts_plain_rows_in_place(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    upgrade_database(engine, "0003")
    count = 1203  # more than two batches of 500
    _insert_plain(engine, *range(1, count + 1))
    with engine.connect() as connection:
        assert NAME in str(connection.execute(text("SELECT * FROM cases")).all())
    database = Database(fresh_url)  # as at api start-up: alembic upgrade head
    assert database.ensure_ready(), database.error
    assert_nothing_in_clear(raw_rows(database))
    with database.engine.connect() as connection:
        assert "Xuyến" not in str(connection.execute(text("SELECT filters FROM data_access_log")).all())
    keyring = active_keyring()
    with database.session() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert {(c.full_name, c.phone, c.description, c.commune) for c in cases} == {
            (NAME, "+84987654321", STORY, COMMUNE)} and len(cases) == count
        assert {c.phone_index for c in cases} == {keyring.phone_index(PHONE)}
        assert {c.dedup_key for c in cases} == {keyring.dedup_key(PHONE, STORY)}
        events = session.scalars(select(CaseEvent).order_by(CaseEvent.id)).all()
        assert [(e.case_id, e.changes, e.note) for e in events] == [
            (i, {"full_name": [NAME, "Xuyến"]}, "Xuyến gọi lại") for i in range(1, count + 1)]  # none lost
        assert list_cases(session, filters=CaseFilters(q="xuyen"), limit=1)[1] == count
        assert list_cases(session, filters=CaseFilters(q="0987654321"), limit=1)[1] == count

    database.dispose()
    command.downgrade(alembic_config(fresh_url), "0003")  # the downgrade decrypts back
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT full_name FROM cases WHERE id = 1")).scalar() == NAME
        assert connection.execute(text("SELECT count(*) FROM case_events")).scalar() == count
    database.dispose()
    engine.dispose()


def test_migration_without_keys_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade_database(engine, "0003")
    _insert_plain(engine, 1)
    import api.cases.crypto as crypto

    monkeypatch.setattr(crypto, "_active", None)
    monkeypatch.delenv("CASE_ENCRYPTION_KEYS")
    monkeypatch.setattr(crypto, "get_settings", lambda: Settings(_env_file=None))
    database = Database(url)
    assert not database.ensure_ready() and "CASE_ENCRYPTION_KEYS" in (database.error or "")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
        assert connection.execute(text("SELECT full_name FROM cases")).scalar() == NAME
    database.dispose()
    engine.dispose()
