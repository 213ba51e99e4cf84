"""Case `eligibility_group` codes, one per route of knowledge.rules.eligibility (Điều 7 Luật TGPL).

Pure and standard library only: used by the api (operator console) and by the bot's intake form.

>>> group_code("7c")
'khoan_7c_nguoi_cao_tuoi'
>>> group_label("khoan_2_ho_ngheo")
'Khoản 2 — Người thuộc hộ nghèo'
>>> group_code("9") is None
True
"""

from __future__ import annotations

__all__ = ["GROUPS", "group_code", "group_label"]

# route → (code stored on the case, label the operator reads)
GROUPS: dict[str, tuple[str, str]] = {
    "1": ("khoan_1_nguoi_co_cong", "Khoản 1 — Người có công với cách mạng"),
    "2": ("khoan_2_ho_ngheo", "Khoản 2 — Người thuộc hộ nghèo"),
    "3": ("khoan_3_tre_em", "Khoản 3 — Trẻ em"),
    "4": ("khoan_4_dan_toc_thieu_so", "Khoản 4 — Người dân tộc thiểu số ở vùng đặc biệt khó khăn"),
    "5": ("khoan_5_bi_buoc_toi_16_18", "Khoản 5 — Người bị buộc tội từ đủ 16 đến dưới 18 tuổi"),
    "6": ("khoan_6_bi_buoc_toi_can_ngheo", "Khoản 6 — Người bị buộc tội thuộc hộ cận nghèo"),
    "6a": ("khoan_6a_nan_nhan_mua_ban_nguoi", "Khoản 6a — Nạn nhân mua bán người (từ 01/7/2025)"),
    "7a": ("khoan_7a_than_nhan_liet_si", "Điểm a khoản 7 — Thân nhân liệt sĩ"),
    "7b": ("khoan_7b_chat_doc_da_cam", "Điểm b khoản 7 — Người nhiễm chất độc da cam"),
    "7c": ("khoan_7c_nguoi_cao_tuoi", "Điểm c khoản 7 — Người cao tuổi"),
    "7d": ("khoan_7d_nguoi_khuyet_tat", "Điểm d khoản 7 — Người khuyết tật"),
    "7đ": ("khoan_7dd_bi_hai_16_18", "Điểm đ khoản 7 — Bị hại từ đủ 16 đến dưới 18 tuổi"),
    "7e": ("khoan_7e_bao_luc_gia_dinh", "Điểm e khoản 7 — Nạn nhân bạo lực gia đình"),
    "7g": ("khoan_7g_mua_ban_nguoi", "Điểm g khoản 7 — Nạn nhân mua bán người (đến 30/6/2025)"),
    "7h": ("khoan_7h_hiv", "Điểm h khoản 7 — Người nhiễm HIV"),
}
_LABEL_OF_CODE = dict(GROUPS.values())


def group_code(route: str) -> str | None:
    entry = GROUPS.get(route)
    return entry[0] if entry else None


def group_label(code: str | None) -> str | None:
    return _LABEL_OF_CODE.get(code or "")
