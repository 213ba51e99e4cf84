"""A whole message understood at once (issue 12): facts, sub-questions, one short answer for each.

:func:`understand` is pure apart from ``index.search``. It reads the rule engine's facts over the
whole text (up to 2,000 characters), finds the sub-questions inside the story
(:func:`sub_questions`: "…nộp đơn ở đâu, cần giấy tờ gì và bao lâu thì có quyết định?" is three) and
answers each of them:

* a question about free legal aid whose facts settle it → the result for that person, with its
  clause, and what the card of their group adds (the help, the paper that proves it); facts that
  do not settle it → the one most useful question, last;
* every other sub-question → a search with the sub-question and the story; a card or a statute
  clause that answers it well enough → a short answer focused on what was asked
  (:func:`knowledge.focus.focus`) with a short basis line; a statute answers with the clause
  that fits, quoted and said to be the statute's own wording (``answer_from_hit``);
* an answer on another legal matter (inheritance, divorce, wages…) ends with its field, whether the
  person is entitled to free legal aid for it (their own result when the story settles it) and
  whether grassroots mediation can help (``knowledge.matters``), and the request button;
* nothing answered well enough → "Có phải bạn muốn hỏi về: …" with the 2–3 most likely cards as
  buttons (``kind="clarify"``), keeping the request and hand-off buttons;
* nothing relevant and no legal wording at all → ``kind="no_legal_content"`` (out of scope).

The first message is at most :data:`MAX_FIRST_WORDS` words, each further one (the answer to one more
sub-question) at most :data:`MAX_LATER_WORDS`; what is cut, and the full citations with their dates,
go to ``more`` ("Xem thêm").

>>> first, more = shorten("một " * 100)
>>> len(first.split()) <= MAX_FIRST_WORDS and more is not None
True
>>> question_sentences("Chồng tôi bị bắt. Nhà tôi khó khăn. Chồng tôi có được trợ giúp pháp lý không?")
['Chồng tôi có được trợ giúp pháp lý không?']
>>> sub_questions("Tôi muốn hỏi nộp đơn ở đâu, cần giấy tờ gì và bao lâu thì có quyết định?")
['Tôi muốn hỏi nộp đơn ở đâu', 'cần giấy tờ gì', 'bao lâu thì có quyết định?']
>>> sub_questions("chau e 4 tuoi bi danh thi co dc ho tro mien phi ko a")
['chau e 4 tuoi bi danh thi co dc ho tro mien phi ko a']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .answer import answer_from_hit, compose_answer, evidence, usable_hits
from .focus import covered, focus, question_words, sentences
from .matters import closing_line
from .questions import asks_something, has_legal_wording
from .rules import Status, assess, facts_from_text, next_question
from .rules.result import EligibilityResult
from .text import expand_abbreviations, fold, nfc

__all__ = [
    "MAX_CHARS", "MAX_FIRST_WORDS", "MAX_LATER_WORDS", "Understanding",
    "question_sentences", "shorten", "sub_questions", "understand",
]

MAX_CHARS = 2000
MAX_FIRST_WORDS = 80
MAX_LATER_WORDS = 120  # each further message: the answer to one more sub-question
MAX_SUB_QUESTIONS = 3
SEARCH_CHARS = 500
# Calibrated on the dev part of bench/data/realistic.yml with bench/retrieval_dev.yml's rule kept for
# the main question (knowledge.answer.is_confident): a further sub-question is answered when its best
# new hit has at least this evidence; below it the sub-question is left to the buttons.
SUB_EVIDENCE = 0.80
SECOND_MARGIN = 0.10
GO_ON_COVER = 0.2  # share of the question a begun answer's rest must hold to go on (dev: 0.15–0.3 alike;
# on 80 new questions written before any tuning, 0.2 answered 4 more than 0.3)
CITATION_HEAD = "Căn cứ: "
REQUEST = {"title": "Gửi yêu cầu trợ giúp pháp lý", "payload": "/request_legal_aid"}
HUMAN = {"title": "Gặp cán bộ", "payload": "/request_human"}
SCREENING = {"title": "Trả lời vài câu hỏi để biết", "payload": "/ask_legal_aid_eligibility"}

_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+")
_SUB_SPLIT = re.compile(r"\s*[,;]\s+|\s+(?:và|va|hay là|hay la|rồi thì|roi thi)\s+", re.I)
_MIN_SUB_WORDS = 3
_FEW_OWN_WORDS = 4  # content words: a shorter sub-question of a message without story is read with the others
_ABOUT_LEGAL_AID = re.compile(
    r"\btro giup phap ly\b|\btgpl\b|\bluat su\b|\bbao chua\b|\btro giup vien\b|\bnguoi bao ve quyen"
    r"|\b(?:giup|ho tro|tu van)(?: \w+){0,4} mien phi\b|\bmien phi(?: \w+){0,3} (?:luat|phap ly)\b"
)
_SHORT_FOLLOW_UP = 8  # "…, tôi có được không?" after a story about legal aid asks whether, too
# A sub-question about legal aid that asks what, where or how (not whether): a card answers it.
_ASKS_HOW = re.compile(
    r"\b(?:o dau|cho nao|noi nao|giay to|giay gi|bao lau|bao nhieu|the nao|lam sao|ra sao|nhu nao"
    r"|can gi|nhung gi|thu tuc|ho so|ai se|ai (?:giup|lo)|khi nao|bao gio|mat tien|chi phi|co phai tra"
    r"|(?:tinh|noi|co quan|trung tam|toa|xa|phuong|cho|dau) nao|(?:cho|gui|nop|hoi|bao|nho) ai"
    r"|la ai|ai (?:viet|lam|ky|nop|dua|di)|(?:dung|sai) (?:luat |quy dinh )?khong|lam gi"
    r"|viet (?:giup|ho|thay))\b"
)
# Nouns of _ASKS_HOW that a whether-question names too ("có được trợ giúp pháp lý để làm thủ tục không").
_HOW_NOUNS = frozenset({"giay to", "thu tuc", "ho so", "chi phi"})
_ASKS_WHETHER = re.compile(r"\bco (?:duoc|the)\b.*\bkhong\b")
_NOTE = " Lưu ý: "  # the rule engine's conditions after the result (knowledge/rules/eligibility.py)
_RESTATES = re.compile(r"\bduoc tro giup phap ly(?: \(tgpl\))? mien phi\b")
_RESTATE_WORDS = 15
_PERSON_FACTS_IGNORED = ("field", "concrete_matter_directly_concerning", "subject")


@dataclass(frozen=True)
class Understanding:
    kind: str  # eligibility | answer | clarify | not_sure | no_legal_content
    confident: bool
    messages: tuple[dict, ...]  # {"text": str, "buttons": [{"title", "payload"}]}
    more: str | None = None
    citations: tuple[str, ...] = ()
    hit_ids: tuple[str, ...] = ()
    facts: dict = field(default_factory=dict)


@dataclass
class _Part:
    """One answered sub-question: its text, buttons, basis, and whether it is settled."""

    text: str
    buttons: list[dict] = field(default_factory=list)
    citations: tuple[str, ...] = ()
    hit_ids: tuple[str, ...] = ()
    confident: bool = True
    topic: str | None = None
    more: str | None = None  # set when the text was already focused: what "Xem thêm" adds
    groups: frozenset = frozenset()  # eligibility: the (clause, point) of Điều 7 that apply


def question_sentences(text: str) -> list[str]:
    """The sentences of *text* that ask something (the whole text when none does)."""
    sentences = [s.strip() for s in _SENTENCE.split(nfc(text)) if s.strip()]
    asking = [s for s in sentences if asks_something(s)]
    return asking or sentences[-1:]


def sub_questions(text: str) -> list[str]:
    """The separate questions asked in *text*: its question sentences, each cut at commas and "và"
    where every piece asks something on its own (a piece that does not joins the next one)."""
    found: list[str] = []
    for sentence in question_sentences(text):
        pending = ""
        for piece in (p.strip() for p in _SUB_SPLIT.split(sentence) if p and p.strip()):
            candidate = f"{pending}, {piece}" if pending else piece
            if asks_something(piece) and len(candidate.split()) >= _MIN_SUB_WORDS:
                found.append(candidate)
                pending = ""
            else:
                pending = candidate
        if pending:
            if found and not asks_something(pending):
                found[-1] = f"{found[-1]}, {pending}"
            else:
                found.append(pending)
    return found or [nfc(text).strip()]


def shorten(text: str, limit: int = MAX_FIRST_WORDS) -> tuple[str, str | None]:
    """(first part of at most *limit* words, cut after a sentence when possible; the rest or None)."""
    words = text.split()
    if len(words) <= limit:
        return text.strip(), None
    head = " ".join(words[: limit - 1])  # and the "…"
    cut = max(head.rfind(". "), head.rfind("; "), head.rfind(".\n"))
    if cut > len(head) // 3:
        head = head[: cut + 1]
    rest = text.strip()[len(head):].strip()
    return head.rstrip() + " …", rest or None


def _story(text: str) -> str:
    """The sentences of *text* that tell rather than ask."""
    asked = set(question_sentences(text))
    return " ".join(s.strip() for s in _SENTENCE.split(nfc(text)) if s.strip() and s.strip() not in asked)


def _query(question: str, story: str) -> str:
    """The question twice, then the story, within what the search takes: a story of several
    sentences would otherwise outweigh a short question ("…bị lừa ký hợp đồng vay tiền. Nếu bà
    không đi được thì tôi đi thay được không" asks about going in her place, not about the loan).
    On the dev part of the realistic set, twice answered 5 more of 112 questions than once, and
    three times 2 fewer than twice."""
    return f"{question} {question} {story}".strip()[:SEARCH_CHARS]


def _around(sub: str, subs: list[str], position: int, text: str, story: str) -> str:
    """What a sub-question is read with: the rest of its own sentence ("Tôi muốn xin trợ giúp pháp
    lý: …, gửi cho ai" — whom to send the request to), then the story; a message of questions only
    gives a question of few words the others ("gửi cho ai")."""
    sentence = next((s for s in question_sentences(text) if sub in s and s != sub), "")
    rest = sentence.replace(sub, " ").strip(" ,;:") if sentence else ""
    few = len(question_words(sub)) < _FEW_OWN_WORDS
    others = "" if story or not few else " ".join(s for i, s in enumerate(subs) if i != position)
    return " ".join(x for x in (rest, story, others) if x)


@dataclass(frozen=True)
class _Story:
    """What the rule engine reads in the whole message, once: the facts it knows and, when they say
    something about the person, the eligibility result on the day."""

    known: dict
    result: EligibilityResult | None

    @classmethod
    def read(cls, text: str, on_date: date) -> _Story:
        facts = facts_from_text(text)
        known = facts.known()
        about_person = any(k not in _PERSON_FACTS_IGNORED for k in known)
        return cls(known, assess(facts, on_date) if about_person else None)


def _is_eligibility_question(sub: str, about_legal_aid: bool) -> bool:
    """Whether *sub* asks if the person gets free legal aid (not how, where or when)."""
    folded = expand_abbreviations(fold(sub))
    how = _ASKS_HOW.search(folded)
    if how and not (how.group(0) in _HOW_NOUNS and _ASKS_WHETHER.search(folded)):
        return False
    short = len(folded.split()) <= _SHORT_FOLLOW_UP
    return bool(_ABOUT_LEGAL_AID.search(folded)) or (about_legal_aid and short)


def _entitled_line(result: EligibilityResult) -> str:
    """"Có. <who> thuộc diện được trợ giúp pháp lý miễn phí theo <clause> …" / "Không. …"."""
    if result.status is not Status.ELIGIBLE:
        return "Không. " + result.explanation
    return "Có. " + result.explanation.replace(
        "thuộc diện được trợ giúp pháp lý theo", "thuộc diện được trợ giúp pháp lý miễn phí theo", 1)


def _eligibility_parts(result: EligibilityResult | None) -> tuple[_Part | None, _Part | None]:
    """(the result for the person of the story, the one question that would settle it): a settled
    result has no question; unknown facts give the general explanation and the question."""
    if result is None:
        return None, None
    citations = tuple(c.label() for c in result.citations)
    if result.status is Status.NEED_MORE_INFO:
        question = next_question(result)
        if question is None:
            return None, None
        return (_Part(result.explanation, [], citations, confident=False),
                _Part(question.text, [SCREENING, REQUEST], confident=False))
    groups = frozenset((m.clause, m.point) for m in result.matches)
    line, noted, note = _entitled_line(result).partition(_NOTE)
    more = f"{_NOTE.strip()} {note}" if noted else None  # the conditions of Điều 27, 30: behind "Xem thêm"
    return _Part(line.strip(), [REQUEST, HUMAN], citations, groups=groups, more=more), None


def _group_card(hit, groups: frozenset) -> bool:
    """Whether *hit* is a card on one of the clauses of Điều 7 in *groups*: citing that clause and
    point, or the clause without a point (any legal-aid eligibility card when *groups* is empty)."""
    card = getattr(hit, "card", None)
    if card is None or card.topic != "legal_aid_eligibility":
        return False
    if not groups:
        return True
    clauses = {clause for clause, _point in groups}
    return any(
        c.article == "7" and c.document_number == "11/2017/QH14"
        and ((c.clause, c.point) in groups or (c.point is None and c.clause in clauses))
        for c in card.citations
    )


def _matter_entitlement(result: EligibilityResult | None) -> str | None:
    """"Bạn (Con của bạn, Mẹ của bạn…) được trợ giúp pháp lý miễn phí cho việc này (khoản … Điều 7 …)"
    when the story's facts put the person they tell of in a group of Điều 7, else None."""
    if result is None or result.status is not Status.ELIGIBLE or not result.matches:
        return None
    match = result.matches[0]
    basis = match.citations[0].label() if match.citations else "Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14"
    who, named, _rest = result.explanation.partition(" thuộc diện")  # "Con của bạn", "Mẹ của bạn", "Bạn"
    return f"{who if named else 'Bạn'} được trợ giúp pháp lý miễn phí cho việc này ({basis}): {match.reason}."


def _answer_part(question: str, story: str, query: str, hits: list, used: dict[str, str | None],
                 on_date: date, *, limit: int = MAX_FIRST_WORDS, verdict_given: bool = False) -> _Part | None:
    """The best hit not answered yet, when its evidence reaches :data:`SUB_EVIDENCE` (on the dev
    part of the realistic set the best hit holds a key fact in 84 % of the sub-questions, at any
    evidence above it; a message without legal content never gets here). When the best hit is an
    answer already begun, the sentences of its rest that fit this question (*used*: hit id → the
    rest not shown yet)."""
    usable = usable_hits(query, hits, on_date=on_date)
    begun = _begun(usable, used)
    if begun is not None and (part := _go_on(begun, question, story, used, limit, asked_only=True)):
        return part
    fresh = [h for h in usable if h.id not in used]
    if not fresh or evidence(fresh[0]) < SUB_EVIDENCE:
        return None
    best = fresh[0]
    answer = answer_from_hit(best, on_date=on_date, question=question, story=story)
    body = answer.text.split(CITATION_HEAD, 1)[0].strip()
    if verdict_given:  # the result for the person was said: the card's own "Có, nếu…" is left out
        body = _without_verdict(body)
        if not body:
            return None
    basis = f"{CITATION_HEAD}{answer.short_citations[0]}" if answer.short_citations else ""
    room = limit - len(basis.split()) - 1
    head, rest = focus(body, question, room, story)
    if len(head.split()) > room:  # a first sentence longer than the room: cut it, never the basis line
        head, cut = shorten(head, room)
        rest = " ".join(x for x in (cut, rest) if x) or None
    more = " ".join(x for x in (rest, f"{CITATION_HEAD}{'; '.join(answer.citations)}") if x)
    used[best.id] = rest
    return _Part(f"{head}\n{basis}".strip(), [], tuple(answer.citations), (best.id,),
                 topic=best.topic, more=more)


def _begun(usable: list, used: dict[str, str | None]):
    """The best usable hit when it is an answer already begun with a rest left, and fits well enough."""
    if usable and used.get(usable[0].id) and evidence(usable[0]) >= SUB_EVIDENCE:
        return usable[0]
    return None


def _go_on(hit, question: str, story: str, used: dict[str, str | None], limit: int, *,
           asked_only: bool) -> _Part | None:
    """The rest of an answer already begun (*used*), focused on *question*: only the sentences that
    hold at least :data:`GO_ON_COVER` of what it asks (*asked_only*; "Bị đơn vắng mặt thì Tòa xử…"
    shares "đơn" and "Tòa" with "nộp đơn ở tòa nào" but does not say where), or the best of the
    rest; None when nothing is left."""
    left = used.get(hit.id) or ""
    head, rest = focus(left, question, limit, story, keep_first=not asked_only)
    if not head or (asked_only and covered(head, question) < GO_ON_COVER):
        return None
    used[hit.id] = rest
    return _Part(head[0].upper() + head[1:], [], (), (), topic=hit.topic)  # a cut sentence goes on


def _second_card(question: str, story: str, query: str, hits: list, used: dict[str, str | None],
                 on_date: date, first: _Part) -> _Part | None:
    """A second card for a one-question message when it is about as good as the first
    (evidence within :data:`SECOND_MARGIN`) and says something the first answer did not: the
    words of the question it covers that the first does not (a question that needs two articles:
    who is entitled, and what proves it)."""
    usable = [h for h in usable_hits(query, hits, on_date=on_date) if h.id not in used and h.card]
    best = next((h for h in hits if h.id in first.hit_ids), None)
    if not usable or best is None or evidence(usable[0]) < max(SUB_EVIDENCE, evidence(best) - SECOND_MARGIN):
        return None
    part = _answer_part(question, story, query, usable[:1], used, on_date, limit=MAX_LATER_WORDS)
    if part is None:
        return None
    new_words = question_words(part.text) - question_words(first.text)
    if not new_words & question_words(question):
        used.pop(part.hit_ids[0], None)
        return None
    return part


def _without_verdict(body: str) -> str:
    """*body* without what the person's result said already: a first sentence that is a bare yes/no
    ("Có, nếu có khó khăn…") and a short sentence that only says the group gets free legal aid.

    >>> _without_verdict("Có. Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí. Mang giấy chứng nhận.")
    'Mang giấy chứng nhận.'
    """
    first, *others = sentences(body)
    if not fold(first).startswith(("co", "khong")):
        return body
    if others and _RESTATES.search(fold(others[0])) and len(others[0].split()) <= _RESTATE_WORDS:
        others = others[1:]
    return " ".join(others)


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


def _messages(parts: list[_Part]) -> tuple[tuple[dict, ...], str | None]:
    """One message per part, the first cut to MAX_FIRST_WORDS and the others to MAX_LATER_WORDS; the
    cut-off rests joined for "Xem thêm"."""
    messages, rests = [], []
    for position, part in enumerate(parts):
        first, rest = shorten(part.text, MAX_LATER_WORDS if position else MAX_FIRST_WORDS)
        rest = " ".join(x for x in (rest, part.more) if x) or None
        messages.append({"text": first, "buttons": list(part.buttons)})
        if rest:
            rests.append(rest)
    return tuple(messages), ("\n\n".join(rests) or None)


def understand(text: str, index, on_date: date) -> Understanding:
    """See the module docstring. *index* has ``search(query, k, on_date=)`` like KnowledgeIndex."""
    text = nfc(text or "").strip()[:MAX_CHARS]
    story = _story(text)
    subs = sub_questions(text)[:MAX_SUB_QUESTIONS]
    folded = expand_abbreviations(fold(text))
    about_legal_aid = bool(_ABOUT_LEGAL_AID.search(folded))
    read = _Story.read(text, on_date)
    if not _has_legal_content(text, read.known):
        return _unanswered(text, index.search(_query(subs[0], story), k=5, on_date=on_date), on_date,
                           legal=False)
    parts: list[_Part] = []
    question: _Part | None = None
    used: dict[str, str | None] = {}  # answered hit → the rest of its answer not shown yet
    first_hits: list | None = None
    eligibility_done = False
    eligibility_asked = False
    arounds = [_around(sub, subs, position, text, story) for position, sub in enumerate(subs)]
    if (prefetch := getattr(index, "prefetch", None)) is not None:  # one model pass for all of them
        prefetch([_query(sub, around) for sub, around in zip(subs, arounds, strict=True)])
    for position, sub in enumerate(subs):
        around = arounds[position]
        if not eligibility_asked and _is_eligibility_question(sub, about_legal_aid):
            eligibility_asked = True
            result, question = _eligibility_parts(read.result)
            if result is not None:
                parts.append(result)
                eligibility_done = True
                # the card of the person's group says what the help is and which paper proves it
                query = _query(sub, around)
                hits = [h for h in index.search(query, k=5, on_date=on_date) if _group_card(h, result.groups)]
                group = _answer_part(sub, around, query, hits, used,
                                     on_date, limit=MAX_LATER_WORDS, verdict_given=True)
                if group is not None:
                    parts.append(group)
                continue
        limit = MAX_LATER_WORDS if parts else MAX_FIRST_WORDS
        query = _query(sub, around)
        hits = index.search(query, k=5, on_date=on_date)
        first_hits = hits if first_hits is None else first_hits
        part = _answer_part(sub, around, query, hits, used, on_date, limit=limit)
        if part is None and around:  # the story pulled the search to what was answered: the question alone
            part = _answer_part(sub, around, sub, index.search(sub, k=5, on_date=on_date), used, on_date,
                                limit=limit)
        if part is None and (begun := _begun(usable_hits(query, hits, on_date=on_date), used)):
            # nothing new fits, nor with the question alone: the card asked about goes on ("họ có
            # được trả lương không" after a question on mediators)
            part = _go_on(begun, sub, around, used, limit, asked_only=False)
        if part is not None:
            parts.append(part)
            second = _second_card(sub, around, query, hits, used, on_date, part) if len(subs) == 1 else None
            if second is not None:
                parts.append(second)
    if not parts:
        hits = first_hits if first_hits is not None else index.search(_query(subs[0], story), k=5,
                                                                          on_date=on_date)
        return _unanswered(text, hits, on_date, legal=True)
    if about_legal_aid and not eligibility_asked:
        result, _question = _eligibility_parts(read.result)
        if result is not None and result.confident:
            parts.append(result)
            eligibility_done = True
    return _answered(read, parts, question, eligibility_done)


def _answered(read: _Story, parts: list[_Part], question: _Part | None,
              eligibility_done: bool) -> Understanding:
    answered = [p for p in parts if p.hit_ids]
    topic = next((p.topic for p in answered if closing_line(p.topic)), None)
    entitled = None if eligibility_done else _matter_entitlement(read.result)
    closing = closing_line(topic, entitled, legal_aid=not eligibility_done) if topic else None
    if closing:
        parts = [*parts, _Part(closing, [] if question else [REQUEST, HUMAN])]
    if question is not None:
        parts = [*parts, question]
    elif not any(p.buttons for p in parts):
        parts[-1].buttons = [REQUEST]
    messages, more = _messages(parts)
    kind = "answer" if parts[0].hit_ids else "eligibility"
    citations = tuple(dict.fromkeys(c for p in parts for c in p.citations))
    ids = tuple(dict.fromkeys(i for p in parts for i in p.hit_ids))
    return Understanding(kind, all(p.confident for p in parts), messages, more, citations, ids, read.known)


def _has_legal_content(text: str, known: dict) -> bool:
    """Legal wording in *text*, or a fact the rule engine read (out of scope is for messages with
    neither).

    >>> _has_legal_content("kh hoi gia vang hom nay bao nhieu", {})
    False
    >>> _has_legal_content("chong danh vo con", {})
    True
    """
    return bool(has_legal_wording(text) or known)


def _unanswered(text: str, hits: list, on_date: date, *, legal: bool) -> Understanding:
    """No sub-question answered: out of scope without legal content, else the likely topics as
    buttons, else (no card at all among the hits) the plain "not sure"."""
    answer = compose_answer(text[:SEARCH_CHARS], hits, on_date=on_date)
    ids = tuple(answer.hit_ids)
    if not legal:
        return Understanding("no_legal_content", False, ({"text": answer.text},), None, (), ids)
    buttons = _card_buttons(hits)
    if buttons:
        return Understanding(
            "clarify", False,
            ({"text": "Có phải bạn muốn hỏi về một trong các việc dưới đây? Bạn chọn một mục, hoặc gửi "
                      "yêu cầu để cán bộ trợ giúp pháp lý trả lời.", "buttons": [*buttons, REQUEST, HUMAN]},),
            None, tuple(answer.citations), ids,
        )
    first, more = shorten(answer.text)
    return Understanding("not_sure", False, ({"text": first},), more, tuple(answer.citations), ids)
