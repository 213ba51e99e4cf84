"""The centre's report for a month, a quarter or a year (issue 14 item 11): tables of counts.

`build_report(rows, period, labels)` is a pure function over `CaseRow`s (plain values, no
database): one table per dimension a legal-aid centre counts — status, eligibility route (the
clause of Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14), form of legal aid (Điều 27), topic, channel,
province and commune, outcome, and the time from receipt to the first contact. Every table has
its rows, a total and each row's share, in the order the vocabulary gives (small lists show every
code, zeros included; long ones only the codes that occur, most frequent first) and a row
"(chưa ghi)" for cases without the value. `table_csv` and `report_xlsx` write the same tables
for Excel. Nothing personal is in a report: only counts (commune names are places, not people).

>>> from datetime import UTC, datetime
>>> period = Period.of("month", 2026, 11)
>>> period.label, period.start.isoformat(), period.end.isoformat()
('Tháng 11/2026', '2026-11-01', '2026-12-01')
>>> rows = [CaseRow(created_at=datetime(2026, 11, 3, 2, tzinfo=UTC), status="new", channel="web",
...                 province="Lào Cai")]
>>> report = build_report(rows, period, ReportLabels())
>>> [(r.cells[0], r.count) for r in report.table("status").rows][:2]
[('Mới', 1), ('Đã thụ lý', 0)]
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from api.cases.status import STATUS_LABELS
from api.cases.timezone import VN_TZ

PeriodKind = Literal["month", "quarter", "year"]
_STATUS_LABELS = {status.value: label for status, label in STATUS_LABELS.items()}
NOT_RECORDED = "(chưa ghi)"
UTF8_BOM = "\ufeff"

# Time from receipt to the first contact by the centre: (upper bound, label); the last is open.
CONTACT_BUCKETS: tuple[tuple[timedelta | None, str], ...] = (
    (timedelta(days=1), "Trong 24 giờ"),
    (timedelta(days=3), "Từ 1 đến 3 ngày"),
    (timedelta(days=7), "Từ 3 đến 7 ngày"),
    (timedelta(days=30), "Từ 7 đến 30 ngày"),
    (None, "Trên 30 ngày"),
)
NOT_CONTACTED = "Chưa liên hệ"


@dataclass(frozen=True)
class Period:
    """[start, end) in Vietnam dates: a calendar month, quarter or year."""

    kind: PeriodKind
    year: int
    number: int  # month 1–12, quarter 1–4, 1 for a year

    @classmethod
    def of(cls, kind: PeriodKind, year: int, number: int | None = None) -> Period:
        limits = {"month": 12, "quarter": 4, "year": 1}
        number = 1 if kind == "year" else number
        if number is None or not 1 <= number <= limits[kind]:
            raise ValueError(f"Kỳ báo cáo không hợp lệ: {kind} {number}")
        return cls(kind, year, number)

    @property
    def start(self) -> date:
        month = {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[self.kind]
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        index = self.start.month - 1 + months
        return date(self.year + index // 12, index % 12 + 1, 1)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.number}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {['I', 'II', 'III', 'IV'][self.number - 1]} năm {self.year}"
        return f"Năm {self.year}"

    @property
    def slug(self) -> str:
        """For file names: 2026-11, 2026-Q4, 2026."""
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-Q{self.number}" if self.kind == "quarter" else str(self.year)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment.astimezone(VN_TZ).date() < self.end


@dataclass(frozen=True)
class CaseRow:
    """What a report needs of one case (no name, phone or description)."""

    created_at: datetime
    status: str
    channel: str
    province: str
    commune: str | None = None
    eligibility_group: str | None = None
    topic: str | None = None
    legal_aid_form: str | None = None
    outcome: str | None = None  # a code of the vocabulary's outcomes, not the free text
    first_contact_at: datetime | None = None


@dataclass(frozen=True)
class ReportLabels:
    """Ordered code → label lists of the vocabulary (injected: the report itself knows none but
    the statuses). A code that is not in its list is shown as it is stored."""

    statuses: Mapping[str, str] = field(default_factory=lambda: _STATUS_LABELS)
    channels: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    topics: Mapping[str, str] = field(default_factory=dict)
    legal_aid_forms: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]  # the labels of the row (one, or province and commune)
    count: int
    share: float  # of the table's total, 0–1


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]  # label columns, then "Số hồ sơ", "Tỷ lệ"
    rows: tuple[TableRow, ...]
    total: int
    note: str = ""


@dataclass(frozen=True)
class Report:
    period: Period
    province: str | None
    total: int
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def title(self) -> str:
        where = f" — {self.province}" if self.province else ""
        return f"Báo cáo hồ sơ trợ giúp pháp lý {self.period.label}{where}"


COUNT_COLUMNS = ("Số hồ sơ", "Tỷ lệ")
# key → (title, label column, sheet name of the workbook); the order of the report
TABLES: dict[str, tuple[str, str, str]] = {
    "status": ("Theo trạng thái", "Trạng thái", "Trạng thái"),
    "route": ("Theo diện được trợ giúp (căn cứ Điều 7 Luật Trợ giúp pháp lý)", "Diện được trợ giúp", "Diện"),
    "legal_aid_form": ("Theo hình thức trợ giúp pháp lý (Điều 27 Luật Trợ giúp pháp lý)", "Hình thức",
                       "Hình thức"),
    "topic": ("Theo lĩnh vực", "Lĩnh vực", "Lĩnh vực"),
    "channel": ("Theo kênh tiếp nhận", "Kênh", "Kênh"),
    "province": ("Theo tỉnh/thành phố", "Tỉnh/thành phố", "Tỉnh, thành phố"),
    "commune": ("Theo xã/phường", "Tỉnh/thành phố", "Xã, phường"),
    "outcome": ("Theo kết quả (hồ sơ đã kết thúc)", "Kết quả", "Kết quả"),
    "first_contact": ("Thời gian từ khi tiếp nhận đến lần liên hệ đầu tiên", "Thời gian",
                      "Thời gian liên hệ"),
}


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _coded(
    key: str, values: Iterable[str | None], labels: Mapping[str, str], *, all_codes: bool
) -> Table:
    """A one-column table: every code of *labels* in order (all_codes) or those that occur, most
    frequent first; unknown codes as stored; "(chưa ghi)" last."""
    counts = Counter(values)
    total = sum(counts.values())
    missing = counts.pop(None, 0) + counts.pop("", 0)
    if all_codes:
        ordered = [(labels[code], counts.pop(code, 0)) for code in labels]
        ordered += sorted(((code, n) for code, n in counts.items()), key=lambda item: (-item[1], item[0]))
    else:
        ordered = sorted(
            ((labels.get(code, code), n) for code, n in counts.items()), key=lambda item: (-item[1], item[0])
        )
    if missing:
        ordered.append((NOT_RECORDED, missing))
    title, column, _ = TABLES[key]
    rows = tuple(TableRow((label,), n, _share(n, total)) for label, n in ordered)
    return Table(key, title, (column, *COUNT_COLUMNS), rows, total)


def _communes(rows: Sequence[CaseRow]) -> Table:
    counts = Counter((row.province, (row.commune or "").strip() or NOT_RECORDED) for row in rows)
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
    title, column, _ = TABLES["commune"]
    table_rows = tuple(TableRow(place, n, _share(n, total)) for place, n in ordered)
    return Table("commune", title, (column, "Xã/phường", *COUNT_COLUMNS), table_rows, total)


def contact_bucket(row: CaseRow) -> str:
    """The CONTACT_BUCKETS label of a case, or NOT_CONTACTED."""
    if row.first_contact_at is None:
        return NOT_CONTACTED
    waited = max(row.first_contact_at - row.created_at, timedelta(0))
    for bound, label in CONTACT_BUCKETS:
        if bound is None or waited < bound:
            return label
    raise AssertionError("the last bucket is open")  # pragma: no cover


def _first_contact(rows: Sequence[CaseRow]) -> Table:
    labels = {label: label for _, label in CONTACT_BUCKETS} | {NOT_CONTACTED: NOT_CONTACTED}
    table = _coded("first_contact", (contact_bucket(row) for row in rows), labels, all_codes=True)
    waits = sorted(
        (row.first_contact_at - row.created_at).total_seconds() / 3600
        for row in rows if row.first_contact_at is not None
    )
    note = ""
    if waits:
        middle = len(waits) // 2
        median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
        note = f"Trung vị: {median:.1f} giờ ({len(waits)} hồ sơ đã được liên hệ).".replace(".", ",", 1)
    return Table(table.key, table.title, table.columns, table.rows, table.total, note)


FINAL = frozenset({"closed", "rejected", "referred"})


def build_report(
    rows: Iterable[CaseRow], period: Period, labels: ReportLabels, *, province: str | None = None
) -> Report:
    """Every table of the report over the cases received in *period* (and *province*, if given)."""
    cases = [
        row for row in rows
        if period.contains(row.created_at) and (province is None or row.province == province)
    ]
    finished = [row for row in cases if row.status in FINAL]
    tables = (
        _coded("status", (r.status for r in cases), labels.statuses, all_codes=True),
        _coded("route", (r.eligibility_group for r in cases), labels.groups, all_codes=False),
        _coded("legal_aid_form", (r.legal_aid_form for r in cases), labels.legal_aid_forms, all_codes=True),
        _coded("topic", (r.topic for r in cases), labels.topics, all_codes=False),
        _coded("channel", (r.channel for r in cases), labels.channels, all_codes=True),
        _coded("province", (r.province for r in cases), {}, all_codes=False),
        _communes(cases),
        _coded("outcome", (r.outcome for r in finished), labels.outcomes, all_codes=True),
        _first_contact(cases),
    )
    return Report(period, province, len(cases), tables)


# ---------- files ----------


def _safe(text: str) -> str:
    """A cell Excel will not run as a formula (= + - @ first)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_lines(table: Table, *, for_csv: bool = True) -> list[list[str | int | float]]:
    """Header, rows and the total, as cells (shares as percentages rounded to 0.1). For CSV a
    label that Excel would read as a formula gets a leading apostrophe."""
    safe = _safe if for_csv else str
    lines: list[list[str | int | float]] = [list(table.columns)]
    for row in table.rows:
        lines.append([*(safe(cell) for cell in row.cells), row.count, round(100 * row.share, 1)])
    blanks = [""] * (len(table.columns) - 3)
    lines.append(["Tổng số", *blanks, table.total, 100.0 if table.total else 0.0])
    return lines


def table_csv(report: Report, table: Table) -> str:
    """UTF-8 CSV with a BOM (Excel reads Vietnamese), the report's title and period first."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([report.title])
    writer.writerow([table.title])
    writer.writerows(table_lines(table))
    if table.note:
        writer.writerow([table.note])
    return buffer.getvalue()


def report_xlsx(report: Report, tables: Sequence[Table]) -> bytes:
    """An .xlsx workbook (XlsxWriter), one sheet per table: title, period, header, rows, total.
    Strings are never turned into formulas or links."""
    import xlsxwriter  # imported here: only the export needs it

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bg_color": "#E6EEF8", "border": 1})
    cell = workbook.add_format({"border": 1})
    for table in tables:
        sheet = workbook.add_worksheet(TABLES[table.key][2])
        sheet.write_string(0, 0, report.title, bold)
        sheet.write_string(1, 0, table.title, bold)
        lines = table_lines(table, for_csv=False)
        for r, line in enumerate(lines):
            style = header if r in (0, len(lines) - 1) else cell
            for c, value in enumerate(line):
                if isinstance(value, str):
                    sheet.write_string(3 + r, c, value, style)
                else:
                    sheet.write_number(3 + r, c, value, style)
        if table.note:
            sheet.write_string(4 + len(lines), 0, table.note)
        sheet.set_column(0, len(table.columns) - 3, 42)
        sheet.set_column(len(table.columns) - 2, len(table.columns) - 1, 12)
    workbook.close()
    return buffer.getvalue()
