"""one vocabulary and report fields: caller and beneficiary, gender, year of birth, ethnicity, form of
legal aid, structured outcome, first-contact and acceptance times; topics and groups as codes

* New columns on `cases`: `caller_name`, `caller_phone` (encrypted), `caller_phone_index` (blind
  index), `caller_relation`, `beneficiary_gender`, `beneficiary_birth_year` and `ethnicity`
  (encrypted), `legal_aid_form`, `outcome_code`, `first_contact_at`, `accepted_at`.
* `topic` and `eligibility_group` become codes of `knowledge.vocabulary` (issue 14, item 9): an old
  free-text value ("đất đai", "hôn nhân gia đình", "nợ, hợp đồng", a label, a code) is mapped to its
  code; a topic nothing recognises becomes `khac`, a group nothing recognises (and `khong_ro`) NULL.
* `first_contact_at` / `accepted_at` of existing cases come from their history (`case_events`,
  whose times and statuses are stored in clear): the first move out of `new`, the first move to
  `accepted`.

The downgrade drops the new columns; topics and groups stay codes (the old spellings are not kept).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from knowledge.vocabulary import GROUPS, OTHER_TOPIC, UNKNOWN_GROUP, topic_from_text

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)  # api.cases.models.UTCDateTime
NEW_COLUMNS: tuple[tuple[str, sa.types.TypeEngine], ...] = (
    ("caller_name", sa.Text()),
    ("caller_phone", sa.Text()),
    ("caller_phone_index", sa.String(length=64)),
    ("caller_relation", sa.String(length=32)),
    ("beneficiary_gender", sa.String(length=8)),
    ("beneficiary_birth_year", sa.Text()),
    ("ethnicity", sa.Text()),
    ("legal_aid_form", sa.String(length=32)),
    ("outcome_code", sa.String(length=32)),
    ("first_contact_at", UTC_DATETIME),
    ("accepted_at", UTC_DATETIME),
)
INDEXED = ("caller_phone_index", "legal_aid_form", "outcome_code")


def topic_code(value: str | None) -> str | None:
    """The vocabulary code of an old topic value; anything unrecognised is "another field"."""
    if value is None or not value.strip():
        return None
    return topic_from_text(value) or OTHER_TOPIC


def group_code(value: str | None) -> str | None:
    """The vocabulary code of an old eligibility group value, or None (unknown, "không rõ")."""
    if value is None or value == UNKNOWN_GROUP:
        return None
    return GROUPS.code_of(value)


def _map_column(
    bind: sa.Connection, cases: sa.TableClause, name: str, mapping: Callable[[str], str | None]
) -> None:
    column = cases.c[name]
    values = [row[0] for row in bind.execute(sa.select(column).where(column.is_not(None)).distinct())]
    for old in values:
        new = mapping(old)
        if new != old:
            bind.execute(cases.update().where(column == old).values({name: new}))


def _backfill_times(bind: sa.Connection) -> None:
    events = sa.table(
        "case_events", sa.column("case_id", sa.Integer), sa.column("at", UTC_DATETIME),
        sa.column("from_status", sa.String), sa.column("to_status", sa.String),
    )
    cases = sa.table(
        "cases", sa.column("id", sa.Integer),
        sa.column("first_contact_at", UTC_DATETIME), sa.column("accepted_at", UTC_DATETIME),
    )
    for target, condition in (
        ("first_contact_at", sa.and_(events.c.from_status == "new", events.c.to_status != "new")),
        ("accepted_at", events.c.to_status == "accepted"),
    ):
        first = sa.select(sa.func.min(events.c.at)).where(events.c.case_id == cases.c.id, condition)
        first = first.scalar_subquery()
        bind.execute(cases.update().values({target: first}))


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name, type_ in NEW_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        for name in INDEXED:
            batch.create_index(batch.f(f"ix_cases_{name}"), [name])
    bind = op.get_bind()
    cases = sa.table("cases", sa.column("topic", sa.String), sa.column("eligibility_group", sa.String))
    _map_column(bind, cases, "topic", topic_code)
    _map_column(bind, cases, "eligibility_group", group_code)
    _backfill_times(bind)


def _keep_events_while(dialect: str) -> Callable[[], None]:
    """SQLite's batch mode drops and recreates `cases`; with foreign keys on, that DROP deletes the
    case_events rows (ON DELETE CASCADE). Keep a copy and return the function that puts it back
    (as in 0004)."""
    if dialect != "sqlite":
        return lambda: None
    op.execute("CREATE TEMP TABLE _keep_case_events AS SELECT * FROM case_events")

    def restore() -> None:
        op.execute("INSERT INTO case_events SELECT * FROM _keep_case_events WHERE id NOT IN "
                   "(SELECT id FROM case_events)")
        op.execute("DROP TABLE _keep_case_events")

    return restore


def downgrade() -> None:
    restore_events = _keep_events_while(op.get_bind().dialect.name)
    with op.batch_alter_table("cases") as batch:
        for name in INDEXED:
            batch.drop_index(batch.f(f"ix_cases_{name}"))
        for name, _type in reversed(NEW_COLUMNS):
            batch.drop_column(name)
    restore_events()
