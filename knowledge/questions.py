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
>>> asks_something("nộp đơn cho ai"), asks_something("Nhà tôi ở xa, không biết nhờ ai.")
(True, False)
>>> asks_something("hoa giai vien o thon la ai bau")
True
>>> asks_something("Chị hỏi phải báo trước cho chủ nhà mấy ngày"), asks_something("nhà có mấy máy cày")
(True, False)
>>> has_legal_wording("ck toi say ruou la danh toi"), has_legal_wording("hang xom lan dat nha toi")
(True, True)
>>> has_legal_wording("bo toi danh bong giay"), has_legal_wording("gia vang hom nay bao nhieu")
(False, False)
>>> is_story_question("Tôi muốn gửi yêu cầu trợ giúp pháp lý. Nhà tôi hộ nghèo, cần mang giấy tờ gì?")
True
>>> is_story_question("cho toi gui yeu cau duoc khong")
False
>>> is_story_question("Mã hồ sơ của tôi là TGPL-2026-K7QM4X, hồ sơ đến đâu rồi, bao lâu thì có kết quả?")
False
"""

from __future__ import annotations

import re

from .case_code import find_code
from .text import expand_abbreviations, fold

__all__ = ["STORY_WORDS", "asks_something", "has_legal_wording", "is_misread_question", "is_story_question"]

STORY_WORDS = 12  # a message this long that asks something is a question, not a dialogue act

_QUESTION_WORDS = re.compile(
    r"\b(?:bao nhieu|bao lau|bao gio|khi nao|o dau|cho nao|noi nao|the nao|nhu the nao|ra sao|lam sao"
    r"|lam gi|phai lam|gi khong|duoc gi|nhung gi|cai gi|giay to gi|ai (?:giup|lo|chiu|duoc|se)"
    r"|(?:la|do|boi) ai(?! do\b)|tai sao|vi sao"
    r"|co (?:duoc|phai|bi|can|mat|the) (?:\w+ ){0,8}(?:khong|chua)|(?:khong|chua) a|hay khong|duoc khong"
    r"|nhu nao|the nao|gi ah|xin hoi|cho hoi|hoi ve|muon hoi|can hoi"
    r"|may (?:ngay|thang|nam|tuoi|lan|nguoi|gio|buoi|tieng|dong|trieu|phan|muc|loai|buoc))\b"
)
# Words of a legal matter (folded): a message with none of them and no fact the rule engine reads
# has no legal content (out of scope).
_LEGAL_WORDS = re.compile(
    r"\b(?:luat|phap|quyen|kien|toa|cong an|dat dai|thua dat|ly hon|thua ke|di chuc|tien luong|no luong"
    r"|hop dong|tranh chap|bi bat|tam giam|ho ngheo|can ngheo|tro cap|bao hiem|khai sinh|cu tru|ho khau"
    r"|uy ban|giay to|boi thuong|hoa giai|thi hanh an|bao luc|phien dich|cap duong|nuoi con|ho so"
    r"|sa thai|khieu nai|to cao|chuan ngheo|trung tam|trinh bao|bi danh|bi lua|vay tien|chia tai san"
    r"|danh (?:vo|chong|con|dap|nguoi|toi|em|minh)|bao ve|ket hon|dang ky|le phi|an phi"
    r"|tro giup xa hoi|tro cap|khai tu"
    r"|cong ty|nghi viec|bao hiem|hoc phi|giam ho|nuoi duong|tai san|so do|nha nuoc|chinh quyen"
    r"|cong chung|chung thuc|quyet dinh|ban an|thu tuc|nop don|lam don|thu nhap|muc song|chi so|ngheo"
    r"|tro giup vien|ghi don|chu ky|lan (?:sang|chiem)|dan xep|cai va|to tung|dai dien|ngan sach"
    r"|qua doi|di san|nha dat|manh dat|dat (?:o|vuon|ruong|nha)|ruong|nuong|ray|chong cu|vo cu"
    r"|con rieng|quyen nuoi|ve huu|luong huu|thai san|hop dong lao dong|lam them"
    r"|xu phat|vi pham|pham toi|ly than|ngoai tinh|con nuoi|nhan con|ho tich|can cuoc|tam tru|thuong tru"
    r"|doi no|vay no|no nan|lua dao|tai nan|lan (?:dat|chiem)|hang xom|tien cong|bao hanh|mat viec"
    r"|duoi viec|tien coc|thue nha|(?:chong|vo|bo|me|cha|con) (?:\w+ )?danh(?! bong| gia| bai| co| dan))\b"
)
# A dialogue act said in words: a question with these is a wish to stop, not a legal question.
_STOPPING = re.compile(r"\b(?:thoi|huy|dung lai|ngung|khong (?:can|muon|hoi) nua)\b")
_MISREAD_ACTS = frozenset({"stop", "greet", "goodbye", "thank"})
_MISREAD_MIN_WORDS = 5

# "không biết nhờ ai", "chưa biết ở đâu": telling, not asking
_NOT_KNOWING = re.compile(r"\b(?:khong|chua) (?:biet|ro)\b(?: \w+){0,4} (?:ai|dau|nao)$")
_ENDS_AS_QUESTION = re.compile(r"\b(?:khong|chua|ha|a|nhi|nhe|vay|the|sao|gi|ko|k|hong|hem|ai|dau|nao)\s*$")


def asks_something(text: str) -> bool:
    """True when the message has a question mark or a Vietnamese question form."""
    if "?" in (text or ""):
        return True
    folded = " ".join(expand_abbreviations(fold(text or "")).split())
    if not folded:
        return False
    ends = _ENDS_AS_QUESTION.search(folded) and not _NOT_KNOWING.search(folded)
    return bool(_QUESTION_WORDS.search(folded) or ends)


def is_story_question(text: str) -> bool:
    """A message that tells something and asks something: at least :data:`STORY_WORDS` words (or two
    sentences) and a question, and no case code (a code makes it a status lookup).

    The dialogue sends such a message to the knowledge path whatever dialogue act the intent
    classifier saw in it ("tôi muốn gửi yêu cầu…, cần giấy tờ gì?" asks about papers; it does not
    start the request form).
    """
    text = text or ""
    if not asks_something(text) or find_code(text)[0] is not None:
        return False
    sentences = [s for s in re.split(r"[.!?;\n]+", text) if s.strip()]
    return len(text.split()) >= STORY_WORDS or len(sentences) >= 2


def has_legal_wording(text: str) -> bool:
    """Whether *text* names a legal matter (land, divorce, wages, papers, legal aid…).

    >>> has_legal_wording("kh hoi gia vang hom nay bao nhieu"), has_legal_wording("lam giay khai sinh")
    (False, True)
    """
    return bool(_LEGAL_WORDS.search(" ".join(expand_abbreviations(fold(text or "")).split())))


def is_misread_question(text: str, intent: str) -> bool:
    """A short legal question the intent classifier took for a conversation act: "dang ky khai sinh
    dung han co mat tien ko" read as ``stop`` ("dung" is also "dừng"). It asks something, names a
    legal matter, has a few words and no word of stopping.

    >>> is_misread_question("dang ky khai sinh dung han co mat tien ko", "stop")
    True
    >>> is_misread_question("thôi, không hỏi nữa đâu", "stop"), is_misread_question("chào bạn", "greet")
    (False, False)
    """
    if intent not in _MISREAD_ACTS or len((text or "").split()) < _MISREAD_MIN_WORDS:
        return False
    folded = " ".join(expand_abbreviations(fold(text)).split())
    return bool(asks_something(text) and _LEGAL_WORDS.search(folded) and not _STOPPING.search(folded))
