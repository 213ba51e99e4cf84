"""The one vocabulary of the system: the codes a case is stored with and the Vietnamese labels
people read, and the rules for provinces, phone numbers and case codes (issue 14, item 9).

Pure and standard library only (plus ``knowledge.text`` and ``knowledge.case_code``, themselves
stdlib-only): the Rasa action server (Python 3.10), the api (3.11) and, through
``GET /api/v1/vocabulary``, the pages all use this module and nothing else.

* Code lists (``CodeList``: ordered code → label, ``label``, ``code_of`` for a code, a label or an
  alias typed with or without diacritics): ``CHANNELS``, ``TOPICS`` (lĩnh vực of a case),
  ``GROUPS`` (eligibility groups, one per route of Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14, and
  the near-poor household), ``RELATIONS`` (caller → beneficiary), ``GENDERS``,
  ``LEGAL_AID_FORMS`` (Điều 27 khoản 2 Luật 11/2017/QH14), ``OUTCOMES`` (how a case ended: Điều 10
  Thông tư 12/2018/TT-BTP, Điều 37 khoản 1 Luật 11/2017/QH14), ``CARD_TOPICS`` (topics of the
  knowledge cards, each with the case topic it belongs to).
* Provinces: the 34 province-level units from 1 July 2025 (Nghị quyết 202/2025/QH15),
  ``match_province`` (what was typed as the province) and ``find_province`` (a province named
  inside a sentence). The repository has no list of communes: ``clean_commune`` only tidies one.
* Phones: ``normalize_phone`` (→ ``+84…``, ``PhoneError`` otherwise), ``parse_phone`` (or None),
  ``find_phone`` (inside a sentence), ``local_phone``, ``spaced_phone``, ``mask_phone``,
  ``mask_name``.
* Case codes: re-exported from ``knowledge.case_code`` (``new_code``, ``parse_code``,
  ``find_code``…), the one definition of their format.

>>> TOPICS.code_of("dat dai"), TOPICS.label("hon_nhan_gia_dinh")
('dat_dai', 'Hôn nhân và gia đình')
>>> GROUPS.code_of("khoan_2_ho_ngheo"), GROUPS.code_of("Hộ nghèo")
('khoan_2_ho_ngheo', 'khoan_2_ho_ngheo')
>>> match_province("tp hcm"), find_province("o lao cai a")
('Thành phố Hồ Chí Minh', 'Lào Cai')
>>> normalize_phone("84-912-345-678"), local_phone("+84912345678"), mask_phone("+84912345678")
('+84912345678', '0912345678', '091*******')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from knowledge.case_code import (
    CODE_PATTERN,
    EXAMPLE,
    find_code,
    is_valid_code,
    legacy_code,
    new_code,
    normalize_code,
    parse_code,
)
from knowledge.text import fold, nfc

__all__ = [
    "CARD_TOPICS",
    "CARD_TOPIC_FIELDS",
    "CENTRAL_CITIES",
    "CHANNELS",
    "CODE_PATTERN",
    "EXAMPLE",
    "GENDERS",
    "GROUPS",
    "GROUP_BY_CODE",
    "GROUP_CUES",
    "INTAKE_GROUP_ORDER",
    "INTAKE_TOPICS",
    "INTAKE_TOPIC_TITLES",
    "LEGAL_AID_FORMS",
    "LISTS",
    "NEAR_POOR_CODE",
    "OTHER_TOPIC",
    "OUTCOMES",
    "PROVINCES",
    "PROVINCE_NAMES",
    "RELATIONS",
    "ROUTE_GROUPS",
    "SELF_RELATION",
    "STORY_TOPIC_CUES",
    "TOPICS",
    "TOPIC_CUES",
    "TRAFFICKING_CUE",
    "UNKNOWN_GROUP",
    "CodeList",
    "Group",
    "PhoneError",
    "Province",
    "Term",
    "clean_commune",
    "find_code",
    "find_phone",
    "find_province",
    "group_clause",
    "group_of_route",
    "is_valid_code",
    "legacy_code",
    "local_phone",
    "mask_name",
    "mask_phone",
    "match_province",
    "new_code",
    "normalize_code",
    "normalize_phone",
    "parse_code",
    "parse_phone",
    "spaced_phone",
    "topic_from_text",
    "topic_in_story",
    "topic_of_card",
    "vocabulary_json",
]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _key(text: str) -> str:
    """Folded, without spaces or punctuation: "TP. Hồ Chí Minh" → "tphochiminh"."""
    return _NON_ALNUM.sub("", fold(nfc(text)))


# ---------- code lists ----------


@dataclass(frozen=True)
class Term:
    code: str
    label: str  # what people read (pages, CSV, reports)
    aliases: tuple[str, ...] = ()  # other spellings accepted as input (old stored values too)


class CodeList:
    """An ordered list of codes with their labels. Input may name a term by its code, its label or
    an alias, with or without diacritics; what is stored is always the code."""

    def __init__(self, name: str, terms: tuple[Term, ...]) -> None:
        self.name = name
        self.terms = terms
        self._by_code = {t.code: t for t in terms}
        self._index: dict[str, str] = {}
        for term in terms:
            for variant in (term.code, term.label, *term.aliases):
                self._index.setdefault(_key(variant), term.code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def label(self, code: str | None) -> str | None:
        term = self._by_code.get(code or "")
        return term.label if term else None

    def code_of(self, text: str | None) -> str | None:
        """The code *text* names (a code, a label or an alias; case and diacritics ignored)."""
        if not text:
            return None
        if text in self._by_code:
            return text
        return self._index.get(_key(text)) if _key(text) else None

    def labels(self) -> dict[str, str]:
        return {t.code: t.label for t in self.terms}


CHANNELS = CodeList("channels", (
    Term("web", "Trang web"),
    Term("zalo", "Zalo"),
    Term("hotline", "Tổng đài"),
    Term("api", "Hệ thống khác"),
))

# Lĩnh vực (field of law) of a case. Trợ giúp pháp lý covers every field except business and
# commerce (Điều 27 khoản 1 Luật 11/2017/QH14); the rule engine reads only that one.
_TOPIC_TERMS: tuple[Term, ...] = (
    Term("dat_dai", "Đất đai", ("đất", "tranh chấp đất đai")),
    Term("hon_nhan_gia_dinh", "Hôn nhân và gia đình",
         ("hôn nhân gia đình", "ly hôn", "nuôi con", "cấp dưỡng", "bạo lực gia đình")),
    Term("dan_su", "Dân sự", ("nợ, hợp đồng", "hợp đồng", "vay nợ", "thừa kế", "thừa kế (dân sự)")),
    Term("hinh_su", "Hình sự"),
    Term("hanh_chinh", "Hành chính, khiếu nại", ("hành chính", "khiếu nại", "tố cáo", "khiếu nại, tố cáo")),
    Term("lao_dong", "Lao động", ("việc làm", "tiền lương")),
    Term("thi_hanh_an", "Thi hành án dân sự", ("thi hành án",)),
    Term("chinh_sach_xa_hoi", "Chính sách xã hội",
         ("trợ cấp xã hội", "chính sách trợ giúp xã hội", "bảo hiểm y tế", "chính sách giáo dục", "học phí")),
    Term("ho_tich_cu_tru", "Hộ tịch, cư trú", ("hộ tịch", "cư trú", "khai sinh")),
    Term("kinh_doanh_thuong_mai", "Kinh doanh, thương mại", ("kinh doanh", "thương mại")),
    Term("khac", "Lĩnh vực khác", ("khác", "không rõ", "không biết")),
)
OTHER_TOPIC = "khac"

# Folded cues of a topic in a citizen's own words (the intake form), checked in order.
TOPIC_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dat_dai", ("dat dai", "dat o", "dat ruong", "dat vuon", "manh dat", "thua dat", "lan dat",
                 "tranh chap dat", "so do", "so hong", "ranh gioi", "lan ranh")),
    ("hon_nhan_gia_dinh", ("hon nhan", "ly hon", "ly di", "gia dinh", "cap duong", "nuoi con", "vo chong")),
    ("thi_hanh_an", ("thi hanh an",)),
    ("dan_su", ("vay no", "tra no", "doi no", "no tien", "hop dong", "vay tien", "muon tien", "lua dao",
                "bi lua", "thua ke", "di chuc", "dan su", "boi thuong")),
    ("hinh_su", ("hinh su", "bi bat", "tam giam", "bi can", "bi cao", "toi pham", "pham toi", "danh nhau",
                 "bi danh", "an cap", "trom")),
    ("hanh_chinh", ("hanh chinh", "khieu nai", "to cao", "ubnd", "chinh quyen", "xu phat")),
    ("lao_dong", ("lao dong", "tien luong", "no luong", "sa thai", "hop dong lao dong", "cong ty")),
    ("chinh_sach_xa_hoi", ("tro cap", "bao hiem", "hoc phi")),
    ("ho_tich_cu_tru", ("ho tich", "khai sinh", "cu tru", "ho khau")),
    ("kinh_doanh_thuong_mai", ("kinh doanh", "thuong mai")),
    ("khac", ("khac", "khong ro", "khong biet")),
)
# The topics the intake form offers as buttons, with the words a citizen recognises (each title is
# also an alias of its topic, so the button's text reads back as the code); the rest of TOPICS is
# still understood when typed.
INTAKE_TOPIC_TITLES: dict[str, str] = {  # the intake's titles before issue 14 (in bot/data), and labour
    "dat_dai": "Đất đai",
    "hon_nhan_gia_dinh": "Hôn nhân gia đình",
    "dan_su": "Nợ, hợp đồng",
    "hinh_su": "Hình sự",
    "hanh_chinh": "Hành chính, khiếu nại",
    "lao_dong": "Lao động",
    "thi_hanh_an": "Thi hành án",
    "khac": "Khác",
}
INTAKE_TOPICS: tuple[str, ...] = tuple(INTAKE_TOPIC_TITLES)
TOPICS = CodeList("topics", tuple(
    Term(t.code, t.label, tuple(a for a in (*t.aliases, INTAKE_TOPIC_TITLES.get(t.code)) if a))
    for t in _TOPIC_TERMS
))


# Folded cues of a topic in a story told to the hotline (the console's case form), read only when
# the rule engine (knowledge.rules.extract) found no field: narrower than TOPIC_CUES, since a story
# says "gia đình", "công ty"… about anything.
_WAGE_CUES = tuple(
    f"{who} {what} {pay}"
    for who in ("cong ty", "chu")
    for what in ("no", "khong tra", "chua tra")
    for pay in ("luong", "tien cong")
)
STORY_TOPIC_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dat_dai", ("lan dat", "lan ranh", "ranh dat", "dat o", "dat vuon", "dat ruong", "dat rung", "bo rao")),
    ("hon_nhan_gia_dinh", ("ket hon", "nuoi con", "chia tai san")),
    ("lao_dong", _WAGE_CUES),
)


def _first_cue(text: str, cue_lists: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    words = " " + " ".join(re.findall(r"\w+", fold(nfc(text)))) + " "
    for code, cues in cue_lists:
        if any(f" {cue} " in words for cue in cues):
            return code
    return None


def topic_from_text(text: str | None) -> str | None:
    """The topic code of a citizen's answer: a code, label or alias, else the first cue found."""
    code = TOPICS.code_of(text)
    if code or not text:
        return code
    return _first_cue(text, TOPIC_CUES)


def topic_in_story(text: str | None) -> str | None:
    """The topic code a story's STORY_TOPIC_CUES give ("bị hàng xóm lấn đất" → "dat_dai"), or None."""
    return _first_cue(text, STORY_TOPIC_CUES) if text else None


# Topics of the knowledge cards (knowledge/cards/<topic>/) and the case topic each belongs to
# (None: about legal aid, mediation or poverty themselves, not a field of law).
_CARD_TOPIC_TABLE: tuple[tuple[str, str, str | None], ...] = (  # code, label, case topic
    ("legal_aid_eligibility", "Diện được trợ giúp pháp lý", None),
    ("legal_aid_procedure", "Thủ tục trợ giúp pháp lý", None),
    ("legal_aid_rights", "Quyền của người được trợ giúp pháp lý", None),
    ("mediation", "Hòa giải ở cơ sở", None),
    ("poverty_standard", "Chuẩn nghèo", None),
    ("poverty_benefits", "Chính sách cho hộ nghèo", "chinh_sach_xa_hoi"),
    ("civil_enforcement", "Thi hành án dân sự", "thi_hanh_an"),
    ("project_977", "Đề án 977", None),
    ("contact", "Nơi liên hệ", None),
    ("inheritance", "Thừa kế", "dan_su"),
    ("divorce", "Ly hôn", "hon_nhan_gia_dinh"),
    ("child_custody_support", "Nuôi con, cấp dưỡng", "hon_nhan_gia_dinh"),
    ("domestic_violence", "Bạo lực gia đình", "hon_nhan_gia_dinh"),
    ("land_mediation", "Tranh chấp đất đai", "dat_dai"),
    ("labour", "Lao động", "lao_dong"),
    ("social_allowance", "Trợ cấp xã hội", "chinh_sach_xa_hoi"),
    ("health_insurance", "Bảo hiểm y tế", "chinh_sach_xa_hoi"),
    ("school_fees", "Học phí, hỗ trợ học tập", "chinh_sach_xa_hoi"),
    ("civil_registration", "Hộ tịch, cư trú", "ho_tich_cu_tru"),
    ("language_interpreter", "Phiên dịch, tiếng nói của người dân tộc thiểu số", "khac"),
)
CARD_TOPICS = CodeList("card_topics", tuple(Term(code, label) for code, label, _ in _CARD_TOPIC_TABLE))
CARD_TOPIC_FIELDS: dict[str, str | None] = {code: field for code, _, field in _CARD_TOPIC_TABLE}


def topic_of_card(card_topic: str | None) -> str | None:
    """The case topic (lĩnh vực) of a knowledge card's topic, e.g. "divorce" → "hon_nhan_gia_dinh"."""
    return CARD_TOPIC_FIELDS.get(card_topic or "")


# ---------- eligibility groups (Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14) ----------


@dataclass(frozen=True)
class Group:
    route: str  # the route id of knowledge.rules.eligibility ("2", "7c"…); "" for the near-poor household
    code: str  # stored on the case
    label: str  # staff read it: the clause and the group
    title: str  # the intake button a citizen reads
    aliases: tuple[str, ...] = ()  # other words for the group accepted as input


_GROUPS: tuple[Group, ...] = (
    Group("1", "khoan_1_nguoi_co_cong", "Khoản 1 — Người có công với cách mạng",
          "Người có công với cách mạng",
          ("người có công", "thương binh")),
    Group("2", "khoan_2_ho_ngheo", "Khoản 2 — Người thuộc hộ nghèo", "Hộ nghèo",
          ("hộ nghèo", "nghèo")),
    Group("3", "khoan_3_tre_em", "Khoản 3 — Trẻ em", "Trẻ em (dưới 16 tuổi)",
          ("trẻ em",)),
    Group("4", "khoan_4_dan_toc_thieu_so", "Khoản 4 — Người dân tộc thiểu số ở vùng đặc biệt khó khăn",
          "Dân tộc thiểu số ở vùng đặc biệt khó khăn",
          ("dân tộc thiểu số",)),
    Group("5", "khoan_5_bi_buoc_toi_16_18", "Khoản 5 — Người bị buộc tội từ đủ 16 đến dưới 18 tuổi",
          "Bị buộc tội, từ 16 đến dưới 18 tuổi"),
    Group("6", "khoan_6_bi_buoc_toi_can_ngheo", "Khoản 6 — Người bị buộc tội thuộc hộ cận nghèo",
          "Bị buộc tội, thuộc hộ cận nghèo"),
    Group("6a", "khoan_6a_nan_nhan_mua_ban_nguoi", "Khoản 6a — Nạn nhân mua bán người (từ 01/7/2025)",
          "Nạn nhân mua bán người"),
    Group("7a", "khoan_7a_than_nhan_liet_si", "Điểm a khoản 7 — Thân nhân liệt sĩ",
          "Thân nhân liệt sĩ, người nuôi liệt sĩ khi nhỏ",
          ("thân nhân liệt sĩ", "liệt sĩ")),
    Group("7b", "khoan_7b_chat_doc_da_cam", "Điểm b khoản 7 — Người nhiễm chất độc da cam",
          "Nhiễm chất độc da cam",
          ("chất độc da cam", "da cam")),
    Group("7c", "khoan_7c_nguoi_cao_tuoi", "Điểm c khoản 7 — Người cao tuổi", "Người cao tuổi (từ 60 tuổi)",
          ("người cao tuổi", "người già")),
    Group("7d", "khoan_7d_nguoi_khuyet_tat", "Điểm d khoản 7 — Người khuyết tật", "Người khuyết tật",
          ("khuyết tật",)),
    Group("7đ", "khoan_7dd_bi_hai_16_18", "Điểm đ khoản 7 — Bị hại từ đủ 16 đến dưới 18 tuổi",
          "Bị hại 16 đến dưới 18 tuổi"),
    Group("7e", "khoan_7e_bao_luc_gia_dinh", "Điểm e khoản 7 — Nạn nhân bạo lực gia đình",
          "Nạn nhân bạo lực gia đình",
          ("bạo lực gia đình",)),
    Group("7g", "khoan_7g_mua_ban_nguoi", "Điểm g khoản 7 — Nạn nhân mua bán người (đến 30/6/2025)",
          "Nạn nhân mua bán người"),
    Group("7h", "khoan_7h_hiv", "Điểm h khoản 7 — Người nhiễm HIV", "Người nhiễm HIV",
          ("hiv",)),
    # Not a route of Điều 7 on its own (it helps only with khoản 6 or a group of khoản 7), but what
    # many people know about themselves: the intake offers it and the centre decides.
    Group("", "ho_can_ngheo", "Hộ cận nghèo (chưa đủ một mình: Trung tâm xem khoản 6, khoản 7 Điều 7)",
          "Hộ cận nghèo",
          ("cận nghèo",)),
)
ROUTE_GROUPS: dict[str, Group] = {g.route: g for g in _GROUPS if g.route}
GROUP_BY_CODE: dict[str, Group] = {g.code: g for g in _GROUPS}
NEAR_POOR_CODE = "ho_can_ngheo"
UNKNOWN_GROUP = "khong_ro"  # what the intake offers as "Không rõ"; stored as no group at all
GROUPS = CodeList("groups", tuple(Term(g.code, g.label, (g.title, *g.aliases)) for g in _GROUPS))


# Folded cues of a group in a citizen's own answer (the intake form), checked in order.
TRAFFICKING_CUE = "mua_ban_nguoi"  # khoản 6a from 01/7/2025, điểm g khoản 7 before: the date decides
GROUP_CUES: tuple[tuple[str, str], ...] = (
    ("bi buoc toi", "khoan_5_bi_buoc_toi_16_18"),
    ("can ngheo", NEAR_POOR_CODE),  # near-poor alone is not a group of Điều 7: the centre decides
    ("ngheo", "khoan_2_ho_ngheo"),
    ("co cong", "khoan_1_nguoi_co_cong"),
    ("thuong binh", "khoan_1_nguoi_co_cong"),
    ("liet si", "khoan_7a_than_nhan_liet_si"),
    ("tre em", "khoan_3_tre_em"),
    ("dan toc", "khoan_4_dan_toc_thieu_so"),
    ("cao tuoi", "khoan_7c_nguoi_cao_tuoi"),
    ("nguoi gia", "khoan_7c_nguoi_cao_tuoi"),
    ("khuyet tat", "khoan_7d_nguoi_khuyet_tat"),
    ("bao luc", "khoan_7e_bao_luc_gia_dinh"),
    ("mua ban nguoi", TRAFFICKING_CUE),
    ("da cam", "khoan_7b_chat_doc_da_cam"),
    ("hiv", "khoan_7h_hiv"),
    ("khong ro", UNKNOWN_GROUP),
    ("khong biet", UNKNOWN_GROUP),
    ("khong thuoc", UNKNOWN_GROUP),
    ("khac", UNKNOWN_GROUP),
)

# The order the intake form offers the groups in: the order people recognise themselves ("" is
# the near-poor household); routes not in force on the day are left out by the form.
INTAKE_GROUP_ORDER: tuple[str, ...] = (
    "2", "", "1", "3", "4", "7c", "7d", "7e", "5", "6", "6a", "7g", "7a", "7b", "7đ", "7h",
)


def group_of_route(route: str) -> Group | None:
    """The group of a route of knowledge.rules.eligibility ("7c" → người cao tuổi)."""
    return ROUTE_GROUPS.get(route)


def group_clause(code: str | None) -> str | None:
    """The provision of a group: "khoan_7c_nguoi_cao_tuoi" → "điểm c khoản 7 Điều 7"."""
    group = GROUP_BY_CODE.get(code or "")
    if group is None or not group.route:
        return None
    route = group.route
    if route[0] == "7" and len(route) > 1:
        return f"điểm {route[1:]} khoản 7 Điều 7"
    return f"khoản {route} Điều 7"


# ---------- who called, who is helped, how, with what result ----------

SELF_RELATION = "ban_than"
RELATIONS = CodeList("relations", (
    Term(SELF_RELATION, "Chính người cần trợ giúp", ("bản thân", "chính mình", "tôi")),
    Term("con", "Con", ("con trai", "con gái")),
    Term("cha_me", "Cha, mẹ", ("bố", "mẹ", "cha", "bố mẹ")),
    Term("vo_chong", "Vợ, chồng", ("vợ", "chồng")),
    Term("anh_chi_em", "Anh, chị, em", ("anh", "chị", "em")),
    Term("ong_ba", "Ông, bà", ("ông", "bà")),
    Term("chau", "Cháu"),
    Term("nguoi_than_khac", "Người thân khác", ("họ hàng",)),
    Term("nguoi_giam_ho", "Người giám hộ, người đại diện", ("giám hộ", "người đại diện")),
    Term("hang_xom", "Hàng xóm", ("hàng xóm",)),
    Term("can_bo", "Cán bộ thôn, xã, đoàn thể", ("cán bộ", "trưởng thôn")),
    Term("khac", "Người khác", ("khác",)),
))

GENDERS = CodeList("genders", (
    Term("nam", "Nam"),
    Term("nu", "Nữ"),
    Term("khac", "Khác"),
))

# Điều 27 khoản 2 Luật Trợ giúp pháp lý 11/2017/QH14: the forms of legal aid.
LEGAL_AID_FORMS = CodeList("legal_aid_forms", (
    Term("tham_gia_to_tung", "Tham gia tố tụng"),
    Term("tu_van_phap_luat", "Tư vấn pháp luật"),
    Term("dai_dien_ngoai_to_tung", "Đại diện ngoài tố tụng"),
))

# How a case ended: Điều 10 Thông tư 12/2018/TT-BTP (done; not continued under khoản 1 Điều 37
# Luật 11/2017/QH14, whose three cases are listed; stopped by law), and "other".
OUTCOMES = CodeList("outcomes", (
    Term("hoan_thanh", "Đã thực hiện xong yêu cầu trợ giúp pháp lý"),
    Term("rut_yeu_cau", "Không tiếp tục: người được trợ giúp pháp lý rút yêu cầu"),
    Term("tu_choi_khoan_3_dieu_30",
         "Không tiếp tục: phải từ chối theo khoản 3 Điều 30 Luật Trợ giúp pháp lý"),
    Term("vi_pham_khoan_2_dieu_6", "Không tiếp tục: người được trợ giúp pháp lý vi phạm khoản 2 Điều 6"),
    Term("dinh_chi", "Bị đình chỉ theo quy định của pháp luật"),
    Term("khac", "Kết quả khác"),
))


# ---------- provinces (34 units from 1 July 2025, Nghị quyết 202/2025/QH15) ----------


@dataclass(frozen=True)
class Province:
    name: str  # the canonical name stored on a case
    city: bool  # a centrally-run city (thành phố trực thuộc trung ương)
    aliases: tuple[str, ...] = ()  # short names, spellings and the provinces merged into it

    @property
    def official(self) -> str:
        if self.name.startswith("Thành phố"):
            return self.name
        return f"{'Thành phố' if self.city else 'Tỉnh'} {self.name}"


PROVINCES: tuple[Province, ...] = (
    Province("Hà Nội", True, ("hn", "ha noi", "hanoi", "thu do")),
    Province("Huế", True, ("thua thien hue", "tt hue", "hue")),
    Province("Lai Châu", False),
    Province("Điện Biên", False),
    Province("Sơn La", False),
    Province("Lạng Sơn", False),
    Province("Quảng Ninh", False),
    Province("Thanh Hóa", False),
    Province("Nghệ An", False),
    Province("Hà Tĩnh", False),
    Province("Cao Bằng", False),
    Province("Tuyên Quang", False, ("Hà Giang",)),
    Province("Lào Cai", False, ("Yên Bái",)),
    Province("Thái Nguyên", False, ("Bắc Kạn", "Bắc Cạn")),
    Province("Phú Thọ", False, ("Vĩnh Phúc", "Hòa Bình")),
    Province("Bắc Ninh", False, ("Bắc Giang",)),
    Province("Hưng Yên", False, ("Thái Bình",)),
    Province("Hải Phòng", True, ("Hải Dương", "hp")),
    Province("Ninh Bình", False, ("Hà Nam", "Nam Định")),
    Province("Quảng Trị", False, ("Quảng Bình",)),
    Province("Đà Nẵng", True, ("Quảng Nam", "dn")),
    Province("Quảng Ngãi", False, ("Kon Tum",)),
    Province("Gia Lai", False, ("Bình Định",)),
    Province("Khánh Hòa", False, ("Ninh Thuận",)),
    Province("Lâm Đồng", False, ("Đắk Nông", "Đăk Nông", "Bình Thuận")),
    Province("Đắk Lắk", False, ("Đăk Lăk", "Dak Lak", "Daklak", "Phú Yên")),
    Province("Thành phố Hồ Chí Minh", True, (
        "Hồ Chí Minh", "hcm", "tphcm", "hcmc", "sài gòn", "saigon", "sg", "Bình Dương",
        "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "brvt", "Vũng Tàu",
    )),
    Province("Đồng Nai", False, ("Bình Phước",)),
    Province("Tây Ninh", False, ("Long An",)),
    Province("Cần Thơ", True, ("Sóc Trăng", "Hậu Giang")),
    Province("Vĩnh Long", False, ("Bến Tre", "Trà Vinh")),
    Province("Đồng Tháp", False, ("Tiền Giang",)),
    Province("Cà Mau", False, ("Bạc Liêu",)),
    Province("An Giang", False, ("Kiên Giang",)),
)
PROVINCE_NAMES: tuple[str, ...] = tuple(p.name for p in PROVINCES)
CENTRAL_CITIES: tuple[str, ...] = tuple(p.name for p in PROVINCES if p.city)

_PROVINCE_PREFIXES = ("thanhpho", "tinh", "tp")
# Words people put around the name: "o lao cai a", "tinh em la gia lai", "que toi o ..."
_FILLER = frozenset({
    "o", "tai", "la", "que", "toi", "em", "minh", "chau", "nha", "ben", "thuoc", "song", "a", "ah",
    "nhe", "oi", "tinh", "thanh", "pho", "tp", "ad", "cua", "dang", "hien", "gio",
})
_SHORT_NAMES = frozenset({"hn", "sg"})  # two-letter names understood inside a sentence
# Words right before a province in running text: "ở Lào Cai", "tỉnh lai châu", "quê Thái Bình".
_PROVINCE_CUES = frozenset({"tinh", "tp", "pho", "o", "tai", "que", "thuoc", "ve"})


def _province_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for province in PROVINCES:
        for variant in (province.name, province.official, *province.aliases):
            index.setdefault(_key(variant), province.name)
    return index


_PROVINCE_INDEX = _province_index()


def _lookup_province(key: str) -> str | None:
    if not key:
        return None
    if key in _PROVINCE_INDEX:
        return _PROVINCE_INDEX[key]
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix) and key[len(prefix):] in _PROVINCE_INDEX:
            return _PROVINCE_INDEX[key[len(prefix):]]
    return None


def match_province(text: str | None) -> str | None:
    """The canonical name of the province-level unit *text* is (no diacritics, "tỉnh"/"TP."
    prefixes, short names and the provinces merged in 2025 accepted), or None."""
    return _lookup_province(_key(text)) if text else None


def find_province(text: str | None, *, as_names: bool = False) -> str | None:
    """A province named in *text*: the whole text, then the words left once filler ("ở", "tỉnh",
    "ạ") is dropped, then every run of 1–5 consecutive words (longest first).

    *as_names* is for a story (the hotline's notes of a call): a run of several words counts only
    when written as a name (each word capitalised) or right after "ở", "tỉnh", "tại", "quê"…, so
    that "anh Sơn là hàng xóm" names no province."""
    if not text:
        return None
    found = match_province(text)
    if found:
        return found
    written = [w for w in nfc(text).replace("-", " ").split() if _NON_ALNUM.sub("", fold(w))]
    words = [_NON_ALNUM.sub("", fold(w)) for w in written]
    found = _lookup_province("".join(w for w in words if w not in _FILLER))
    if found:
        return found
    for size in range(min(5, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            window = words[start:start + size]
            if size == 1 and len(window[0]) < 3 and window[0] not in _SHORT_NAMES:
                continue
            if as_names and size > 1 and not (start and words[start - 1] in _PROVINCE_CUES) and not all(
                _is_name(w) for w in written[start:start + size]
            ):
                continue
            found = _lookup_province("".join(window))
            if found:
                return found
    return None


def _is_name(word: str) -> bool:
    """Written as (part of) a name: a capital first letter, or digits."""
    letters = word.lstrip("(\"'“‘")
    return letters[:1].isupper() or letters.isdigit()


_UNKNOWN_COMMUNE = frozenset({
    "khong ro", "khong biet", "khong nho", "chua ro", "khong", "ko biet", "k biet", "",
})


def clean_commune(text: str | None) -> str | None:
    """A commune as typed (NFC, single spaces, ≤ 200 characters), None for "không rõ"."""
    cleaned = " ".join(nfc(text or "").split())[:200]
    folded = " ".join(re.findall(r"\w+", fold(cleaned)))
    return None if folded in _UNKNOWN_COMMUNE else cleaned


# ---------- phone numbers ----------


class PhoneError(ValueError):
    pass


PHONE_ERROR = "Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678."
_PHONE_JUNK = re.compile(r"[\s.\-()/]")
_PHONE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+84|0084|84|0)(?:[ .\-]?\d){8,10}(?!\d)")


def normalize_phone(raw: str | None) -> str:
    """A Vietnamese phone number in +84 form: "0912 345 678" → "+84912345678".

    Accepts 0…, 84…, +84…, 0084… with spaces, dots, dashes, slashes or brackets, and the
    "+84 0912…" people often write. Mobile numbers have 9 digits after the country code and
    start with 3, 5, 7, 8 or 9; landlines have 10 and start with 2. Anything else: PhoneError.
    """
    text = _PHONE_JUNK.sub("", nfc(raw or "").strip())
    if text.startswith("+84"):
        national = text[3:]
    elif text.startswith("0084"):
        national = text[4:]
    elif text.startswith("84") and len(text) in (11, 12):
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    else:
        raise PhoneError(PHONE_ERROR)
    national = national.removeprefix("0")
    mobile = len(national) == 9 and national[:1] in ("3", "5", "7", "8", "9")
    landline = len(national) == 10 and national[:1] == "2"
    if not national.isdigit() or not (mobile or landline):
        raise PhoneError(PHONE_ERROR)
    return f"+84{national}"


def parse_phone(raw: str | None) -> str | None:
    """normalize_phone, or None when *raw* is not a phone number."""
    try:
        return normalize_phone(raw)
    except PhoneError:
        return None


def find_phone(text: str | None) -> str | None:
    """The first phone number in *text* ("so cua em la 0912 345 678 a"), in +84 form, or None."""
    whole = parse_phone(text)
    if whole:
        return whole
    for match in _PHONE_IN_TEXT.finditer(nfc(text or "")):
        phone = parse_phone(match.group())
        if phone:
            return phone
    return None


def local_phone(phone: str) -> str:
    """"+84912345678" → "0912345678", the form people read."""
    return "0" + phone[3:] if phone.startswith("+84") else phone


def spaced_phone(phone: str) -> str:
    """"+84912345678" → "0912 345 678": readable, and the spaces keep Excel from dropping the 0."""
    local = local_phone(phone)
    if len(local) == 10:
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    if len(local) == 11:
        return f"{local[:3]} {local[3:7]} {local[7:]}"
    return local


def mask_phone(phone: str | None) -> str | None:
    """"+84912345667" → "091*******": the first 3 digits of the local form (the network or area
    code), never any of the last 4, which are the secret of the citizens' status lookup."""
    if not phone:
        return phone
    local = local_phone(phone)
    shown = max(0, min(3, len(local) - 7))
    return local[:shown] + "*" * (len(local) - shown)


def mask_name(name: str | None) -> str | None:
    """Keep the family name, then only initials: "Nguyễn Văn An" → "Nguyễn V** A**"."""
    if not name:
        return name
    words = nfc(name).split()
    if len(words) == 1:
        return words[0][0] + "**"
    return " ".join([words[0], *(w[0] + "**" for w in words[1:])])


# ---------- everything, for the pages ----------

LISTS: dict[str, CodeList] = {
    cl.name: cl
    for cl in (CHANNELS, TOPICS, GROUPS, RELATIONS, GENDERS, LEGAL_AID_FORMS, OUTCOMES, CARD_TOPICS)
}


def vocabulary_json() -> dict[str, object]:
    """Every code list as [{code, label}] in display order (groups also with their clause of
    Điều 7, e.g. "điểm c khoản 7 Điều 7"; None for the near-poor household), the provinces and the
    code format: what `GET /api/v1/vocabulary` serves, so that no page keeps a list of its own."""
    lists: dict[str, object] = {
        name: [{"code": t.code, "label": t.label} for t in cl.terms] for name, cl in LISTS.items()
    }
    lists["groups"] = [
        {"code": t.code, "label": t.label, "clause": group_clause(t.code)} for t in GROUPS.terms
    ]
    lists["provinces"] = [{"code": p.name, "label": p.name} for p in PROVINCES]
    lists["case_code_example"] = EXAMPLE
    return lists
