"""Case `eligibility_group` codes, one per route of knowledge.rules.eligibility (Điều 7 Luật TGPL).

Pure and standard library only: used by the api (operator console) and by the bot's intake form.

>>> group_code("7c")
'khoan_7c_nguoi_cao_tuoi'
>>> group_label("khoan_2_ho_ngheo")
'Khoản 2 — Người thuộc hộ nghèo'
>>> group_code("9") is None
True
>>> group_label(NEAR_POOR_CODE)
'Hộ cận nghèo (chưa đủ một mình: Trung tâm xem khoản 6, khoản 7 Điều 7)'
>>> [title for title, _ in intake_group_options(date(2026, 12, 2))][:3]
['Hộ nghèo', 'Hộ cận nghèo', 'Người có công với cách mạng']
"""

from __future__ import annotations

from datetime import date

__all__ = ["GROUPS", "NEAR_POOR_CODE", "UNKNOWN_CODE", "group_code", "group_label", "intake_group_options"]

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
# Not a route of Điều 7 on its own (it helps only with khoản 6 or a group of khoản 7), but what many
# people know about themselves: the intake offers it and the centre decides.
NEAR_POOR_CODE = "ho_can_ngheo"
UNKNOWN_CODE = "khong_ro"
_EXTRA_LABELS = {
    NEAR_POOR_CODE: "Hộ cận nghèo (chưa đủ một mình: Trung tâm xem khoản 6, khoản 7 Điều 7)",
}
_LABEL_OF_CODE = dict(GROUPS.values()) | _EXTRA_LABELS
# Button titles of the intake form, in the order people recognise themselves (route → title).
_INTAKE_TITLES: tuple[tuple[str, str], ...] = (
    ("2", "Hộ nghèo"),
    ("cn", "Hộ cận nghèo"),
    ("1", "Người có công với cách mạng"),
    ("3", "Trẻ em (dưới 16 tuổi)"),
    ("4", "Dân tộc thiểu số ở vùng đặc biệt khó khăn"),
    ("7c", "Người cao tuổi (từ 60 tuổi)"),
    ("7d", "Người khuyết tật"),
    ("7e", "Nạn nhân bạo lực gia đình"),
    ("5", "Bị buộc tội, từ 16 đến dưới 18 tuổi"),
    ("6", "Bị buộc tội, thuộc hộ cận nghèo"),
    ("6a", "Nạn nhân mua bán người"),
    ("7g", "Nạn nhân mua bán người"),
    ("7a", "Thân nhân liệt sĩ, người nuôi liệt sĩ khi nhỏ"),
    ("7b", "Nhiễm chất độc da cam"),
    ("7đ", "Bị hại 16 đến dưới 18 tuổi"),
    ("7h", "Người nhiễm HIV"),
)


def group_code(route: str) -> str | None:
    entry = GROUPS.get(route)
    return entry[0] if entry else None


def group_label(code: str | None) -> str | None:
    return _LABEL_OF_CODE.get(code or "")


def intake_group_options(on_date: date, in_force: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """(button title, group code) for every route of Điều 7 in force on *on_date*, the near-poor
    household and "Không rõ": every route can be chosen, none needs "Không rõ"."""
    if in_force is None:
        from knowledge.rules.eligibility import routes_on

        in_force = frozenset(route.id for route in routes_on(on_date))
    options = []
    for route, title in _INTAKE_TITLES:
        if route == "cn":
            options.append((title, NEAR_POOR_CODE))
        elif route in in_force:
            options.append((title, GROUPS[route][0]))
    return [*options, ("Không rõ", UNKNOWN_CODE)]
