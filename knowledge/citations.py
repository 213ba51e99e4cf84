"""Formatting of legal citations (pure, no heavy imports)."""

from __future__ import annotations

from datetime import date

__all__ = ["citation_line", "citation_short", "document_name", "format_date"]

_PROPER_TITLE_TYPES = ("luật", "bộ luật", "pháp lệnh")


def format_date(value: date | str | None) -> str:
    """``2018-01-01`` → ``01/01/2018``; empty when unknown."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return f"{value:%d/%m/%Y}"


def document_name(document_type: str | None, document_title: str | None) -> str:
    """``Luật`` + ``Trợ giúp pháp lý`` → ``Luật Trợ giúp pháp lý``; titles that already start with
    the type are kept; descriptive titles of decrees/circulars start lower-case after the type."""
    dtype = (document_type or "").strip()
    title = (document_title or "").strip()
    if not dtype:
        return title
    if not title:
        return dtype
    if title.lower().startswith(dtype.lower()):
        return title
    if dtype.lower() not in _PROPER_TITLE_TYPES and title[:1].isupper() and not title[1:2].isupper():
        title = title[0].lower() + title[1:]
    return f"{dtype} {title}"


def _where(article: str | None, clause: str | None, point: str | None) -> str:
    """``Điểm a khoản 7 Điều 7 `` (capitalised, with a trailing space), or "" without an article."""
    parts = [f"điểm {point}" if point else "", f"khoản {clause}" if clause else "",
             f"Điều {article}" if article else ""]
    where = " ".join(p for p in parts if p)
    return where[0].upper() + where[1:] + " " if where else ""


def citation_line(
    *,
    article: str | None,
    document_number: str,
    document_type: str | None = None,
    document_title: str | None = None,
    clause: str | None = None,
    point: str | None = None,
    effective_from: date | str | None = None,
    effective_to: date | str | None = None,
    issued_on: date | str | None = None,
) -> str:
    """``Khoản 2 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018)``."""
    where = _where(article, clause, point)
    text = f"{where}{document_name(document_type, document_title)} số {document_number}".strip()
    start, end = format_date(effective_from), format_date(effective_to)
    if start and end:
        text += f" (hiệu lực từ {start} đến {end})"
    elif start:
        text += f" (hiệu lực từ {start})"
    elif issued_on:
        text += f" (ban hành {format_date(issued_on)})"
    return text


def citation_short(
    *,
    article: str | None,
    document_number: str,
    document_type: str | None = None,
    document_title: str | None = None,
    clause: str | None = None,
    point: str | None = None,
) -> str:
    """The short form shown under an answer on a phone (the full line with its dates goes behind
    "Xem thêm"): a law by its name and number, a decree or circular by its type and number.

    >>> citation_short(article="7", clause="2", document_number="11/2017/QH14", document_type="Luật",
    ...                document_title="Trợ giúp pháp lý")
    'Khoản 2 Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14'
    >>> citation_short(article="4", document_number="146/2018/NĐ-CP", document_type="Nghị định",
    ...                document_title="Quy định chi tiết và hướng dẫn biện pháp thi hành Luật Bảo hiểm y tế")
    'Điều 4 Nghị định 146/2018/NĐ-CP'
    """
    where = _where(article, clause, point)
    dtype = (document_type or "").strip()
    if dtype.lower() in _PROPER_TITLE_TYPES or not dtype:
        name = document_name(document_type, document_title)
    else:
        name = dtype
    return f"{where}{name} {document_number}".strip()
