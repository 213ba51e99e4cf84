"""Which cards apply to a question asked on a given day (pure, no heavy imports).

By default a card applies when its ``applies_from``/``applies_to`` window contains ``on_date``.
A question may move the reference time: it can name a year ("sang năm 2027", "chuẩn 2027-2030":
the cards applying during those years, instead of today's — and today's too when it asks about
now: "án xử năm 2019, bây giờ còn kịp không"), ask about the upcoming rules
("sắp tới", "chuẩn mới": today's cards plus those starting within a year), or name a document a
card cites ("nghị định 351/2025": that card, whatever its period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .text import fold

__all__ = ["ReferenceTime", "card_allowed", "reference_time"]

_DOC_REF = re.compile(
    r"(?:\b(?:nghi dinh|thong tu|quyet dinh|nghi quyet|luat|nd|tt|qd|nq)\s*(?:so\s*)?"
    r"(\d{1,4})\s*(?:/|nam)\s*(20\d\d)\b)"
    r"|(?:\b(\d{1,4})\s*/\s*(20\d\d)\b)"
)
_YEAR = re.compile(r"(?<![\d/.,])(20\d\d)(?![\d/])")
_UPCOMING = re.compile(
    r"\b(?:sap toi|sap den|sap ap dung|sap thay doi|sang nam|nam sau|nam toi|chuan moi|quy dinh moi|muc moi"
    r"|moi nhat|tu nam sau|sap tang|sap co)\b"
)

# A question that names a past year but asks about now ("án xử từ 2020, bây giờ còn yêu cầu được
# không?"): the rules of today apply too.
_NOW = re.compile(
    r"\b(?:bay gio|hien nay|hien tai|luc nay|gio (?:thi|con|moi|co|muon|phai|toi|em|minh)|con kip"
    r"|con duoc|con (?:\w+ ){0,4}(?:duoc|kip) (?:khong|ko|k)\b)"
)


@dataclass(frozen=True)
class ReferenceTime:
    periods: tuple[tuple[date, date], ...]
    doc_refs: tuple[str, ...]


def reference_time(query: str, on_date: date) -> ReferenceTime:
    """The periods a question is about (see the module docstring)."""
    text = fold(query or "")
    doc_refs = []
    for m in _DOC_REF.finditer(text):
        num, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        doc_refs.append(f"{int(num):02d}/{year}")
    text = _DOC_REF.sub(" ", text)
    years = sorted({int(y) for y in _YEAR.findall(text) if 2000 <= int(y) <= 2100})
    periods: list[tuple[date, date]] = [(date(y, 1, 1), date(y, 12, 31)) for y in years]
    if periods and _NOW.search(text):  # "án xử năm 2019, giờ còn kịp không": that year and today
        periods.append((on_date, on_date))
    if not periods:
        periods.append((on_date, on_date))
        if _UPCOMING.search(text):
            periods.append((on_date, on_date + timedelta(days=366)))
    return ReferenceTime(tuple(periods), tuple(doc_refs))


def card_allowed(card, ref: ReferenceTime) -> bool:
    """True when *card* applies during one of the reference periods or cites a named document."""
    start = card.applies_from or date.min
    end = card.applies_to or date.max
    if any(start <= p_end and p_start <= end for p_start, p_end in ref.periods):
        return True
    return any(
        c.document_number.startswith(ref_) or c.document_number.startswith(ref_.lstrip("0"))
        for ref_ in ref.doc_refs
        for c in card.citations
    )
