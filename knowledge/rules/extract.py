"""Read eligibility facts from what a citizen types, with or without diacritics and chat slang.

The text is cut into clauses (punctuation, "nhưng", "mà là"), each clause is folded and its
slang expanded (:func:`knowledge.text.normalize_for_search`), then matched against hand-written
patterns. A match is:

* negated ("không phải hộ nghèo", "ko bị khuyết tật", "đã thoát nghèo") → the fact is False;
* uncertain ("không biết có phải hộ nghèo không") → ignored;
* a general question ("Hộ nghèo có được trợ giúp pháp lý không?") → ignored: nobody said they are.

When the same fact is said twice, the last statement wins. Anything not mentioned stays None.

>>> facts = facts_from_text("Mẹ tôi 70 tuổi, nhà tôi là hộ cận nghèo")
>>> facts.age, facts.subject, facts.near_poor_household, facts.poor_household
(70, 'mẹ', True, None)
>>> facts_from_text("nha toi ko phai ho ngheo").poor_household
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.rules.facts import BUSINESS_FIELD, EligibilityFacts
from knowledge.text import expand_abbreviations, fold

__all__ = ["CONCEPTS", "Concept", "facts_from_text"]

_LOCAL_SLANG = {"dbkk": "dac biet kho khan", "dt": "dan toc", "ktat": "khuyet tat", "hcn": "ho can ngheo"}
_CLAUSE_SPLIT = re.compile(r"[,.;:!?\n()]+|\bnhung\b|\bma la\b|\btuy nhien\b")
_NEGATION = frozenset({"khong", "chua", "chang", "deo", "hem"})
_UNCERTAIN = re.compile(
    r"\b(?:khong|chua) (?:biet|ro|chac|nho)\b|\blieu\b|\bhay khong\b"
    # a condition asked about: "có cần (phải) là hộ nghèo mới được", "phải là hộ nghèo mới…"
    r"|\b(?:co )?can (?:phai )?(?:la )?(?:thuoc )?(?:ho )?$|\bphai la (?:thuoc )?(?:ho )?$"
)
_GENERIC_PREFIX = frozenset(
    {"cho", "hoi", "xin", "neu", "nguoi", "nhung", "la", "doi", "voi", "ad", "admin", "oi", "vay"}
)
_SELF_AFTER = re.compile(r"^ ?(?:nhu|giong) (?:toi|minh|em|tui)\b")


@dataclass(frozen=True)
class Concept:
    """A fact and the pattern that states it (matched on folded, slang-expanded text)."""

    fact: str
    pattern: re.Pattern[str]
    value: object = True  # set when stated; negation gives False (for booleans only)


def _c(fact: str, pattern: str, value: object = True) -> Concept:
    return Concept(fact, re.compile(pattern), value)


_ETHNIC_NAMES = (
    r"tay|thai|muong|hoa|khmer|khome|nung|h ?mong|mong|meo|dao|gia rai|jrai|e de|ede|ba na|bana"
    r"|xo dang|san chay|co ho|cham|san diu|hre|ra glai|m nong|mnong|xtieng|bru van kieu|van kieu"
    r"|khang|giay|co tu|gie trieng|ta oi|kho mu|lo lo|la chi|ha nhi|phu la|la hu|pa then"
    r"|si la|pu peo|brau|o du|ro mam|chut|bo y|la ha|cao lan|san chi|xinh mun|chu ru|cho ro"
)
# "người Thái Bình", "người Thái Nguyên" are provinces; "người Tây" is a Westerner.
_ETHNIC_AFTER_NGUOI = (
    r"h ?mong|khmer|khome|muong|e de|ede|gia rai|jrai|ba na|bana|xo dang|nung|dao|thai(?! binh| nguyen| lan)"
    r"|mong(?! muon| cho| duoc| rang| sao| la| manh)|co ho|san diu|san chay|hre|ra ?glai|m ?nong|bru"
    r"|van kieu|ta oi|kho mu|ha nhi|lo lo|x ?tieng|chu ru|cho ro|pa co|co tu"
)

CONCEPTS: tuple[Concept, ...] = (
    _c("near_poor_household", r"\bcan ngheo\b"),
    _c("poor_household", r"\b(?:ho|so|dien|the|danh sach)(?: ho)?(?: gia dinh)? ngheo\b"),
    _c("poor_household", r"\bthoat ngheo\b", False),
    _c(
        "revolutionary_merit",
        r"\bnguoi co cong\b(?! nuoi)|\bco cong voi cach mang\b|\bthuong binh\b|\bbenh binh\b"
        r"|\b(?:ba )?me viet nam anh hung\b|\bnguoi hoat dong (?:cach mang|khang chien)\b",
    ),
    _c("child", r"\btre em\b"),
    # "người già", "già yếu" name no age: the age is asked (người cao tuổi = từ đủ 60 tuổi).
    _c("elderly", r"\bnguoi cao tuoi\b"),
    _c(
        "disability",
        r"\bkhuyet tat\b|\btan tat\b|\btan phe\b|\bkhiem thi\b|\bkhiem thinh\b|\bbai liet\b"
        r"|\bcam diec\b|\bmu loa\b|\bthieu nang\b|\bliet (?:nua nguoi|hai chan|chan|tay)\b"
        r"|\bbai nao\b|\btu ky\b|\bhoi chung down\b|\bbi (?:mu|diec|cam)\b(?! quang)",
    ),
    _c("ethnic_minority", r"\bdan toc (?:kinh|viet)\b|\bnguoi kinh\b", False),
    _c(
        "ethnic_minority",
        rf"\bdan toc thieu so\b|\bnguoi dan toc\b(?! kinh| viet)|\bdan toc (?:{_ETHNIC_NAMES})\b"
        rf"|\bnguoi (?:{_ETHNIC_AFTER_NGUOI})\b|\bdong bao dan toc\b",
    ),
    _c(
        "lives_in_disadvantaged_area",
        r"\b(?:vung|xa|thon|ban|buon|ap|huyen|dia ban|khu vuc|lang|soc)\b(?: (?!hoan canh|gia dinh|cuoc song"
        r"|doi song|tai chinh)\w+){0,8}? dac biet kho khan\b",
    ),
    _c(
        "accused",
        r"\bbi (?:cong an (?:\w+ )?)?(?:bat(?! (?:nat|coc|buoc|lam|phai|di lam|ep|chiu|nop|tra|ban|den|boi))"
        r"|tam giu|tam giam|khoi to|truy to|buoc toi|xet xu)\b|\bbi can\b|\bbi cao\b|\bnguoi bi buoc toi\b",
    ),
    _c(
        "victim_in_criminal_case",
        r"\bbi hai\b|\bbi (?:hiep dam|cuong hiep|xam hai|cuop|chem|dam|danh trong thuong|gay thuong tich)\b"
        r"|\bnan nhan (?:cua|trong) vu an\b",
    ),
    _c(
        "domestic_violence_victim",
        r"\bbao (?:luc|hanh) gia dinh\b|\bbi bao hanh\b"
        r"|\b(?:chong|vo|bo chong|me chong|bo vo|me vo|bo duong|cha duong|me ke|di ghe|con trai|con gai"
        r"|con dau|con re|bo|cha|me|anh trai|con)\b(?: (?!khong|chua|chang)\w+){0,2}?"
        r" (?:danh(?! bac| gia| nhau| bai| co| tien| cho| ca)|hanh ha|nguoc dai|bao hanh|de doa giet"
        r"|duoi (?:\w+ ){0,2}ra khoi nha)\b"
        # "chồng em say rượu hay đánh đập em": the strong words reach further
        r"|\b(?:chong|vo|bo chong|me chong|bo duong|cha duong|me ke)\b(?: (?!khong|chua|chang)\w+){0,5}?"
        r" (?:danh dap|hanh ha|nguoc dai|bao hanh)\b",
    ),
    _c(
        "trafficking_victim",
        r"\b(?:mua|buon) ban nguoi\b"
        r"|\bbi (?:(?:nguoi ta|ke xau|bon xau|no|ho|chung no) )?(?:lua |dem |bat coc (?:roi |va )?)?ban "
        r"(?:sang|qua|cho|ra|di)\b",
    ),
    _c("hiv", r"\bhiv\b|\baids\b|\bsida\b|\bsi da\b"),
    _c(
        "agent_orange",
        r"\bchat doc (?:mau )?da cam\b|\bdioxin\b|\b(?:nhiem|nan nhan|bi) (?:chat doc )?da cam\b"
        r"|\bnhiem chat doc hoa hoc\b",
    ),
    # Who gets trợ cấp xã hội hàng tháng: Điều 5 Nghị định số 20/2021/NĐ-CP (orphans, people from
    # 80 without a pension, người khuyết tật nặng/đặc biệt nặng...), in the corpus. A bare
    # "trợ cấp hàng tháng" or "bảo trợ xã hội" may be a pension or a merit allowance (not NĐ 144
    # Điều 2's condition): it states nothing, and the question asks (see the financial question).
    _c(
        "monthly_social_allowance",
        r"\btro cap xa hoi\b|\btro cap (?:nguoi )?khuyet tat\b"
        r"|\btro cap (?:nguoi cao tuoi|nguoi gia)\b|\btro cap (?:tre )?mo coi\b",
    ),
)

# Facts whose wording names someone else or the whole household, not the person who needs help.
_HOUSEHOLD_OR_OTHERS = frozenset({"poor_household", "near_poor_household", "domestic_violence_victim"})
_MARTYR = re.compile(r"\bliet si\b")
_MARTYR_COVERED = re.compile(
    r"\b(?:bo|cha|me|vo|chong|con|than nhan|nuoi duong|nuoi)\b"
)
_MARTYR_OTHER = re.compile(r"\b(?:ong|ba|anh|chi|chu|bac|co|di|cau|chau|em trai|em gai)\b")

_RELATIONS = {
    "me": "mẹ", "bo": "bố", "cha": "cha", "con": "con", "vo": "vợ", "chong": "chồng", "ong": "ông",
    "chau": "cháu", "anh": "anh", "chi": "chị", "em": "em", "bo me": "bố mẹ", "me toi": "mẹ",
}
_AGE = re.compile(
    r"\b(?:(?P<rel>me|bo|cha|con|vo|chong|ong|chau|anh|chi|em)(?: trai| gai)? (?:toi|minh|tui|em)\b"
    r"(?: \w+){0,3}? )?"
    r"(?:(?P<qual>hon|tren|ngoai|duoi|gan|khoang|chua du|chua den|chua toi|u) ?)?"
    r"(?:(?P<age>\d{1,3}) ?(?:tuoi|t)|(?P<months>\d{1,2}) ?thang tuoi)\b"  # "3 tháng tuổi": a baby
)
_SUBJECT = re.compile(
    r"\b(?P<rel>me|bo|cha|con|vo|chong|ong|chau|anh|chi)(?: trai| gai)? (?:toi|minh|tui|em)\b"
)
_SPEAKER = re.compile(r"\b(?:toi|minh|tui|tao)\b")

_FIELD_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lao_dong", re.compile(
        r"\b(?:no|tra|chua tra|khong tra|quyt|tien|cham|cat) luong\b|\bsa thai\b|\bhop dong lao dong\b"
        r"|\bnguoi lao dong\b|\btai nan lao dong\b|\bcho nghi viec\b|\bduoi viec\b"
    )),
    ("hon_nhan_gia_dinh", re.compile(
        r"\bly (?:hon|di)\b|\bquyen nuoi con\b|\bcap duong\b|\bhon nhan\b|\btai san chung\b"
    )),
    ("dat_dai", re.compile(
        r"\b(?:tranh chap|chiem|lan chiem|manh|thua|lo|mua ban|cap) dat\b|\bdat dai\b|\bso (?:do|hong)\b"
        r"|\bquyen su dung dat\b|\branh gioi\b"
    )),
    ("hinh_su", re.compile(r"\bhinh su\b|\btoi pham\b|\bvu an\b")),
    (BUSINESS_FIELD, re.compile(
        r"\bkinh doanh\b|\bthuong mai\b|\bmua ban hang hoa\b|\bhop dong kinh te\b|\bdoanh nghiep\b"
        r"|\bhop dong\b(?: \w+){0,6} (?:cua|voi) cong ty\b"
        r"|\blam dai ly\b|\bdai ly (?:ban|phan phoi|cap \d)\b|\b(?:nhap|giao) hang\b(?: \w+){0,4} hop dong\b"
    )),
    ("dan_su", re.compile(
        r"\bvay (?:no|tien)\b|\bno tien\b|\bdoi no\b|\bthua ke\b|\bdi chuc\b|\bboi thuong\b|\bhop dong\b"
    )),
    ("hanh_chinh", re.compile(r"\bkhieu nai\b|\bquyet dinh hanh chinh\b|\bxu phat\b")),
)
_CONCRETE = re.compile(
    r"\btranh chap\b|\b(?:khoi|bi|di|dam don) kien\b|\bkien (?:ra toa|tung|doi)\b|\bvu an\b"
    r"|\bvu viec (?:cua|nha)\b|\bbi bat\b(?! nat| coc| buoc| phai| lam)|\bbi (?:\w+ )?danh\b(?! gia| bac)"
    r"|\bbi lua\b|\bno tien\b|\bdoi no\b|\bchiem\b|\bly (?:hon|di)\b|\bkhieu nai\b|\bto cao\b|\bsa thai\b"
    r"|\bno luong\b|\bbi xam hai\b|\bbao (?:luc|hanh)\b|\bxet xu\b|\btoa an\b|\bthua ke\b|\bbi hai\b"
    r"|\bbi (?:tam giu|tam giam|khoi to|truy to|hiep dam|cuong hiep|xam hai|cuop)\b|\bcuong che\b"
    r"|\bthu hoi dat\b"
)
_NO_MATTER = re.compile(
    r"\bchi (?:muon )?(?:hoi|tim hieu)\b|\bhoi (?:cho biet|thu|cho vui|chung)\b"
    r"|\b(?:chua|khong) co (?:vu viec|viec|chuyen) gi\b|\btim hieu (?:phap luat|quy dinh)\b"
)


def _clauses(text: str) -> list[str]:
    folded = fold(text)
    out = []
    for part in _CLAUSE_SPLIT.split(folded):
        words = expand_abbreviations(part).split()
        words = [_LOCAL_SLANG.get(w, w) for w in words]
        if words:
            out.append(" ".join(words))
    return out


def _status(clause: str, match: re.Match[str], whole: str) -> str:
    """"yes", "no", "skip" (uncertain or a general question) for a match inside a clause."""
    before = clause[: match.start()].split()
    if _UNCERTAIN.search(clause[: match.start()]):
        return "skip"
    if "co phai" in clause[: match.start()] and clause.rstrip().endswith("khong"):
        return "skip"
    window: list[str] = []
    for word in reversed(before[-3:]):
        if word in ("ma", "va", "nhung"):
            break
        window.append(word)
    if any(word in _NEGATION for word in window):
        return "no"
    if (
        all(word in _GENERIC_PREFIX for word in before)
        and "duoc" in whole
        and not _SELF_AFTER.match(clause[match.end():])
        and not _SPEAKER.search(whole)
    ):
        return "skip"
    return "yes"


def _martyr(clause: str, match: re.Match[str]) -> bool:
    """Khoản 7 điểm a covers only parents, spouse, children and the person who raised the martyr."""
    around = clause[max(0, match.start() - 30): match.end() + 25]
    return bool(_MARTYR_COVERED.search(around)) or not _MARTYR_OTHER.search(around)


def _age(clauses: list[str]) -> tuple[int | None, bool | None, bool | None, str | None]:
    """(age, child, elderly, subject) from "mẹ tôi 70 tuổi", "con tôi 15 tuổi", "hơn 60 tuổi"."""
    ages: set[int] = set()
    subjects: set[str | None] = set()
    child = elderly = None
    for clause in clauses:
        for match in _AGE.finditer(clause):
            value, qual = int(match.group("age") or 0), match.group("qual")
            if value > 120:
                continue
            subjects.add(_RELATIONS.get(match.group("rel") or ""))
            if qual in ("hon", "tren", "ngoai", "u"):
                elderly = True if value >= 60 else elderly
            elif qual in ("duoi", "chua du", "chua den", "chua toi"):
                child = True if value <= 16 else child
            elif qual is None:
                ages.add(value)
    age = ages.pop() if len(ages) == 1 else None
    subject = subjects.pop() if len(subjects) == 1 else None
    return age, child, elderly, subject


def _subject(clauses: list[str], spans: list[tuple[int, int]]) -> str | None:
    """Relative named right before a stated fact ("mẹ tôi bị khuyết tật" → "mẹ").

    None when no relative is named, when two are, or when the writer also speaks of themself
    ("tôi bị khuyết tật").
    """
    relatives: set[str] = set()
    self_named = False
    for index, start in spans:
        before = " ".join(clauses[index][:start].split()[-4:])
        match = _SUBJECT.search(before)
        if match:
            relatives.add(_RELATIONS[match.group("rel")])
        elif _SPEAKER.search(before):
            self_named = True
    return relatives.pop() if len(relatives) == 1 and not self_named else None


def facts_from_text(text: str) -> EligibilityFacts:
    """Facts a citizen states in free text; everything not mentioned stays None.

    >>> f = facts_from_text("toi la nguoi dan toc thai o xa dac biet kho khan")
    >>> f.ethnic_minority, f.lives_in_disadvantaged_area
    (True, True)
    >>> facts_from_text("chong danh toi").domestic_violence_victim
    True
    >>> facts_from_text("tranh chap hop dong mua ban hang hoa cua cong ty").field
    'kinh_doanh_thuong_mai'
    """
    clauses = _clauses(text)
    whole = " ".join(clauses)
    found: dict[str, tuple[int, object]] = {}  # fact → (position, value); the last statement wins
    spans: list[tuple[int, int]] = []
    position = 0
    for index, clause in enumerate(clauses):
        for concept in CONCEPTS:
            for match in concept.pattern.finditer(clause):
                status = _status(clause, match, whole)
                if status == "skip":
                    continue
                value = concept.value if status == "yes" else (not concept.value)
                key = position + match.start()
                if concept.fact not in found or found[concept.fact][0] <= key:
                    found[concept.fact] = (key, value)
                if value is True and concept.fact not in _HOUSEHOLD_OR_OTHERS:
                    spans.append((index, match.start()))
        for match in _MARTYR.finditer(clause):
            status = _status(clause, match, whole)
            if status != "skip" and _martyr(clause, match):
                found["martyr_relative"] = (position + match.start(), status == "yes")
        position += len(clause) + 1
    values = {fact: value for fact, (_, value) in found.items()}

    age, child, elderly, age_subject = _age(clauses)
    if age is not None:
        values["age"] = age
    if child is not None and "child" not in values:
        values["child"] = child
    if elderly is not None and "elderly" not in values:
        values["elderly"] = elderly

    for field, cue in _FIELD_CUES:
        if cue.search(whole):
            values["field"] = field
            break
    else:
        if values.get("accused") is True or values.get("victim_in_criminal_case") is True:
            values["field"] = "hinh_su"
    if _CONCRETE.search(whole) or values.get("accused") is True:
        values["concrete_matter_directly_concerning"] = True
    elif _NO_MATTER.search(whole):
        values["concrete_matter_directly_concerning"] = False

    subject = age_subject if age is not None or child or elderly else _subject(clauses, spans)
    if subject is not None:
        values["subject"] = subject
    return EligibilityFacts(**{k: v for k, v in values.items() if v is not None})
