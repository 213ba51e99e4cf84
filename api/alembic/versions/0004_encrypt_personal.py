"""encrypt personal data at rest: Fernet tokens in the personal columns, phone blind index

Adds `cases.phone_index` (HMAC-SHA256 of the +84 phone, CASE_BLIND_INDEX_KEY), turns the personal
columns into Text holding Fernet tokens (first key of CASE_ENCRYPTION_KEYS) and encrypts the rows
already there in place, 500 at a time; `dedup_key` becomes an HMAC too. The keys come from the
environment (api.cases.crypto): without them the upgrade stops with KeyConfigError, changing nothing.
The downgrade decrypts everything back (it needs the same keys).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from api.cases.crypto import Keyring, active_keyring
from api.cases.normalize import normalize_description

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
CASE_TEXT = ("full_name", "phone", "commune", "description", "rejection_reason", "outcome", "search_text")
EVENT_TEXT = ("changes", "note")  # changes: JSON text, encrypted as text
ACCESS_TEXT = ("filters",)


def _walk(
    table: str, columns: Sequence[str], transform: Callable[[dict], dict], also: Sequence[str] = ()
) -> None:
    """Rewrite every row of *table* in id order, BATCH rows per SELECT, with *transform*
    (which may also set the columns *also*)."""
    bind = op.get_bind()
    meta = sa.Table(
        table, sa.MetaData(), sa.Column("id", sa.Integer), *(sa.Column(c, sa.Text) for c in (*columns, *also))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(meta).where(meta.c.id > last).order_by(meta.c.id).limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        for row in rows:
            values = transform(dict(row))
            if values:
                bind.execute(meta.update().where(meta.c.id == row["id"]).values(**values))
        last = rows[-1]["id"]


def _encrypt(keyring: Keyring, columns: Sequence[str]) -> Callable[[dict], dict]:
    def transform(row: dict) -> dict:
        return {c: keyring.encrypt(row[c]) for c in columns if row[c] is not None}

    return transform


def _decrypt(keyring: Keyring, columns: Sequence[str]) -> Callable[[dict], dict]:
    def transform(row: dict) -> dict:
        return {c: keyring.decrypt(row[c]) for c in columns if row[c] is not None}

    return transform


def _using(dialect: str, column: str, type_name: str) -> dict[str, str]:
    return {"postgresql_using": f"{column}::{type_name}"} if dialect == "postgresql" else {}


def _keep_events_while(dialect: str) -> Callable[[], None]:
    """SQLite's batch mode drops and recreates `cases`; with foreign keys on, that DROP deletes the
    case_events rows (ON DELETE CASCADE). Keep a copy and return the function that puts it back."""
    if dialect != "sqlite":
        return lambda: None
    op.execute("CREATE TEMP TABLE _keep_case_events AS SELECT * FROM case_events")

    def restore() -> None:
        op.execute("INSERT INTO case_events SELECT * FROM _keep_case_events WHERE id NOT IN "
                   "(SELECT id FROM case_events)")
        op.execute("DROP TABLE _keep_case_events")

    return restore


def _alter_json_columns(dialect: str, to: sa.types.TypeEngine, using: str) -> None:
    for table, column in (("case_events", "changes"), ("data_access_log", "filters")):
        existing = sa.JSON() if isinstance(to, sa.Text) else sa.Text()
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=to, existing_type=existing, **_using(dialect, column, using))


def upgrade() -> None:
    keyring = active_keyring()  # KeyConfigError here: nothing changed yet
    dialect = op.get_bind().dialect.name
    _alter_json_columns(dialect, sa.Text(), "text")
    restore_events = _keep_events_while(dialect)
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("phone_index", sa.String(length=64), nullable=True))
        batch.drop_index("ix_cases_phone")
        batch.alter_column("full_name", type_=sa.Text(), existing_type=sa.String(length=200))
        batch.alter_column("phone", type_=sa.Text(), existing_type=sa.String(length=20))
        batch.alter_column("commune", type_=sa.Text(), existing_type=sa.String(length=200))
    restore_events()

    def case_row(row: dict) -> dict:
        values = _encrypt(keyring, CASE_TEXT)(row)
        values["phone_index"] = keyring.phone_index(row["phone"])
        values["dedup_key"] = keyring.dedup_key(row["phone"], row["description"])
        return values

    _walk("cases", (*CASE_TEXT, "dedup_key"), case_row, also=("phone_index",))
    _walk("case_events", EVENT_TEXT, _encrypt(keyring, EVENT_TEXT))
    _walk("data_access_log", ACCESS_TEXT, _encrypt(keyring, ACCESS_TEXT))
    restore_events = _keep_events_while(dialect)
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("phone_index", existing_type=sa.String(length=64), nullable=False)
        batch.create_index(batch.f("ix_cases_phone_index"), ["phone_index"])
    restore_events()


def downgrade() -> None:
    keyring = active_keyring()
    dialect = op.get_bind().dialect.name

    def case_row(row: dict) -> dict:
        values = _decrypt(keyring, CASE_TEXT)(row)
        plain = f"{values['phone']}|{normalize_description(values['description'])}"
        values["dedup_key"] = hashlib.sha256(plain.encode()).hexdigest()
        return values

    def json_text(columns: Sequence[str]) -> Callable[[dict], dict]:
        def transform(row: dict) -> dict:
            values = _decrypt(keyring, columns)(row)
            for column in ("changes", "filters"):
                if column in values:  # valid JSON text again, for the ::json cast
                    values[column] = json.dumps(json.loads(values[column]), ensure_ascii=False)
            return values

        return transform

    _walk("cases", (*CASE_TEXT, "dedup_key"), case_row)
    _walk("case_events", EVENT_TEXT, json_text(EVENT_TEXT))
    _walk("data_access_log", ACCESS_TEXT, json_text(ACCESS_TEXT))
    _alter_json_columns(dialect, sa.JSON(), "json")
    restore_events = _keep_events_while(dialect)
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(batch.f("ix_cases_phone_index"))
        batch.drop_column("phone_index")
        batch.alter_column("full_name", type_=sa.String(length=200), existing_type=sa.Text())
        batch.alter_column("phone", type_=sa.String(length=20), existing_type=sa.Text())
        batch.alter_column("commune", type_=sa.String(length=200), existing_type=sa.Text())
        batch.create_index(batch.f("ix_cases_phone"), ["phone"])
    restore_events()
