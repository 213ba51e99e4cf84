"""Compose a citizen-facing answer from search hits (pure function, no I/O).

The best card's plain answer, then ``Căn cứ: <article, clause, document, number, effective date>``;
a statute article gives a short excerpt and the same line.  Below the calibrated confidence
threshold the text says plainly that the assistant is not sure (the caller then offers to log a
request or connect to staff).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .citations import citation_line, citation_short
from .currency import is_current, with_status
from .district_note import with_district_note
from .focus import best_clause
from .search import CARD_BOOST
from .temporal import card_allowed, reference_time

__all__ = [
    "NOT_SURE", "Answer", "answer_from_hit", "compose_answer", "evidence", "is_confident", "usable_hits",
]

NOT_SURE = "Xin lỗi, tôi chưa chắc chắn về câu trả lời cho câu hỏi này."

# Calibrated on bench/data/retrieval_dev.yml (181 questions) + 20 out-of-scope questions with
# `bench/retrieval.py --calibrate`: no out-of-scope question confident; 91 of 97 confident answers right.
MIN_SCORE = 0.90  # evidence of the best hit: fused score without the card boost
MIN_DENSE = 0.835  # cosine between the question and the best hit
MIN_MARGIN = 0.10  # fused score gap to the runner-up
EXCERPT_CHARS = 400
OUTDATED_NOTE = (
    "Lưu ý: điều luật dưới đây không còn hiệu lực vào ngày hỏi (xem dòng Căn cứ), chỉ để tham khảo; "
    "bạn hãy hỏi Trung tâm Trợ giúp pháp lý nhà nước về quy định hiện hành."
)


@dataclass(frozen=True)
class Answer:
    text: str
    confident: bool
    citations: list[str] = field(default_factory=list)  # formatted citation lines
    hit_ids: list[str] = field(default_factory=list)
    best_id: str | None = None
    short_citations: list[str] = field(default_factory=list)  # same order, without the dates


def evidence(hit) -> float:
    """Fused score without the card boost: how strongly BM25 and the model agree on the hit."""
    return hit.score - (CARD_BOOST if hit.source == "card" else 0.0)


def is_confident(hits: list) -> bool:
    """The calibrated rule on the best hit's evidence, its cosine and the margin to the runner-up."""
    if not hits:
        return False
    top = hits[0]
    margin = top.score - hits[1].score if len(hits) > 1 else top.score
    dense = getattr(top, "dense_score", 1.0)
    return evidence(top) >= MIN_SCORE and dense >= MIN_DENSE and margin >= MIN_MARGIN


def _card_cited(card, on_date: date) -> list:
    cits = [c for c in card.citations if c.in_force(on_date) and is_current(c, on_date)]
    return cits or list(card.citations)


def _card_citations(card, on_date: date) -> list[str]:
    return [with_status(c.line(), c, on_date) for c in _card_cited(card, on_date)]


def _plain_hit_short(hit) -> str:
    c = hit.citation
    return citation_short(article=c.get("article"), clause=c.get("clause"),
                          document_number=c.get("document_number", ""),
                          document_type=c.get("document_type"), document_title=c.get("document_title"))


def _hit_short(hit, on_date: date) -> str:
    line = _plain_hit_short(hit)
    note = hit.extra.get("status") if getattr(hit, "extra", None) else None
    return f"{line} — {note}" if note else with_status(line, hit.citation, on_date)


def _hit_citation(hit, on_date: date | None = None) -> str:
    line = _plain_hit_citation(hit)
    note = hit.extra.get("status") if getattr(hit, "extra", None) else None
    if not note and on_date is not None:
        return with_status(line, hit.citation, on_date)
    return f"{line} — {note}" if note else line


def _plain_hit_citation(hit) -> str:
    c = hit.citation
    return citation_line(
        article=c.get("article"),
        clause=c.get("clause"),
        document_number=c.get("document_number", ""),
        document_type=c.get("document_type"),
        document_title=c.get("document_title"),
        effective_from=c.get("effective_date") or None,
        issued_on=c.get("issued_on") or None,
    )


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = re.sub(r"\n{2,}", "\n", text.strip())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    pos = max(cut.rfind("\n"), cut.rfind(". "), cut.rfind("; "))
    if pos > limit // 2:
        cut = cut[: pos + 1]
    return cut.rstrip() + " …"


def answer_from_hit(hit, *, on_date: date, question: str | None = None, story: str = "") -> Answer:
    """The answer a single *hit* gives, without the confidence rule (the caller has decided): a
    card's plain answer, or a statute article's excerpt, then ``Căn cứ: …``.

    With the *question*, a statute article answers at clause level: the khoản that shares most with
    the question, quoted and said to be the statute's own wording, cited with its clause."""
    if hit.source == "card" and hit.card is not None:
        body = hit.card.answer
        lines = _card_citations(hit.card, on_date)
        short = [with_status(c.short(), c, on_date) for c in _card_cited(hit.card, on_date)]
    else:
        if question:
            number, clause = best_clause(hit.text, question, story)
            if number is not None:
                hit = replace(hit, citation={**hit.citation, "clause": number})
            where = _plain_hit_short(hit)
            body = f"Theo {where[0].lower()}{where[1:]} (lời văn của điều luật): «{clause}»"
        else:
            body = f"{hit.title}\n{_excerpt(hit.text.split(chr(10), 1)[-1])}"
        body = with_district_note(body)
        if not is_current(hit.citation, on_date):
            body = f"{OUTDATED_NOTE}\n{body}"
        lines, short = [_hit_citation(hit, on_date)], [_hit_short(hit, on_date)]
    return Answer(f"{body}\n\nCăn cứ: {'; '.join(lines)}", True, lines, [hit.id], hit.id, short)


def usable_hits(query: str, hits: list, *, on_date: date) -> list:
    """*hits* without the cards that do not apply at the time the question is about."""
    ref = reference_time(query, on_date)
    return [h for h in hits if h.card is None or card_allowed(h.card, ref)]


def compose_answer(query: str, hits: list, *, on_date: date) -> Answer:
    """Answer text for *query* from ranked *hits* (as returned by ``KnowledgeIndex.search``)."""
    usable = usable_hits(query, hits, on_date=on_date)
    ids = [h.id for h in usable]
    if not usable:
        return Answer(NOT_SURE, False, [], ids, None)
    best = answer_from_hit(usable[0], on_date=on_date)
    if not is_confident(usable):
        text = (
            f"{NOT_SURE} Nội dung gần nhất tôi tìm được: «{usable[0].title}» ({best.citations[0]}). "
            "Bạn có thể hỏi lại cụ thể hơn, hoặc để lại yêu cầu để cán bộ trợ giúp pháp lý liên hệ."
        )
        return Answer(text, False, best.citations, ids, best.best_id)
    return Answer(best.text, True, best.citations, ids, best.best_id)
