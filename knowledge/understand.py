"""A whole message understood at once (issue 12, first version): facts, question, answer shape.

:func:`understand` is pure apart from ``index.search``. It reads the rule engine's facts over the
whole text (up to 2,000 characters) and searches with the question sentence(s) plus the story; then

* a question about free legal aid whose facts settle it → the result for that person, with its
  clause (``kind="eligibility"``); facts that do not settle it → the one most useful question;
* a confident retrieval → the answer (``kind="answer"``);
* a weaker one → "Có phải bạn muốn hỏi về: …" with the 2–3 most likely cards as buttons
  (``kind="clarify"``), keeping the request and hand-off buttons;
* nothing relevant and no legal wording at all → ``kind="no_legal_content"`` (out of scope).

The first message is at most :data:`MAX_FIRST_WORDS` words; the rest goes to ``more`` ("Xem thêm").

>>> first, more = shorten("một " * 100)
>>> len(first.split()) <= MAX_FIRST_WORDS and more is not None
True
>>> question_sentences("Chồng tôi bị bắt. Nhà tôi khó khăn. Chồng tôi có được trợ giúp pháp lý không?")
['Chồng tôi có được trợ giúp pháp lý không?']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .answer import compose_answer, evidence, is_confident
from .questions import asks_something
from .rules import Status, assess, facts_from_text, next_question
from .text import fold, nfc

__all__ = ["MAX_CHARS", "MAX_FIRST_WORDS", "Understanding", "question_sentences", "shorten", "understand"]

MAX_CHARS = 2000
MAX_FIRST_WORDS = 80
SEARCH_CHARS = 500
CLARIFY_EVIDENCE = 0.55  # below a confident answer but above this: offer the likely topics
REQUEST = {"title": "Gửi yêu cầu trợ giúp pháp lý", "payload": "/request_legal_aid"}
HUMAN = {"title": "Gặp cán bộ", "payload": "/request_human"}
SCREENING = {"title": "Trả lời vài câu hỏi để biết", "payload": "/ask_legal_aid_eligibility"}

_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+")
_ABOUT_LEGAL_AID = re.compile(
    r"\btro giup phap ly\b|\btgpl\b|\bluat su\b(?: \w+){0,3} mien phi|\bmien phi\b|\bbao chua\b|\btro giup\b"
)
_LEGAL_WORDS = re.compile(
    r"\b(?:luat|phap|quyen|kien|toa|cong an|dat dai|thua dat|ly hon|thua ke|di chuc|tien luong|no luong"
    r"|hop dong|tranh chap|bi bat|tam giam|ho ngheo|can ngheo|tro cap|bao hiem|khai sinh|cu tru|ho khau"
    r"|uy ban|giay to|boi thuong|hoa giai|thi hanh an|bao luc|phien dich|cap duong|nuoi con|ho so"
    r"|sa thai|khieu nai|to cao|chuan ngheo|trung tam|trinh bao|bi danh|bi lua|vay tien|chia tai san)\b"
)


@dataclass(frozen=True)
class Understanding:
    kind: str  # eligibility | answer | clarify | not_sure | no_legal_content
    confident: bool
    messages: tuple[dict, ...]  # {"text": str, "buttons": [{"title", "payload"}]}
    more: str | None = None
    citations: tuple[str, ...] = ()
    hit_ids: tuple[str, ...] = ()
    facts: dict = field(default_factory=dict)


def question_sentences(text: str) -> list[str]:
    """The sentences of *text* that ask something (the whole text when none does)."""
    sentences = [s.strip() for s in _SENTENCE.split(nfc(text)) if s.strip()]
    asking = [s for s in sentences if asks_something(s)]
    return asking or sentences[-1:]


def shorten(text: str, limit: int = MAX_FIRST_WORDS) -> tuple[str, str | None]:
    """(first part of at most *limit* words, cut after a sentence when possible; the rest or None)."""
    words = text.split()
    if len(words) <= limit:
        return text.strip(), None
    head = " ".join(words[:limit])
    cut = max(head.rfind(". "), head.rfind("; "), head.rfind(".\n"))
    if cut > len(head) // 3:
        head = head[: cut + 1]
    rest = text.strip()[len(head):].strip()
    return head.rstrip() + " …", rest or None


def _query(text: str) -> str:
    """The question sentence(s) first, then the story, within what the search takes."""
    asked = " ".join(question_sentences(text))
    story = "" if text in asked else text
    return f"{asked} {story}"[:SEARCH_CHARS]


def _eligibility(text: str, on_date: date) -> Understanding | None:
    folded = fold(text)
    if not _ABOUT_LEGAL_AID.search(folded):
        return None
    facts = facts_from_text(text)
    known = facts.known()
    person = {k for k in known if k not in ("field", "concrete_matter_directly_concerning", "subject")}
    if not person:
        return None
    result = assess(facts, on_date)
    if result.status is Status.NEED_MORE_INFO:
        question = next_question(result)
        if question is None:
            return None
        first, more = shorten(result.explanation)
        return Understanding(
            "eligibility", False,
            ({"text": first}, {"text": question.text, "buttons": [SCREENING, REQUEST]}), more,
            tuple(c.label() for c in result.citations), facts=known,
        )
    answer = "Có. " if result.status is Status.ELIGIBLE else "Không. "
    first, more = shorten(answer + result.explanation)
    return Understanding(
        "eligibility", True, ({"text": first, "buttons": [REQUEST, HUMAN]},), more,
        tuple(c.label() for c in result.citations), facts=known,
    )


def _card_buttons(hits: list) -> list[dict]:
    buttons, seen = [], set()
    for hit in hits:
        card = getattr(hit, "card", None)
        if card is None or card.id in seen or not card.questions:
            continue
        seen.add(card.id)
        title = card.title if len(card.title) <= 60 else card.title[:57].rstrip() + "…"
        buttons.append({"title": title, "payload": card.questions[0]})
        if len(buttons) == 3:
            break
    return buttons


def understand(text: str, index, on_date: date) -> Understanding:
    """See the module docstring. *index* has ``search(query, k, on_date=)`` like KnowledgeIndex."""
    text = nfc(text or "").strip()[:MAX_CHARS]
    settled = _eligibility(text, on_date)
    if settled is not None:
        return settled
    query = _query(text)
    hits = index.search(query, k=5, on_date=on_date)
    answer = compose_answer(query, hits, on_date=on_date)
    ids = tuple(answer.hit_ids)
    if answer.confident:
        first, more = shorten(answer.text)
        return Understanding("answer", True, ({"text": first, "buttons": [REQUEST]},), more,
                             tuple(answer.citations), ids)
    legal = bool(_LEGAL_WORDS.search(fold(text))) or bool(facts_from_text(text).known())
    best = evidence(hits[0]) if hits else 0.0
    if not legal and (not hits or not is_confident(hits)):
        return Understanding("no_legal_content", False, ({"text": answer.text},), None, (), ids)
    buttons = _card_buttons(hits) if best >= CLARIFY_EVIDENCE or legal else []
    if buttons:
        return Understanding(
            "clarify", False,
            ({"text": "Có phải bạn muốn hỏi về một trong các việc dưới đây? Bạn chọn một mục, hoặc gửi "
                      "yêu cầu để cán bộ trợ giúp pháp lý trả lời.", "buttons": [*buttons, REQUEST, HUMAN]},),
            None, tuple(answer.citations), ids,
        )
    first, more = shorten(answer.text)
    return Understanding("not_sure", False, ({"text": first},), more, tuple(answer.citations), ids)
