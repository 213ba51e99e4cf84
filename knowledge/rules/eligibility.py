"""Who gets free legal aid: Điều 7, Điều 27 and Điều 30 Luật Trợ giúp pháp lý số 11/2017/QH14,
with the financial-difficulty condition of Điều 2 Nghị định số 144/2017/NĐ-CP.

Text checked in ``/work/shared/corpus/phapdien/tro-giup-phap-ly.md``:

* Điều 7: 1. Người có công với cách mạng. 2. Người thuộc hộ nghèo. 3. Trẻ em. 4. Người dân tộc
  thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn. 5. Người bị buộc tội từ
  đủ 16 tuổi đến dưới 18 tuổi. 6. Người bị buộc tội thuộc hộ cận nghèo. 7. Người thuộc một trong
  các trường hợp sau đây có khó khăn về tài chính: a) cha đẻ, mẹ đẻ, vợ, chồng, con của liệt sĩ và
  người có công nuôi dưỡng khi liệt sĩ còn nhỏ; b) người nhiễm chất độc da cam; c) người cao
  tuổi; d) người khuyết tật; đ) người từ đủ 16 tuổi đến dưới 18 tuổi là bị hại trong vụ án hình
  sự; e) nạn nhân trong vụ việc bạo lực gia đình; g) nạn nhân của hành vi mua bán người theo quy
  định của Luật Phòng, chống mua bán người; h) người nhiễm HIV.
* NĐ 144/2017 Điều 2: khó khăn về tài chính (khoản 7) = người thuộc hộ cận nghèo hoặc người đang
  hưởng trợ cấp xã hội hàng tháng. Near-poor status therefore helps only khoản 7 groups, and
  accused persons through khoản 6.
* Điều 27 khoản 1: mọi lĩnh vực pháp luật, trừ lĩnh vực kinh doanh, thương mại.
* Điều 30 khoản 1: chỉ thụ lý khi có vụ việc cụ thể liên quan trực tiếp đến quyền và lợi ích hợp
  pháp của người được trợ giúp pháp lý.
* Trẻ em là người dưới 16 tuổi (Điều 1 Luật Trẻ em 102/2016/QH13); người cao tuổi là công dân
  Việt Nam từ đủ 60 tuổi trở lên (Điều 2 Luật Người cao tuổi 39/2009/QH12).

>>> result = assess(EligibilityFacts(poor_household=True))
>>> result.status is Status.ELIGIBLE
True
>>> result.explanation.startswith("Bạn thuộc diện được trợ giúp pháp lý theo khoản 2 Điều 7 Luật")
True
>>> assess(EligibilityFacts(near_poor_household=True)).status is Status.NEED_MORE_INFO
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from knowledge.rules.amendments import AmendmentRegistry, Provision, default_registry
from knowledge.rules.citations import (
    CHILDREN_LAW_ARTICLE_1,
    ELDERLY_LAW_ARTICLE_2,
    GRASSROOTS_MEDIATION_LAW,
    LEGAL_CONSULTATION_DECREE_ARTICLE_10,
    TGPL_ARTICLE_7,
    TGPL_ARTICLE_27,
    TGPL_ARTICLE_30,
    TGPL_DECREE_144_ARTICLE_2,
    TRAFFICKING_LAW_2024,
    Citation,
)
from knowledge.rules.extract import facts_from_text
from knowledge.rules.facts import (
    BUSINESS_FIELD,
    FACT_LABELS,
    EligibilityFacts,
    age_flags,
    tri_and,
    tri_or,
)
from knowledge.rules.questions import GROUP_OPTIONS, Option, Question, apply_answer, next_question
from knowledge.rules.result import ClauseMatch, EligibilityResult, OtherHelp, Refusal, Status

__all__ = [
    "GATE_FACTS",
    "GROUP_OPTIONS",
    "OTHER_HELP",
    "ROUTES",
    "ClauseMatch",
    "EligibilityFacts",
    "EligibilityResult",
    "Option",
    "OtherHelp",
    "Question",
    "Refusal",
    "Route",
    "Status",
    "apply_answer",
    "assess",
    "conditions",
    "facts_from_text",
    "next_question",
    "routes_on",
]


@dataclass(frozen=True)
class Route:
    """One way to qualify under Điều 7: every condition must hold.

    ``weight`` is an editorial estimate of how often the route applies to people who call, used
    only to order the questions (it is not law).
    """

    id: str
    clause: str
    point: str | None
    conditions: tuple[str, ...]
    group: str  # who, as the law names them: "Người cao tuổi (từ đủ 60 tuổi)"
    reason: str  # after "vì bạn ...": "là người cao tuổi (từ đủ 60 tuổi)"
    weight: int
    supporting: tuple[Citation, ...] = ()

    @property
    def financial(self) -> bool:
        return "financial_difficulty" in self.conditions

    @property
    def citation(self) -> Citation:
        return TGPL_ARTICLE_7.at(clause=self.clause, point=self.point)

    @property
    def provision(self) -> Provision:
        """The provision in the amendment registry's terms (to ask whether it is in force)."""
        return Provision(TGPL_ARTICLE_7.document, TGPL_ARTICLE_7.article, self.clause, self.point)


_FIN = "financial_difficulty"
# Clauses whose number carries a letter ("6a", added in 2025); any other "7a" is khoản 7 điểm a.
_LETTERED_CLAUSES = frozenset({"6a"})


def _route(
    id: str, conditions: tuple[str, ...], group: str, reason: str, weight: int, *supporting: Citation
) -> Route:
    clause, point = (id, None) if id in _LETTERED_CLAUSES else (id[0], id[1:] or None)
    return Route(id, clause, point, conditions, group, reason, weight, supporting)


ROUTES: tuple[Route, ...] = (
    _route("1", ("revolutionary_merit",), "Người có công với cách mạng", "là người có công với cách mạng", 4),
    _route("2", ("poor_household",), "Người thuộc hộ nghèo", "thuộc hộ nghèo", 10),
    _route(
        "3", ("child",), "Trẻ em", "là trẻ em (người dưới 16 tuổi)", 5, CHILDREN_LAW_ARTICLE_1
    ),
    _route(
        "4", ("ethnic_minority", "lives_in_disadvantaged_area"),
        "Người dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn",
        "là người dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn", 5,
    ),
    _route(
        "5", ("accused", "minor_16_18"), "Người bị buộc tội từ đủ 16 tuổi đến dưới 18 tuổi",
        "là người bị buộc tội từ đủ 16 tuổi đến dưới 18 tuổi", 3,
    ),
    _route(
        "6", ("accused", "near_poor_household"), "Người bị buộc tội thuộc hộ cận nghèo",
        "là người bị buộc tội thuộc hộ cận nghèo", 3,
    ),
    # Added by Luật Phòng, chống mua bán người 53/2024/QH15 from 01/7/2025 (knowledge/data/amendments.yml),
    # replacing điểm g khoản 7: no financial condition.
    _route(
        "6a", ("trafficking_victim",),
        "Nạn nhân, người đang trong quá trình xác định là nạn nhân của hành vi mua bán người và người "
        "dưới 18 tuổi đi cùng",
        "là nạn nhân (hoặc người đang được xác định là nạn nhân) của hành vi mua bán người", 1,
        TRAFFICKING_LAW_2024,
    ),
    _route(
        "7a", ("martyr_relative", _FIN),
        "Cha đẻ, mẹ đẻ, vợ, chồng, con của liệt sĩ và người có công nuôi dưỡng khi liệt sĩ còn nhỏ",
        "là cha đẻ, mẹ đẻ, vợ, chồng, con của liệt sĩ hoặc người có công nuôi dưỡng khi liệt sĩ còn nhỏ",
        2,
    ),
    _route("7b", ("agent_orange", _FIN), "Người nhiễm chất độc da cam", "là người nhiễm chất độc da cam", 1),
    _route(
        "7c", ("elderly", _FIN), "Người cao tuổi (từ đủ 60 tuổi)", "là người cao tuổi (từ đủ 60 tuổi)", 6,
        ELDERLY_LAW_ARTICLE_2,
    ),
    _route("7d", ("disability", _FIN), "Người khuyết tật", "là người khuyết tật", 5),
    _route(
        "7đ", ("victim_in_criminal_case", "minor_16_18", _FIN),
        "Người từ đủ 16 tuổi đến dưới 18 tuổi là bị hại trong vụ án hình sự",
        "là người từ đủ 16 tuổi đến dưới 18 tuổi là bị hại trong vụ án hình sự", 2,
    ),
    _route(
        "7e", ("domestic_violence_victim", _FIN), "Nạn nhân trong vụ việc bạo lực gia đình",
        "là nạn nhân trong vụ việc bạo lực gia đình", 4,
    ),
    _route(
        "7g", ("trafficking_victim", _FIN), "Nạn nhân của hành vi mua bán người",
        "là nạn nhân của hành vi mua bán người", 1,
    ),
    _route("7h", ("hiv", _FIN), "Người nhiễm HIV", "là người nhiễm HIV", 1),
)

# Conditions that are answered by asking another fact.
_ASK_FOR: dict[str, tuple[str, ...]] = {
    "child": ("age",),
    "minor_16_18": ("age",),
    "elderly": ("age",),
    _FIN: ("near_poor_household", "monthly_social_allowance"),
}
# Fixed tie-break order of facts (most common first).
_FACT_ORDER = (
    "poor_household", "near_poor_household", "monthly_social_allowance", "age", "accused",
    "disability", "domestic_violence_victim", "revolutionary_merit", "ethnic_minority",
    "lives_in_disadvantaged_area", "victim_in_criminal_case", "martyr_relative", "agent_orange",
    "trafficking_victim", "hiv",
)
# Conditions on the matter rather than the person, asked last.
GATE_FACTS = ("field", "concrete_matter_directly_concerning")


def conditions(facts: EligibilityFacts) -> dict[str, bool | None]:
    """Three-valued value of every condition used by :data:`ROUTES`.

    Hộ nghèo and hộ cận nghèo exclude each other; "financial_difficulty" is NĐ 144 Điều 2.
    """
    child, minor, elderly = age_flags(facts)
    poor, near = facts.poor_household, facts.near_poor_household
    if poor is None and near is True:
        poor = False
    if near is None and poor is True:
        near = False
    return {
        "revolutionary_merit": facts.revolutionary_merit,
        "poor_household": poor,
        "near_poor_household": near,
        "child": child,
        "minor_16_18": minor,
        "elderly": elderly,
        "ethnic_minority": facts.ethnic_minority,
        "lives_in_disadvantaged_area": facts.lives_in_disadvantaged_area,
        "accused": facts.accused,
        "victim_in_criminal_case": facts.victim_in_criminal_case,
        "martyr_relative": facts.martyr_relative,
        "agent_orange": facts.agent_orange,
        "disability": facts.disability,
        "domestic_violence_victim": facts.domestic_violence_victim,
        "trafficking_victim": facts.trafficking_victim,
        "hiv": facts.hiv,
        _FIN: tri_or(near, facts.monthly_social_allowance),
    }


OTHER_HELP: tuple[OtherHelp, ...] = (
    OtherHelp(
        "Tư vấn pháp luật",
        "Bạn vẫn có thể hỏi chúng tôi để hiểu quy định pháp luật, hoặc hỏi một Trung tâm tư vấn "
        "pháp luật. Nhà nước khuyến khích các trung tâm này tư vấn miễn phí cho người nghèo và người "
        "được hưởng chính sách ưu đãi.",
        LEGAL_CONSULTATION_DECREE_ARTICLE_10,
    ),
    OtherHelp(
        "Hòa giải ở cơ sở",
        "Nếu là mâu thuẫn, tranh chấp với hàng xóm, người trong gia đình hay người quen, bạn có thể "
        "nhờ tổ hòa giải ở thôn, tổ dân phố giúp các bên tự thỏa thuận với nhau.",
        GRASSROOTS_MEDIATION_LAW,
    ),
)


def _route_value(route: Route, values: dict[str, bool | None], facts: EligibilityFacts) -> bool | None:
    if route.id in facts.ruled_out:
        return False
    return tri_and(*(values[c] for c in route.conditions))


def _match(route: Route, values: dict[str, bool | None], facts: EligibilityFacts) -> ClauseMatch:
    reason = route.reason
    citations: list[Citation] = [route.citation, *route.supporting]
    if route.financial:
        basis = []
        if values["near_poor_household"] is True:
            basis.append("thuộc hộ cận nghèo")
        if facts.monthly_social_allowance is True:
            basis.append("đang hưởng trợ cấp xã hội hằng tháng")
        reason += f" và có khó khăn về tài chính ({' và '.join(basis)})"
        citations.append(TGPL_DECREE_144_ARTICLE_2)
    return ClauseMatch(route.id, route.clause, route.point, tuple(citations), reason)


_OTHER_UNKNOWN = 0.25
_KNOWN_TRUE_BOOST = 2


def _missing(open_routes: list[Route], values: dict[str, bool | None], facts: EligibilityFacts) -> list[str]:
    """Unknown facts of the still-open routes, the most likely to decide first.

    Editorial heuristic, not law: each open route adds to the score of each of its unknown facts
    ``weight × 0.25^(other unknown conditions) × (1 + 2 × conditions already true)``, so a fact
    that completes a route on its own ("người dân tộc thiểu số" → is the area đặc biệt khó khăn?)
    comes before facts that would still need something else.
    """
    fact_values = {**values, "age": None, "monthly_social_allowance": facts.monthly_social_allowance}
    scores: dict[str, float] = {}
    for route in open_routes:
        unknown = [c for c in route.conditions if values[c] is None]
        known_true = len(route.conditions) - len(unknown)
        score = _OTHER_UNKNOWN ** (len(unknown) - 1) * (1 + _KNOWN_TRUE_BOOST * known_true)
        for condition in unknown:
            for fact in _ASK_FOR.get(condition, (condition,)):
                if fact_values[fact] is not None:
                    continue
                scores[fact] = scores.get(fact, 0.0) + route.weight * score
    return sorted(scores, key=lambda f: (-scores[f], _FACT_ORDER.index(f)))


def _who(facts: EligibilityFacts) -> str:
    return f"{facts.subject} của bạn" if facts.subject else "bạn"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _eligible_text(matches: list[ClauseMatch], facts: EligibilityFacts) -> str:
    who = _who(facts)
    first, *others = matches
    sentences = [
        f"{_cap(who)} thuộc diện được trợ giúp pháp lý theo {first.citations[0].label()} "
        f"vì {who} {first.reason}."
    ]
    for match in others:
        sentences.append(f"{_cap(who)} cũng thuộc diện theo {match.citations[0].label()} vì {match.reason}.")
    if any(TGPL_DECREE_144_ARTICLE_2 in m.citations for m in matches):
        sentences.append(
            "Theo Điều 2 Nghị định số 144/2017/NĐ-CP, người thuộc hộ cận nghèo hoặc đang hưởng trợ cấp "
            "xã hội hằng tháng là người có khó khăn về tài chính."
        )
    return " ".join(sentences)


def _gate_text(facts: EligibilityFacts) -> str:
    parts = []
    if facts.concrete_matter_directly_concerning is None:
        parts.append(
            "yêu cầu trợ giúp pháp lý chỉ được thụ lý khi có vụ việc cụ thể liên quan trực tiếp đến "
            f"quyền và lợi ích hợp pháp của {_who(facts)} ({TGPL_ARTICLE_30.label()})"
        )
    if facts.field is None:
        parts.append(
            "trợ giúp pháp lý không thực hiện trong lĩnh vực kinh doanh, thương mại "
            f"({TGPL_ARTICLE_27.label()})"
        )
    if not parts:
        return ""
    return "Lưu ý: " + "; ".join(parts) + "."


def _financial_note(route: Route) -> str:
    return (
        f"{route.group} được trợ giúp pháp lý theo "
        f"{route.citation.label()} khi có khó khăn về tài chính, tức là thuộc hộ cận nghèo hoặc đang "
        "hưởng trợ cấp xã hội hằng tháng (Điều 2 Nghị định số 144/2017/NĐ-CP)."
    )


_NEAR_POOR_NOTE = (
    "Người thuộc hộ cận nghèo chỉ được trợ giúp pháp lý khi là người bị buộc tội (khoản 6 Điều 7) "
    "hoặc khi thuộc một trong các nhóm ở khoản 7 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 "
    "(như người cao tuổi, người khuyết tật, nạn nhân bạo lực gia đình, người nhiễm HIV...); "
    "riêng việc thuộc hộ cận nghèo thì chưa đủ."
)


def _need_more_text(
    open_routes: list[Route], values: dict[str, bool | None], missing: list[str], facts: EligibilityFacts
) -> str:
    who = _who(facts)
    sentences = [f"Chưa đủ thông tin để biết {who} có thuộc diện được trợ giúp pháp lý miễn phí hay không."]
    # A group of khoản 7 is known but financial difficulty is not.
    for route in open_routes:
        if route.financial and values[_FIN] is None and all(
            values[c] is True for c in route.conditions if c != _FIN
        ):
            sentences.append(_financial_note(route))
            break
    if values["near_poor_household"] is True:
        sentences.append(_NEAR_POOR_NOTE)
    asks = [FACT_LABELS[f] for f in missing[:3] if f in FACT_LABELS]
    if asks:
        sentences.append(f"Cho chúng tôi biết thêm {who} " + "; ".join(asks) + ".")
    return " ".join(sentences)


_ALTERNATIVES = " Bạn vẫn có thể nhờ tư vấn pháp luật hoặc nhờ tổ hòa giải ở cơ sở giúp đỡ."


def _refusal_text(refusal: Refusal, matches: list[ClauseMatch], facts: EligibilityFacts) -> str:
    who = _who(facts)
    if refusal is Refusal.BUSINESS_FIELD:
        text = (
            "Rất tiếc, trợ giúp pháp lý được thực hiện trong các lĩnh vực pháp luật, trừ lĩnh vực kinh "
            f"doanh, thương mại ({TGPL_ARTICLE_27.label()}). Việc của {who} thuộc lĩnh vực kinh doanh, "
            "thương mại nên không được trợ giúp pháp lý miễn phí"
        )
        text += f", dù {who} {matches[0].reason}." if matches else "."
        return text + _ALTERNATIVES
    if refusal is Refusal.NO_CONCRETE_MATTER:
        return (
            "Yêu cầu trợ giúp pháp lý chỉ được thụ lý khi có vụ việc cụ thể liên quan trực tiếp đến "
            f"quyền và lợi ích hợp pháp của người được trợ giúp pháp lý ({TGPL_ARTICLE_30.label()}). "
            f"Hiện {who} chưa có vụ việc như vậy nên chưa thể yêu cầu trợ giúp pháp lý. Khi có việc cụ "
            "thể, bạn hãy quay lại; còn nếu chỉ muốn tìm hiểu pháp luật, bạn cứ hỏi chúng tôi."
        )
    text = (
        f"Rất tiếc, theo những gì bạn cho biết, {who} không thuộc các nhóm người được trợ giúp pháp lý "
        f"miễn phí quy định tại Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14."
    )
    if facts.near_poor_household is True:
        text += " " + _NEAR_POOR_NOTE
    return (
        text + _ALTERNATIVES
        + " Nếu hoàn cảnh của bạn thay đổi hoặc còn điều gì chưa kể, bạn hãy cho chúng tôi biết."
    )


def routes_on(on_date: date, registry: AmendmentRegistry | None = None) -> tuple[Route, ...]:
    """The routes of Điều 7 in force on *on_date*, by the amendment registry.

    >>> [r.id for r in routes_on(date(2025, 6, 30)) if "trafficking_victim" in r.conditions]
    ['7g']
    >>> [r.id for r in routes_on(date(2025, 7, 1)) if "trafficking_victim" in r.conditions]
    ['6a']
    """
    registry = registry or default_registry()
    return tuple(route for route in ROUTES if registry.in_force(route.provision, on_date))


# Luật Tư pháp người chưa thành niên (from 01/01/2026) widened legal aid for minors in criminal
# proceedings; its text is not in the corpus, so the result only says so (amendments.yml).
_MINOR_JUSTICE_AMENDMENT = "tgpl-d7-nguoi-chua-thanh-nien-2026"


def _notes(
    matches: list[ClauseMatch], facts: EligibilityFacts, on_date: date, registry: AmendmentRegistry
) -> tuple[str, ...]:
    """What the registry adds to this result: amended clauses it rests on, laws not in the corpus."""
    notes: list[str] = []
    by_id = {route.id: route for route in ROUTES}
    for match in matches:
        notes.extend(registry.status(by_id[match.route].provision, on_date).notes)
    child, minor, _ = age_flags(facts)
    criminal = facts.accused is True or facts.victim_in_criminal_case is True
    if criminal and (child is True or minor is True):
        amendment = next((a for a in registry.amendments if a.id == _MINOR_JUSTICE_AMENDMENT), None)
        if amendment is not None and amendment.effective <= on_date:
            notes.append(amendment.note)
    return tuple(dict.fromkeys(notes))


def assess(
    facts: EligibilityFacts, on_date: date | None = None, *, registry: AmendmentRegistry | None = None
) -> EligibilityResult:
    """Decide eligibility for free legal aid from what is known, under the law of *on_date*.

    *on_date* (today by default) selects the clauses in force by the amendment registry
    (``knowledge/data/amendments.yml``): e.g. trafficking victims qualify under khoản 6a without a
    financial condition from 01/7/2025, under điểm g khoản 7 (with it) before.

    Order of the checks: lĩnh vực kinh doanh, thương mại → NOT_ELIGIBLE (Điều 27), whatever the
    group; no concrete matter → NOT_ELIGIBLE (Điều 30); any clause of Điều 7 holds → ELIGIBLE
    (``missing`` then lists the unknown conditions on the matter); every clause is ruled out →
    NOT_ELIGIBLE; otherwise NEED_MORE_INFO with ``missing`` ordered by how likely each fact decides.

    >>> assess(EligibilityFacts(age=70, near_poor_household=True)).matches[0].point
    'c'
    >>> assess(EligibilityFacts(poor_household=True, field="kinh_doanh_thuong_mai")).status.value
    'not_eligible'
    >>> assess(EligibilityFacts(trafficking_victim=True), date(2026, 3, 1)).matches[0].clause
    '6a'
    >>> "near_poor_household" in assess(EligibilityFacts(trafficking_victim=True), date(2025, 6, 30)).missing
    True
    """
    on_date = on_date or date.today()
    registry = registry or default_registry()
    routes = routes_on(on_date, registry)
    values = conditions(facts)
    route_values = {route.id: _route_value(route, values, facts) for route in routes}
    matches = [_match(r, values, facts) for r in routes if route_values[r.id] is True]
    open_routes = [r for r in routes if route_values[r.id] is None]
    gates_unknown = [g for g in GATE_FACTS if getattr(facts, g) is None]
    notes = _notes(matches, facts, on_date, registry)

    refusal: Refusal | None = None
    if facts.field == BUSINESS_FIELD:
        refusal = Refusal.BUSINESS_FIELD
    elif facts.concrete_matter_directly_concerning is False:
        refusal = Refusal.NO_CONCRETE_MATTER
    elif not matches and not open_routes:
        refusal = Refusal.NOT_IN_GROUP
    if refusal is not None:
        return EligibilityResult(
            Status.NOT_ELIGIBLE, tuple(matches), (),
            _with_notes(_refusal_text(refusal, matches, facts), notes), facts, refusal, OTHER_HELP, notes,
            on_date,
        )
    if matches:
        text = " ".join(t for t in (_eligible_text(matches, facts), _gate_text(facts)) if t)
        return EligibilityResult(
            Status.ELIGIBLE, tuple(matches), tuple(gates_unknown), _with_notes(text, notes), facts,
            notes=notes, on_date=on_date,
        )
    missing = _missing(open_routes, values, facts)
    text = _need_more_text(open_routes, values, missing, facts)
    return EligibilityResult(
        Status.NEED_MORE_INFO, (), tuple(missing + gates_unknown), _with_notes(text, notes), facts,
        notes=notes, on_date=on_date,
    )


def _with_notes(text: str, notes: tuple[str, ...]) -> str:
    return " ".join((text, *notes))
