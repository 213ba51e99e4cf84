"""The sentences of an answer that fit the question, within a word budget (pure).

A card answers a whole matter in about 120 words; a phone shows about 80 words per message and the
person asked one thing. :func:`focus` keeps the first sentence (the direct answer: có/không/the
condition), then the sentences that share most words with the question, in their original order,
within *limit* words; the other sentences are returned as the rest ("Xem thêm").

>>> answer = ("Có. Người thuộc hộ cận nghèo được hỗ trợ tiền đóng bảo hiểm y tế. "
...           "Khi đi khám chữa bệnh đúng tuyến, quỹ trả 95% chi phí. Tỉnh có thể hỗ trợ thêm.")
>>> head, rest = focus(answer, "đi khám thì quỹ trả bao nhiêu", limit=16)
>>> head
'Có. Khi đi khám chữa bệnh đúng tuyến, quỹ trả 95% chi phí.'
>>> rest
'Người thuộc hộ cận nghèo được hỗ trợ tiền đóng bảo hiểm y tế. Tỉnh có thể hỗ trợ thêm.'
"""

from __future__ import annotations

import re
from itertools import pairwise

from .text import expand_abbreviations, fold

__all__ = ["covered", "focus", "sentences"]

# A sentence ends at ". " / "? " / "! " before a capital letter, a digit or an opening bracket, or at
# a line break; "; " joins the parts of one rule and does not end it.
_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_NUMBERING = re.compile(r"^(?:\d+|[a-zđ])[.)]$")
_STOP_WORDS = (
    "toi ban co khong duoc la thi cua va cho nguoi mot cac nhung neu khi de o tai voi ve da dang se "
    "phai can gi nao nhu the nay do kia ai bao nhieu lau sao vay a nhe oi ha hay hoac theo trong "
    "ra vao len xuong rat it con chi anh em me bo ong ba ho"
)
_STOP = frozenset(_STOP_WORDS.split())


def sentences(text: str) -> list[str]:
    """*text* cut into sentences (line breaks, and sentence ends before a capital or a digit).

    >>> sentences("Không được. Công ty phải trả; nếu không thì kiện. v.v. và (Điều 39). 2. Khoản hai")
    ['Không được.', 'Công ty phải trả; nếu không thì kiện. v.v. và (Điều 39).', '2. Khoản hai']
    """
    found: list[str] = []
    for piece in _END.split(text or ""):
        piece = piece.strip()
        if not piece:
            continue
        if found and (_NUMBERING.match(found[-1]) or not (piece[0].isupper() or piece[0].isdigit()
                                                          or piece[0] in "(«\"")):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9%]+", expand_abbreviations(fold(text)))]


_ASKS_AMOUNT = re.compile(r"\b(?:bao nhieu|bao lau|may|muc|phan tram|toi da|toi thieu|khi nao|bao gio)\b")
_ASKS_WHERE = re.compile(
    r"\b(?:o dau|cho nao|noi nao|tai dau|den dau|(?:toa|co quan|trung tam|xa|tinh) nao"
    r"|(?:nop|gui|nho) (?:o|cho) ai)\b")
# Words of a place or body where something is done: the answer to "ở đâu".
_PLACE = re.compile(r"\b(?:uy ban nhan dan|toa an|trung tam|co quan|chi nhanh|buu dien|cong dich vu cong"
                    r"|noi (?:cu tru|co|xay ra|bi don)|(?:nop|gui|den) (?:tai|o))\b")
_NUMBER = re.compile(r"\d")
# An article, clause or document number is not an amount: "(khoản 2 Điều 82 Luật …)", "Nghị định 20/2021".
_CITED = re.compile(r"\b(?:điều|khoản|điểm|số|nghị định|thông tư|luật|quyết định)\s+[\w/.-]*\d[\w/.-]*"
                    r"|\b\d+/\d{4}/[\w-]+", re.I)
_CITED_ASIDE = re.compile(r"\((?:[^()]*\b(?:Điều|khoản|điểm)\s+\d[^()]*)\)")
_FEW_WORDS = 4
_EARLY = 0.5  # per place ahead of the fourth piece: ties go to the pieces that finish the direct answer


def question_words(text: str) -> set[str]:
    """The content words of *text*, folded, without the common ones.

    >>> sorted(question_words("Tôi có được miễn án phí không?"))
    ['an', 'mien', 'phi']
    """
    return {w for w in _words(text) if w not in _STOP}


def _terms(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    words = _words(text)
    return {w for w in words if w not in _STOP}, _pairs(words)


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    """Neighbouring words, but not two common ones ("cho con", "có thể")."""
    return {p for p in pairwise(words) if p[0] not in _STOP or p[1] not in _STOP}


def _asked(question: str) -> frozenset[str]:
    """What kind of answer *question* wants besides its words: "number" (bao nhiêu, bao lâu…),
    "place" (ở đâu, tòa nào…).

    >>> sorted(_asked("lam ho so xin o dau, mat bao lau"))
    ['number', 'place']
    """
    folded = " ".join(_words(question))
    return frozenset(k for k, pattern in (("number", _ASKS_AMOUNT), ("place", _ASKS_WHERE))
                     if pattern.search(folded))


def _features(sentence: str, kinds: frozenset[str]) -> set:
    """The words and word pairs of *sentence* (and "a number", "a place" when the question asks one)."""
    plain = _CITED_ASIDE.sub(" ", sentence)  # "(khoản 2 Điều 82 Luật Hôn nhân…)" says nothing asked
    words = _words(plain)
    found: set = {w for w in words if w not in _STOP}
    found |= _pairs(words)
    if "number" in kinds and _NUMBER.search(_CITED.sub(" ", plain)):
        found.add("<number>")
    if "place" in kinds and _PLACE.search(" ".join(words)):
        found.add("<place>")
    return found


def _weights(asked: tuple[set, set], told: tuple[set, set], kinds: frozenset[str]) -> dict:
    """A question word 2, a question word pair 4, a story word 1, a story pair 2, the number or place
    asked 3; a question of few words ("họ có được làm vậy không") leaves the content to the story: 2 and 4."""
    story = 2.0 if len(asked[0]) < _FEW_WORDS else 1.0
    weights: dict = {w: story for w in told[0]} | {b: 2 * story for b in told[1]}
    weights |= {w: 2.0 for w in asked[0]} | {b: 4.0 for b in asked[1]}
    for kind in kinds:
        weights[f"<{kind}>"] = 3.0
    return weights


def _question_weights(question: str, kinds: frozenset[str]) -> dict:
    """What the question itself asks, weighed as :func:`_weights` does, without a story."""
    return _weights(_terms(question), (set(), set()), kinds)


def covered(text: str, question: str) -> float:
    """The share of what *question* asks (its words, word pairs and the number or place asked, as
    :func:`focus` weighs them) that *text* holds.

    >>> round(covered("Nộp đơn tại Tòa án nơi bị đơn cư trú.", "nộp đơn ở tòa nào"), 2)
    0.52
    >>> round(covered("Bị đơn vắng mặt thì Tòa xử vắng mặt.", "nộp đơn ở tòa nào"), 2)
    0.16
    """
    kinds = _asked(question)
    weights = _question_weights(question, kinds)
    total = sum(weights.values())
    return sum(weights.get(f, 0) for f in _features(text, kinds)) / total if total else 0.0


def _rarer_first(weights: dict, features: list[set]) -> dict:
    """*weights* divided by the number of pieces that hold the feature: in an answer on child
    support every sentence says "cấp dưỡng", only one says "mức" (what was asked)."""
    counts: dict = {}
    for found in features:
        for f in found:
            if f in weights:
                counts[f] = counts.get(f, 0) + 1
    return {f: w / counts.get(f, 1) for f, w in weights.items()}


def _best_subset(sizes: list[int], features: list[set], weights: dict, budget: int,
                 first: int = 1, needs: list[int | None] | None = None) -> set[int]:
    """The pieces from index *first* on (the ones before are kept anyway) whose words cover the
    most of the question within *budget* words; a word counts once, however many pieces share it.
    A piece that continues a cut sentence (*needs*: the piece it continues) comes only with that
    piece. Ties go to the earlier pieces (they finish the direct answer). Exhaustive up to 12."""
    needs = needs or [None] * len(sizes)
    kept = set(range(first))
    candidates = [i for i in range(first, len(sizes)) if sizes[i] <= budget]

    def allowed(picked: set[int]) -> bool:
        return all(needs[i] is None or needs[i] in picked or needs[i] in kept for i in picked)

    base: set = set().union(*(features[i] for i in kept)) if kept else set()
    if len(candidates) > 12:  # greedy on the marginal gain
        chosen: set[int] = set()
        covered = set(base)
        while True:
            gains = [(sum(weights.get(f, 0) for f in features[i] - covered) / sizes[i], -i, i)
                     for i in candidates
                     if i not in chosen and sizes[i] <= budget and allowed(chosen | {i})]
            if not gains or max(gains)[0] <= 0:
                return chosen
            _gain, _order, best = max(gains)
            chosen.add(best)
            covered |= features[best]
            budget -= sizes[best]
    best_value, best_set = -1.0, set()
    for mask in range(1 << len(candidates)):
        picked = [candidates[b] for b in range(len(candidates)) if mask >> b & 1]
        if sum(sizes[i] for i in picked) > budget or not allowed(set(picked)):
            continue
        covered = base.union(*(features[i] for i in picked))
        value = (sum(weights.get(f, 0) for f in covered) + _EARLY * sum(max(0, 3 - i) for i in picked)
                 - 0.01 * sum(picked) + 0.001 * len(picked))
        if value > best_value:
            best_value, best_set = value, set(picked)
    return best_set


_LONG_SENTENCE = 25  # words: a longer sentence is also offered in its "; " parts


def _pieces(text: str) -> tuple[list[str], list[int | None]]:
    """The sentences of *text*, a long one cut at "; " into parts; (pieces, for each part after the
    first the index of its sentence's first part, else None)."""
    pieces: list[str] = []
    needs: list[int | None] = []
    for sentence in sentences(text):
        parts = [sentence]
        if len(sentence.split()) > _LONG_SENTENCE:
            parts = [p for p in re.split(r"(?<=;)\s+", sentence) if p]
        start = len(pieces)
        for k, part in enumerate(parts):
            needs.append(start if k else None)  # a list's item comes with the list's head, not its neighbours
            pieces.append(part)
    return pieces, needs


def _join(pieces: list[str], chosen: set[int], needs: list[int | None]) -> str:
    """The chosen pieces in order; a sentence cut short ends in "…" instead of its ";"."""
    out = []
    for i in sorted(chosen):
        piece = pieces[i]
        follows = i + 1 < len(pieces) and needs[i + 1] is not None and needs[i + 1] in (i, needs[i])
        if follows and i + 1 not in chosen and piece.endswith(";"):
            piece = piece[:-1] + " …"
        out.append(piece)
    return " ".join(out)


def focus(text: str, question: str, limit: int, story: str = "", *,
          keep_first: bool = True) -> tuple[str, str | None]:
    """(the first sentence and the sentences that best cover *question* — and, less, the *story* —
    in order, within *limit* words; the other sentences joined, or None). A long sentence may be
    kept in part: its head and those of its "; " parts that fit (the items of a list).

    ``keep_first=False`` (the rest of an answer already begun): only the sentences that share a word
    with the question, none when none does ("", the whole text)."""
    kinds = _asked(question)
    weights = _weights(_terms(question), _terms(story), kinds)
    if not keep_first:
        parts = sentences(text)
        features = [_features(p, kinds) for p in parts]
        asked = _question_weights(question, kinds)
        relevant = [i for i, f in enumerate(features) if any(asked.get(x) for x in f)]
        if not relevant:
            return "", text.strip() or None
        sizes = [len(p.split()) if i in relevant else limit + 1 for i, p in enumerate(parts)]
        chosen = _best_subset(sizes, features, weights, limit, first=0)
        head = " ".join(parts[i] for i in sorted(chosen))
        rest = " ".join(parts[i] for i in range(len(parts)) if i not in chosen)
        return head, rest or None
    if len(text.split()) <= limit or (len(sentences(text)) <= 1 and len(text.split()) <= _LONG_SENTENCE):
        return text.strip(), None
    pieces, needs = _pieces(text)
    sizes = [len(p.split()) for p in pieces]
    features = [_features(p, kinds) for p in pieces]
    weights = _rarer_first(weights, features)
    chosen = {0} | _best_subset(sizes, features, weights, limit - sizes[0], needs=needs)
    head = _join(pieces, chosen, needs)
    rest = " ".join(pieces[i] for i in range(len(pieces)) if i not in chosen)
    return head, rest or None


_CLAUSE_START = re.compile(r"^(\d+[a-z]?)\.\s", re.M)


def clauses(article_text: str) -> list[tuple[str | None, str]]:
    """The clauses (khoản) of a statute article's text, each with its points: [(number, text)].
    An article without numbered clauses is one piece with number None.

    >>> clauses("Điều 9. Tên\\n1. Khoản một:\\n\\na) điểm a;\\n\\n2. Khoản hai.")
    [('1', 'Khoản một: a) điểm a;'), ('2', 'Khoản hai.')]
    """
    body = article_text.split("\n", 1)[1] if article_text.startswith("Điều") else article_text
    starts = [m for m in _CLAUSE_START.finditer(body)]
    if not starts:
        return [(None, " ".join(body.split()))]
    found = []
    for match, following in zip(starts, [*starts[1:], None], strict=True):
        piece = body[match.start(): following.start() if following else len(body)]
        found.append((match.group(1), " ".join(piece[match.end() - match.start():].split())))
    return found


def best_clause(article_text: str, question: str, story: str = "") -> tuple[str | None, str]:
    """The clause of *article_text* that shares most with *question* (and, less, the *story*);
    on a tie the earlier clause. "Chính phủ quy định chi tiết" clauses never win."""
    kinds = _asked(question)
    weights = _weights(_terms(question), _terms(story), kinds)
    every = clauses(article_text)
    pieces = [c for c in every if "quy định chi tiết" not in c[1][:60]] or every
    scored = [(sum(weights.get(f, 0) for f in _features(text, kinds)), -i, (number, text))
              for i, (number, text) in enumerate(pieces)]
    return max(scored)[2]

