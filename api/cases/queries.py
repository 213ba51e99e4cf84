"""Reading cases: filters shared by the list, the CSV export and the statistics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from api.cases.models import Case
from api.cases.normalize import search_words
from api.cases.schemas import CaseFilters
from api.cases.timezone import start_of_day_utc

UNKNOWN = "(không rõ)"


def _like_pattern(word: str) -> str:
    """A word start anywhere in search_text; words are [0-9a-z] only, nothing to escape."""
    return f"% {word}%"


def filter_cases(stmt: Select, filters: CaseFilters) -> Select:
    if filters.status is not None:
        stmt = stmt.where(Case.status == filters.status.value)
    if filters.province is not None:
        stmt = stmt.where(Case.province == filters.province)
    if filters.eligibility_group is not None:
        stmt = stmt.where(Case.eligibility_group == filters.eligibility_group)
    if filters.topic is not None:
        stmt = stmt.where(Case.topic == filters.topic)
    if filters.created_from is not None:
        stmt = stmt.where(Case.created_at >= start_of_day_utc(filters.created_from))
    if filters.created_to is not None:
        stmt = stmt.where(Case.created_at < start_of_day_utc(filters.created_to + timedelta(days=1)))
    if filters.q:
        for word in search_words(filters.q):  # every word must start a word, diacritics ignored
            stmt = stmt.where(Case.search_text.like(_like_pattern(word)))
    return stmt


def list_cases(
    session: Session, *, filters: CaseFilters, skip: int = 0, limit: int | None = 50
) -> tuple[Sequence[Case], int]:
    """A page of cases, newest first, and the number of cases matching the filters."""
    count = session.scalar(filter_cases(select(func.count(Case.id)), filters)) or 0
    stmt = filter_cases(select(Case), filters).order_by(Case.created_at.desc(), Case.id.desc()).offset(skip)
    if limit is not None:
        stmt = stmt.limit(limit)
    return session.scalars(stmt).all(), count


def _month(session: Session) -> ColumnElement[str]:
    """YYYY-MM of created_at in Vietnam time, in the database's own dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Ho_Chi_Minh", Case.created_at), "YYYY-MM")
    return func.strftime("%Y-%m", Case.created_at, "+7 hours")


def _counts(session: Session, column: ColumnElement, filters: CaseFilters) -> dict[str, int]:
    stmt = filter_cases(select(column, func.count(Case.id)), filters).group_by(column).order_by(column)
    return {(key if key is not None else UNKNOWN): n for key, n in session.execute(stmt)}


def case_stats(session: Session, *, filters: CaseFilters) -> dict[str, object]:
    by_status = _counts(session, Case.status, filters)
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_eligibility_group": _counts(session, Case.eligibility_group, filters),
        "by_province": _counts(session, Case.province, filters),
        "by_topic": _counts(session, Case.topic, filters),
        "by_month": _counts(session, _month(session).label("month"), filters),
    }
