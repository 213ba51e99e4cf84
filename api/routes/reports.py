"""The centre's report (issue 14 item 11): `GET /api/v1/reports` for a month, a quarter or a year,
and each of its tables as CSV (`/api/v1/reports.csv?table=…`) or as an Excel workbook
(`/api/v1/reports.xlsx`, one sheet per table, or only `table=…`).

Reviewers and admins (the tables count cases by commune). Only counts leave the server. The
tables are computed by the pure `api.cases.reports.build_report`; the labels of the one vocabulary
(knowledge.vocabulary) are injected (`ReportLabelsDep`). The time to the first contact is the
case's `first_contact_at` (its first move out of "new").
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.cases.auth import ReviewerDep
from api.cases.models import Case
from api.cases.provinces import match_province
from api.cases.reports import (
    TABLES,
    CaseRow,
    Period,
    Report,
    ReportLabels,
    build_report,
    report_xlsx,
    table_csv,
)
from api.cases.timezone import start_of_day_utc
from api.deps import SessionDep
from api.schemas import ErrorResponse
from knowledge import vocabulary

router = APIRouter(prefix="/api/v1", tags=["reports"])
ERRORS: dict[int | str, dict] = {
    401: {"model": ErrorResponse, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorResponse, "description": "Không đủ quyền"},
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportQuery(BaseModel):
    period: Literal["month", "quarter", "year"] = Field(description="month | quarter | year")
    year: int = Field(ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12, description="1–12, for period=month")
    quarter: int | None = Field(None, ge=1, le=4, description="1–4, for period=quarter")
    province: str | None = Field(None, max_length=64, description="Only this province (diacritics optional)")

    @model_validator(mode="after")
    def _number(self) -> ReportQuery:
        if self.period == "month" and self.month is None:
            raise ValueError("Hãy chọn tháng (month) của báo cáo.")
        if self.period == "quarter" and self.quarter is None:
            raise ValueError("Hãy chọn quý (quarter) của báo cáo.")
        if self.province is not None:
            province = match_province(self.province)
            if province is None:
                raise ValueError("Không nhận ra tỉnh/thành phố.")
            self.province = province
        return self

    def to_period(self) -> Period:
        number = {"month": self.month, "quarter": self.quarter, "year": 1}[self.period]
        return Period.of(self.period, self.year, number)


class TableFileQuery(ReportQuery):
    table: str | None = Field(None, description="A table key of the report; all tables when omitted (.xlsx)")


class TableRowOut(BaseModel):
    cells: list[str]
    count: int
    share: float


class TableOut(BaseModel):
    key: str
    title: str
    columns: list[str]
    rows: list[TableRowOut]
    total: int
    note: str = ""


class ReportOut(BaseModel):
    title: str
    period: str = Field(description="e.g. Tháng 11/2026")
    start: str = Field(description="First day (Vietnam time), inclusive")
    end: str = Field(description="Day after the last one, exclusive")
    province: str | None
    total: int
    tables: list[TableOut]
    generated_at: datetime


def report_labels() -> ReportLabels:
    """The labels of the one vocabulary (knowledge.vocabulary)."""
    return ReportLabels(
        channels=vocabulary.CHANNELS.labels(),
        groups=vocabulary.GROUPS.labels(),
        topics=vocabulary.TOPICS.labels(),
        legal_aid_forms=vocabulary.LEGAL_AID_FORMS.labels(),
        outcomes=vocabulary.OUTCOMES.labels(),
    )


ReportLabelsDep = Annotated[ReportLabels, Depends(report_labels)]


def load_rows(session: Session, period: Period, province: str | None) -> list[CaseRow]:
    """The cases received in *period*, as CaseRow: only the columns a report needs (commune is the
    one encrypted column read, and decrypted)."""
    stmt = select(
        Case.created_at, Case.status, Case.channel, Case.province, Case.commune, Case.eligibility_group,
        Case.topic, Case.legal_aid_form, Case.outcome_code, Case.first_contact_at,
    ).where(Case.created_at >= start_of_day_utc(period.start), Case.created_at < start_of_day_utc(period.end))
    if province is not None:
        stmt = stmt.where(Case.province == province)
    return [
        CaseRow(
            created_at=r.created_at, status=r.status, channel=r.channel, province=r.province,
            commune=r.commune, eligibility_group=r.eligibility_group, topic=r.topic,
            legal_aid_form=r.legal_aid_form, outcome=r.outcome_code, first_contact_at=r.first_contact_at,
        )
        for r in session.execute(stmt)
    ]


def _report(query: ReportQuery, session: Session, labels: ReportLabels) -> Report:
    period = query.to_period()
    return build_report(load_rows(session, period, query.province), period, labels, province=query.province)


def _to_out(report: Report) -> ReportOut:
    return ReportOut(
        title=report.title, period=report.period.label, start=report.period.start.isoformat(),
        end=report.period.end.isoformat(), province=report.province, total=report.total,
        tables=[
            TableOut(
                key=t.key, title=t.title, columns=list(t.columns), total=t.total, note=t.note,
                rows=[TableRowOut(cells=list(r.cells), count=r.count, share=r.share) for r in t.rows],
            )
            for t in report.tables
        ],
        generated_at=datetime.now().astimezone(),
    )


def _file_name(report: Report, key: str | None, extension: str) -> str:
    return f"bao-cao-tgpl-{report.period.slug}{'-' + key if key else ''}.{extension}"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


def _unknown_table(key: str) -> HTTPException:
    return HTTPException(status_code=422, detail=f"Không có bảng «{key}». Các bảng: {', '.join(TABLES)}.")


@router.get("/reports", response_model=ReportOut, responses=ERRORS)
def read_report(
    query: Annotated[ReportQuery, Query()], principal: ReviewerDep, session: SessionDep,
    labels: ReportLabelsDep, response: Response,
) -> ReportOut:
    """Every table of the report for the period (Vietnam time), optionally for one province."""
    response.headers["Cache-Control"] = "no-store"
    return _to_out(_report(query, session, labels))


@router.get("/reports.csv", response_class=Response, responses=ERRORS)
def report_csv(
    query: Annotated[TableFileQuery, Query()], principal: ReviewerDep, session: SessionDep,
    labels: ReportLabelsDep,
) -> Response:
    """One table of the report as CSV (UTF-8 with BOM, for Excel)."""
    if query.table is None:
        raise HTTPException(status_code=422, detail=f"Hãy chọn một bảng (table): {', '.join(TABLES)}.")
    if query.table not in TABLES:
        raise _unknown_table(query.table)
    report = _report(query, session, labels)
    return Response(
        content=table_csv(report, report.table(query.table)).encode("utf-8"),
        media_type="text/csv; charset=utf-8", headers=_attachment(_file_name(report, query.table, "csv")),
    )


@router.get("/reports.xlsx", response_class=Response, responses=ERRORS)
def report_workbook(
    query: Annotated[TableFileQuery, Query()], principal: ReviewerDep, session: SessionDep,
    labels: ReportLabelsDep,
) -> Response:
    """The report as an Excel workbook: one sheet per table, or only `table`."""
    if query.table is not None and query.table not in TABLES:
        raise _unknown_table(query.table)
    report = _report(query, session, labels)
    tables = [report.table(query.table)] if query.table else list(report.tables)
    return Response(
        content=report_xlsx(report, tables), media_type=XLSX,
        headers=_attachment(_file_name(report, query.table, "xlsx")),
    )
