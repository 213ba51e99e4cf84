"""Key rotation of the case store (`python -m api cases rotate-keys`).

Every encrypted value is re-encrypted with the first key of CASE_ENCRYPTION_KEYS, and the blind
indexes (`phone_index`, `dedup_key`) are recomputed from the decrypted values with the current
CASE_BLIND_INDEX_KEY. Rows are rewritten in id order, `batch_size` per write transaction, each
batch read locked (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite) so that a staff update
in between is never overwritten; the api can keep running. Idempotent: running it again (or after
an interruption) is safe while every key still in use is in CASE_ENCRYPTION_KEYS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import column, func, select, table, update
from sqlalchemy.orm import Session

from api.cases.crypto import DecryptionError, Keyring
from api.core.db import begin_write

CASE_COLUMNS = (
    "full_name", "phone", "commune", "description", "rejection_reason", "outcome", "search_text",
    "caller_name", "caller_phone", "beneficiary_birth_year", "ethnicity",
)
BLIND_COLUMNS = ("phone_index", "dedup_key", "caller_phone_index")


@dataclass(frozen=True)
class Target:
    name: str
    columns: Sequence[str]
    blind: bool = False  # recompute phone_index and dedup_key


TARGETS = (
    Target("cases", CASE_COLUMNS, blind=True),
    Target("case_events", ("changes", "note")),
    Target("data_access_log", ("filters",)),
)


def _new_values(keyring: Keyring, target: Target, row: dict) -> dict:
    values = {c: keyring.rotate(row[c]) for c in target.columns if row[c] is not None}
    if target.blind:
        values.update(_blind_values(keyring, row))
    return values


def _blind_values(keyring: Keyring, row: dict) -> dict:
    """The blind indexes of a case row, computed with the current CASE_BLIND_INDEX_KEY."""
    phone, description = keyring.decrypt(row["phone"]), keyring.decrypt(row["description"])
    caller = keyring.decrypt(row["caller_phone"]) if row["caller_phone"] is not None else None
    return {
        "phone_index": keyring.phone_index(phone),
        "dedup_key": keyring.dedup_key(phone, description),
        "caller_phone_index": keyring.phone_index(caller) if caller else None,
    }


def rotate_keys(
    session: Session,
    keyring: Keyring,
    *,
    batch_size: int = 500,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Re-encrypt every row with the first key; returns the rows rewritten per table.

    Raises crypto.DecryptionError (nothing of that batch written) when a value matches no key.
    """
    done: dict[str, int] = {}
    for target in TARGETS:
        extra = BLIND_COLUMNS if target.blind else ()
        rows_table = table(target.name, column("id"), *(column(c) for c in (*target.columns, *extra)))
        total = session.scalar(select(func.count()).select_from(rows_table)) or 0
        session.commit()
        last, count = 0, 0
        while True:
            begin_write(session)
            ids = rows_table.c.id
            stmt = select(rows_table).where(ids > last).order_by(ids).limit(batch_size)
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update()
            rows = session.execute(stmt).mappings().all()
            try:
                for row in rows:
                    values = _new_values(keyring, target, dict(row))
                    if values:
                        session.execute(update(rows_table).where(ids == row["id"]).values(**values))
            except Exception:
                session.rollback()
                raise
            session.commit()
            if not rows:
                break
            last, count = rows[-1]["id"], count + len(rows)
            if progress is not None:
                progress(target.name, count, total)
        done[target.name] = count
    return done


@dataclass
class KeyCheck:
    first_key: int = 0  # values encrypted with the first key
    older_key: int = 0  # values that still need `rotate-keys`
    unreadable: int = 0  # values no configured key decrypts
    stale_index: int = 0  # phone_index / dedup_key not made with the current blind-index key


def check_keys(session: Session, keyring: Keyring, *, batch_size: int = 500) -> dict[str, KeyCheck]:
    """Which key each stored value needs: before removing an old key, every value must be on the
    first one (and every blind index computed with the current CASE_BLIND_INDEX_KEY)."""
    report: dict[str, KeyCheck] = {}
    for target in TARGETS:
        extra = BLIND_COLUMNS if target.blind else ()
        rows_table = table(target.name, column("id"), *(column(c) for c in (*target.columns, *extra)))
        check, last = KeyCheck(), 0
        while True:
            ids = rows_table.c.id
            rows = session.execute(
                select(rows_table).where(ids > last).order_by(ids).limit(batch_size)
            ).mappings().all()
            if not rows:
                break
            for row in rows:
                for value in (row[c] for c in target.columns if row[c] is not None):
                    if keyring.uses_first_key(value):
                        check.first_key += 1
                        continue
                    try:
                        keyring.decrypt(value)
                        check.older_key += 1
                    except DecryptionError:
                        check.unreadable += 1
                if target.blind:
                    try:
                        expected = _blind_values(keyring, dict(row))
                    except DecryptionError:
                        continue
                    if any(row[name] != value for name, value in expected.items()):
                        check.stale_index += 1
            last = rows[-1]["id"]
        session.commit()
        report[target.name] = check
    return report
