"""Case `eligibility_group` codes, one per route of knowledge.rules.eligibility (Điều 7 Luật TGPL).

The codes, labels and intake titles are defined once in `knowledge.vocabulary`; this module keeps
the route-based helpers of the rule engine (pure, standard library only).

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

from knowledge.vocabulary import GROUP_BY_CODE, INTAKE_GROUP_ORDER, ROUTE_GROUPS, UNKNOWN_GROUP
from knowledge.vocabulary import GROUPS as VOCABULARY_GROUPS
from knowledge.vocabulary import NEAR_POOR_CODE as VOCABULARY_NEAR_POOR

__all__ = ["GROUPS", "NEAR_POOR_CODE", "UNKNOWN_CODE", "group_code", "group_label", "intake_group_options"]

# route → (code stored on the case, label the operator reads): from the one vocabulary.
GROUPS: dict[str, tuple[str, str]] = {route: (g.code, g.label) for route, g in ROUTE_GROUPS.items()}
NEAR_POOR_CODE = VOCABULARY_NEAR_POOR
UNKNOWN_CODE = UNKNOWN_GROUP
_LABEL_OF_CODE = VOCABULARY_GROUPS.labels()


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
    for route in INTAKE_GROUP_ORDER:
        if not route or route in in_force:
            group = ROUTE_GROUPS[route] if route else GROUP_BY_CODE[NEAR_POOR_CODE]
            options.append((group.title, group.code))
    return [*options, ("Không rõ", UNKNOWN_CODE)]
