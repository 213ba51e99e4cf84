"""The legal matters people bring to a legal-aid centre, by card topic: the field of law in plain
Vietnamese and whether grassroots mediation can settle it (pure data, one source for the answers).

An answer on such a matter (issue 12, item 3) says which field it is, whether the person is likely
entitled to free legal aid for it (Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14: the groups of people,
whatever the field, except business and commerce, Điều 27) and whether the free grassroots mediation
can help (Điều 3 Luật Hòa giải ở cơ sở 35/2013/QH13: disputes and conflicts in the community, except
those harming the State or the public, those the civil procedure law does not allow to mediate, and
violations that must be punished under criminal or administrative law).

>>> MATTERS["inheritance"].field
'thừa kế (dân sự)'
>>> "hòa giải ở cơ sở" in closing_line("land_mediation")
True
>>> closing_line("legal_aid_eligibility") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MATTERS", "Matter", "closing_line"]


@dataclass(frozen=True)
class Matter:
    field: str  # the field of law, as a citizen would name it
    mediation: bool  # grassroots mediation (hòa giải ở cơ sở) can help with the quarrel itself


MATTERS: dict[str, Matter] = {
    "inheritance": Matter("thừa kế (dân sự)", True),
    "divorce": Matter("hôn nhân và gia đình", True),
    "child_custody_support": Matter("hôn nhân và gia đình", True),
    "domestic_violence": Matter("hôn nhân và gia đình", False),
    "land_mediation": Matter("đất đai", True),
    "labour": Matter("lao động", False),
    "social_allowance": Matter("chính sách trợ giúp xã hội", False),
    "health_insurance": Matter("bảo hiểm y tế", False),
    "school_fees": Matter("chính sách giáo dục", False),
    "civil_registration": Matter("hộ tịch, cư trú", False),
    "language_interpreter": Matter("tố tụng tại Tòa án", False),
    "civil_enforcement": Matter("thi hành án dân sự", False),
}

LEGAL_AID = ("Nếu bạn thuộc hộ nghèo, cận nghèo hoặc một diện khác của Điều 7 Luật Trợ giúp pháp lý "
             "11/2017/QH14, bạn được trợ giúp pháp lý miễn phí cho việc này.")
MEDIATION = ("Mâu thuẫn trong gia đình, với hàng xóm có thể nhờ tổ hòa giải ở cơ sở ở thôn, tổ dân phố "
             "giúp, miễn phí: Nhà nước chi thù lao cho hòa giải viên (Điều 3, Điều 6 Luật Hòa giải ở cơ sở "
             "35/2013/QH13).")


def closing_line(topic: str | None, entitled: str | None = None, *, legal_aid: bool = True) -> str | None:
    """The last lines of an answer on a legal matter: its field, free legal aid, mediation.

    *entitled*: the person's own result when their facts settle it ("Bạn thuộc hộ nghèo nên được
    trợ giúp pháp lý miễn phí (khoản 2 Điều 7 …)"), said instead of the general sentence.
    *legal_aid* False leaves legal aid out (the answer has said it already); then a matter that
    mediation does not help with has no closing line.
    None for topics that are not such a matter (legal aid itself, mediation, the poverty standard).
    """
    matter = MATTERS.get(topic or "")
    if matter is None:
        return None
    parts = [f"Đây là việc về {matter.field}."]
    if legal_aid:
        parts.append(entitled or LEGAL_AID)
    if matter.mediation:
        parts.append(MEDIATION)
    return " ".join(parts) if len(parts) > 1 else None
