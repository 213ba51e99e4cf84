"""Case fields read from what a caller said, to prefill the hotline case form (pure functions).

Everything is a suggestion the operator checks before saving: a field is left out rather than
guessed when the text is not clear.

>>> draft = read_contact("Tôi là Nguyễn Văn An, số 0912 345 678, ở xã Tân Lập, tỉnh Lào Cai")
>>> draft.full_name, draft.phone, draft.province, draft.commune
('Nguyễn Văn An', '0912345678', 'Lào Cai', 'Xã Tân Lập')
>>> read_contact("anh Sơn là hàng xóm").province is None
True
>>> group_code("7c")
'khoan_7c_nguoi_cao_tuoi'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from knowledge.rules.groups import GROUPS, group_code, group_label
from knowledge.text import fold_char_map, nfc
from knowledge.vocabulary import find_phone, find_province, local_phone, match_province, topic_in_story

__all__ = ["GROUPS", "Contact", "group_code", "group_label", "read_contact", "topic_field"]

def topic_field(text: str) -> str | None:
    """A field of law (a TOPICS code) from the story cues of the one vocabulary, for a story whose
    field the rule engine did not read ("lấn đất" without "chiếm")."""
    return topic_in_story(text)


@dataclass(frozen=True)
class Contact:
    full_name: str | None = None
    phone: str | None = None
    province: str | None = None
    commune: str | None = None


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Folded cues before a name; offsets in the folded text are those of the original (fold_char_map).
_NAME_CUE = re.compile(
    r"\b(?:ho va ten|ho ten|ten (?:toi |em |minh |chau |cua toi |cua em |ba |ong |co |chu |anh |chi |"
    r"cua ba |cua ong |nguoi goi )?(?:la )?|toi la|em la|chau la|minh la|nguoi goi la|goi toi la)"
    r"\s*:?\s*"
)
_COMMUNE_CUE = re.compile(r"\b(?:xa|phuong|dac khu|thi tran)\s+")
_UNIT_WORDS = frozenset({"tp", "tinh", "huyen", "quan", "thi", "xa", "phuong"})  # a commune ends there
_NOT_NAME_WORDS = frozenset({"toi", "em", "chau", "minh", "nha", "ho", "nguoi", "o", "tai", "xa", "tinh"})


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() or word.isdigit()


def _capitalised_run(text: str, start: int, *, most: int) -> list[re.Match[str]]:
    """Words right after *start* (only spaces between) that begin with a capital letter."""
    run: list[re.Match[str]] = []
    position = start
    for match in _WORD.finditer(text, start):
        gap = text[position:match.start()]
        if gap.strip() or (run and not gap) or len(run) >= most or not _is_capitalised(match.group()):
            break
        run.append(match)
        position = match.end()
    return run


def _name(text: str, folded: str) -> str | None:
    for cue in _NAME_CUE.finditer(folded):
        run = _capitalised_run(text, cue.end(), most=5)
        words = [m.group() for m in run if not m.group().isdigit()]
        if len(words) >= 2 and fold_char_map(words[0]) not in _NOT_NAME_WORDS:
            return " ".join(words)
    return None


def _commune(text: str, folded: str) -> str | None:
    for cue in _COMMUNE_CUE.finditer(folded):
        run = _capitalised_run(text, cue.end(), most=4)
        for index in range(len(run)):  # "xã Tân Lập Tỉnh Lào Cai": stop at the next unit
            rest = " ".join(m.group() for m in islice(_WORD.finditer(text, run[index].start()), 2))
            unit = fold_char_map(rest)
            first = run[index].group()
            if unit.split()[0] in _UNIT_WORDS or unit == "thanh pho" or match_province(first) or (
                index and match_province(rest)
            ):
                run = run[:index]
                break
        if not run:
            continue
        unit = " ".join(text[cue.start():cue.end()].split())
        return f"{unit[:1].upper()}{unit[1:]} " + " ".join(m.group() for m in run)
    return None


def read_contact(text: str) -> Contact:
    """Name, phone (0… form), province (canonical name) and commune said in *text*."""
    text = nfc(text)
    folded = fold_char_map(text)
    return Contact(
        full_name=_name(text, folded),
        phone=local_phone(phone) if (phone := find_phone(text)) else None,
        province=find_province(text, as_names=True),
        commune=_commune(text, folded),
    )
