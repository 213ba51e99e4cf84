"""SQLAlchemy 2 models of the case store. The schema itself is owned by the Alembic migrations
in `api/alembic/versions`; a test checks the two agree.

Personal columns (names, phones, commune, description, year of birth, ethnicity, free texts, event
changes and notes) are encrypted at rest (`api.cases.crypto`); `phone_index` / `caller_phone_index`
are the phones' blind indexes (HMAC), set whenever `phone` / `caller_phone` is."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from api.cases.crypto import EncryptedJSON, EncryptedText, active_keyring

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every database (SQLite stores naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(EncryptedText)
    phone: Mapped[str] = mapped_column(EncryptedText)
    phone_index: Mapped[str] = mapped_column(String(64), index=True)
    province: Mapped[str] = mapped_column(String(64), index=True)
    commune: Mapped[str | None] = mapped_column(EncryptedText)
    eligibility_group: Mapped[str | None] = mapped_column(String(64), index=True)
    topic: Mapped[str | None] = mapped_column(String(100), index=True)
    description: Mapped[str] = mapped_column(EncryptedText)
    consent: Mapped[bool] = mapped_column(Boolean)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), index=True, default="new")
    assignee: Mapped[str | None] = mapped_column(String(200))
    referred_to: Mapped[str | None] = mapped_column(String(300))
    rejection_reason: Mapped[str | None] = mapped_column(EncryptedText)
    outcome: Mapped[str | None] = mapped_column(EncryptedText)
    dedup_key: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    search_text: Mapped[str] = mapped_column(EncryptedText, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Who called, when not the beneficiary (full_name/phone) themself (issue 14, item 8).
    caller_name: Mapped[str | None] = mapped_column(EncryptedText)
    caller_phone: Mapped[str | None] = mapped_column(EncryptedText)
    caller_phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    caller_relation: Mapped[str | None] = mapped_column(String(32))  # vocabulary RELATIONS
    # What centres count in their reports (issue 14, item 10); codes from knowledge.vocabulary.
    beneficiary_gender: Mapped[str | None] = mapped_column(String(8))  # GENDERS
    beneficiary_birth_year: Mapped[str | None] = mapped_column(EncryptedText)  # "1956"
    ethnicity: Mapped[str | None] = mapped_column(EncryptedText)  # only with the person's consent
    legal_aid_form: Mapped[str | None] = mapped_column(String(32), index=True)  # LEGAL_AID_FORMS
    outcome_code: Mapped[str | None] = mapped_column(String(32), index=True)  # OUTCOMES
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (Index("ix_cases_dedup_key_created_at", "dedup_key", "created_at"),)


@event.listens_for(Case.phone, "set")
def _index_phone(target: Case, value: str | None, _old: object, _initiator: object) -> None:
    target.phone_index = active_keyring().phone_index(value) if value else None  # type: ignore[assignment]


@event.listens_for(Case.caller_phone, "set")
def _index_caller_phone(target: Case, value: str | None, _old: object, _initiator: object) -> None:
    target.caller_phone_index = active_keyring().phone_index(value) if value else None


class CaseEvent(Base):
    """Append-only audit trail: nothing updates or deletes a row except the retention purge."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    changes: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)
    note: Mapped[str | None] = mapped_column(EncryptedText)

    case: Mapped[Case] = relationship(back_populates="events")


class CaseSequence(Base):
    """The last case number given out in each year: codes are TGPL-<year>-<sequence>."""

    __tablename__ = "case_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class StaffToken(Base):
    __tablename__ = "staff_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseLookupGuard(Base):
    """Failed citizen status lookups per case code (any well-formed code, known or not), so that a
    code is locked for a while after too many wrong tries, across api replicas."""

    __tablename__ = "case_lookup_guards"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DataAccess(Base):
    """Audit of personal-data reads: a case detail opened, a CSV export. Admins read it."""

    __tablename__ = "data_access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    token_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    case_code: Mapped[str | None] = mapped_column(String(32), index=True)
    full_data: Mapped[bool] = mapped_column(Boolean)
    filters: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)  # may hold a searched name
    row_count: Mapped[int | None] = mapped_column(Integer)
