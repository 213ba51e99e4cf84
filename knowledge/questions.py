"""Does a message ask something? (pure; folded text, with or without diacritics)

Used by the dialogue to send a message that states facts AND asks a question to the knowledge
path instead of treating it as a plain answer ("Nhà tôi hộ cận nghèo, bảo hiểm y tế được hỗ trợ
bao nhiêu?" is a question, "nhà tôi hộ cận nghèo" is not).

>>> asks_something("Nhà tôi hộ cận nghèo, bảo hiểm y tế được hỗ trợ bao nhiêu?")
True
>>> asks_something("nha toi ho can ngheo")
False
>>> asks_something("chong toi bi bat thi co dc tgpl ko")
True
>>> asks_something("toi o nghe an")
False
"""

from __future__ import annotations

import re

from .text import expand_abbreviations, fold

__all__ = ["asks_something"]

_QUESTION_WORDS = re.compile(
    r"\b(?:bao nhieu|bao lau|bao gio|khi nao|o dau|cho nao|noi nao|the nao|nhu the nao|ra sao|lam sao"
    r"|lam gi|phai lam|gi khong|duoc gi|nhung gi|cai gi|giay to gi|ai (?:giup|lo|chiu|duoc|se)|tai sao|vi sao"
    r"|co (?:duoc|phai|bi|can|mat|the) (?:\w+ ){0,8}(?:khong|chua)|(?:khong|chua) a|hay khong|duoc khong"
    r"|nhu nao|the nao|gi ah|xin hoi|cho hoi|hoi ve|muon hoi|can hoi)\b"
)
_ENDS_AS_QUESTION = re.compile(r"\b(?:khong|chua|ha|a|nhi|nhe|vay|the|sao|gi|ko|k|hong|hem)\s*$")


def asks_something(text: str) -> bool:
    """True when the message has a question mark or a Vietnamese question form."""
    if "?" in (text or ""):
        return True
    folded = " ".join(expand_abbreviations(fold(text or "")).split())
    if not folded:
        return False
    return bool(_QUESTION_WORDS.search(folded) or _ENDS_AS_QUESTION.search(folded))
