"""Audit of personal-data reads (`data_access_log`): who opened which case, who exported what.

One row per case detail shown (`case_viewed`; `full_data` tells whether the name and phone were
shown unmasked) and per CSV export (`cases_exported`, with the filters and the number of rows).
Rows are only added; admins read them (`GET /api/v1/audit`, the /center dashboard).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.cases.models import DataAccess, utcnow
from api.cases.schemas import CaseFilters
from api.cases.security import Principal
from api.core.db import begin_write


class AccessAction(str, Enum):
    case_viewed = "case_viewed"
    cases_exported = "cases_exported"


def filters_json(filters: CaseFilters) -> dict[str, Any]:
    """The filters that were set, as JSON values."""
    values: dict[str, Any] = {}
    for name, value in filters.model_dump(exclude_none=True).items():
        values[name] = value.isoformat() if isinstance(value, date) else getattr(value, "value", value)
    return values


def record_access(
    session: Session,
    *,
    principal: Principal,
    action: AccessAction,
    full_data: bool,
    case_code: str | None = None,
    filters: dict[str, Any] | None = None,
    row_count: int | None = None,
) -> DataAccess:
    """Append one audit row and commit it."""
    begin_write(session)
    row = DataAccess(
        at=utcnow(), actor=principal.actor, token_id=principal.token_id, action=action.value,
        case_code=case_code, full_data=full_data, filters=filters, row_count=row_count,
    )
    session.add(row)
    session.commit()
    return row


def list_accesses(
    session: Session,
    *,
    action: AccessAction | None = None,
    case_code: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> tuple[Sequence[DataAccess], int]:
    """Newest first, optionally for one action or one case."""
    conditions = []
    if action is not None:
        conditions.append(DataAccess.action == action.value)
    if case_code is not None:
        conditions.append(DataAccess.case_code == case_code)
    count = session.scalar(select(func.count(DataAccess.id)).where(*conditions)) or 0
    rows = session.scalars(
        select(DataAccess).where(*conditions).order_by(DataAccess.id.desc()).offset(skip).limit(limit)
    ).all()
    return rows, count
