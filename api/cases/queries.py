"""Reading cases: filters shared by the list, the CSV export and the statistics.

The personal columns are encrypted (api/cases/crypto.py), so `q` is matched in two ways:
a phone number (any spelling; also the `phone` filter) by the blind indexes `phone_index` and
`caller_phone_index`; words (name, code, commune,
description; prefix, diacritics ignored) after decryption, among the rows the other filters
(province, status, dates, …) leave: one pass per request, then an `id IN (…)` condition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from api.cases.crypto import active_keyring
from api.cases.models import Case
from api.cases.normalize import normalize_description, parse_phone, search_words
from api.cases.schemas import CaseFilters
from api.cases.timezone import start_of_day_utc

UNKNOWN = "(không rõ)"


def _as_phone(query: str) -> str | None:
    """The +84 form when the whole query is a phone number (knowledge.vocabulary's rule: any
    spelling, "0912 345 678", "+84912345678", "84-912-345-678"), else None."""
    if sum(ch.isdigit() for ch in query) < 9:
        return None
    return parse_phone(query)


def phone_condition(phone: str) -> ColumnElement[bool]:
    """Cases whose beneficiary or caller has *phone*, matched by the blind indexes."""
    index = active_keyring().phone_index(phone)
    return or_(Case.phone_index == index, Case.caller_phone_index == index)


def _has_words(words: list[str], search_text: str | None, full_name: str | None) -> bool:
    """Every word starts a word of the decrypted search text or name."""
    text = f" {search_text or ''} {normalize_description(full_name or '')} "
    return all(f" {word}" in text for word in words)


def case_conditions(session: Session, filters: CaseFilters) -> list[ColumnElement[bool]]:
    """The WHERE conditions of *filters*; a word search decrypts the rows in scope once, here."""
    conditions = _plain_conditions(filters)
    if filters.q:
        phone = _as_phone(filters.q)
        words = search_words(filters.q)
        if phone is not None:
            conditions.append(phone_condition(phone))
        elif words:
            scope = select(Case.id, Case.search_text, Case.full_name).where(*conditions)
            rows = session.execute(scope)
            ids = [row.id for row in rows if _has_words(words, row.search_text, row.full_name)]
            conditions.append(Case.id.in_(ids))
    return conditions


def filter_cases(stmt: Select, conditions: list[ColumnElement[bool]]) -> Select:
    return stmt.where(*conditions) if conditions else stmt


def _plain_conditions(filters: CaseFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status is not None:
        conditions.append(Case.status == filters.status.value)
    if filters.province is not None:
        conditions.append(Case.province == filters.province)
    if filters.eligibility_group is not None:
        conditions.append(Case.eligibility_group == filters.eligibility_group)
    if filters.topic is not None:
        conditions.append(Case.topic == filters.topic)
    if filters.phone is not None:
        conditions.append(phone_condition(filters.phone))
    if filters.created_from is not None:
        conditions.append(Case.created_at >= start_of_day_utc(filters.created_from))
    if filters.created_to is not None:
        conditions.append(Case.created_at < start_of_day_utc(filters.created_to + timedelta(days=1)))
    return conditions


def list_cases(
    session: Session, *, filters: CaseFilters, skip: int = 0, limit: int | None = 50
) -> tuple[Sequence[Case], int]:
    """A page of cases, newest first, and the number of cases matching the filters."""
    conditions = case_conditions(session, filters)
    count = session.scalar(filter_cases(select(func.count(Case.id)), conditions)) or 0
    stmt = filter_cases(select(Case), conditions).order_by(Case.created_at.desc(), Case.id.desc())
    stmt = stmt.offset(skip)
    if limit is not None:
        stmt = stmt.limit(limit)
    return session.scalars(stmt).all(), count


def _month(session: Session) -> ColumnElement[str]:
    """YYYY-MM of created_at in Vietnam time, in the database's own dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Ho_Chi_Minh", Case.created_at), "YYYY-MM")
    return func.strftime("%Y-%m", Case.created_at, "+7 hours")


def _counts(session: Session, column: ColumnElement, conditions: list[ColumnElement[bool]]) -> dict[str, int]:
    stmt = filter_cases(select(column, func.count(Case.id)), conditions).group_by(column).order_by(column)
    return {(key if key is not None else UNKNOWN): n for key, n in session.execute(stmt)}


def case_stats(session: Session, *, filters: CaseFilters) -> dict[str, object]:
    conditions = case_conditions(session, filters)
    by_status = _counts(session, Case.status, conditions)
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_eligibility_group": _counts(session, Case.eligibility_group, conditions),
        "by_province": _counts(session, Case.province, conditions),
        "by_topic": _counts(session, Case.topic, conditions),
        "by_channel": _counts(session, Case.channel, conditions),
        "by_legal_aid_form": _counts(session, Case.legal_aid_form, conditions),
        "by_outcome": _counts(session, Case.outcome_code, conditions),
        "by_month": _counts(session, _month(session).label("month"), conditions),
    }
