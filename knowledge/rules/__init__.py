"""Pure rule engine for free legal aid (Luật Trợ giúp pháp lý 11/2017/QH14) and the poverty standard.

Standard library only, so it runs in both environments (Rasa on Python 3.10, api on 3.11).

* :mod:`knowledge.rules.eligibility` — ``assess(facts)``: Điều 7, 27, 30 and NĐ 144/2017 Điều 2.
* :mod:`knowledge.rules.questions` — ``next_question(result)``, ``GROUP_OPTIONS``, ``apply_answer``.
* :mod:`knowledge.rules.extract` — ``facts_from_text(text)`` from free Vietnamese text.
* :mod:`knowledge.rules.amounts` — ``parse_vnd``, ``parse_household_size``, ``parse_area``.
* :mod:`knowledge.rules.poverty` — ``standard_on``, ``check_income``, ``explain``.
"""

from knowledge.rules.amounts import format_vnd, parse_area, parse_household_size, parse_vnd
from knowledge.rules.citations import Citation
from knowledge.rules.eligibility import (
    GROUP_OPTIONS,
    ClauseMatch,
    EligibilityFacts,
    EligibilityResult,
    Option,
    Question,
    Refusal,
    Status,
    apply_answer,
    assess,
    facts_from_text,
    next_question,
)
from knowledge.rules.facts import AgeGroup
from knowledge.rules.poverty import (
    IncomeCategory,
    PovertyCheck,
    PovertyStandard,
    check_income,
    explain,
    standard_on,
)

__all__ = [
    "GROUP_OPTIONS",
    "AgeGroup",
    "Citation",
    "ClauseMatch",
    "EligibilityFacts",
    "EligibilityResult",
    "IncomeCategory",
    "Option",
    "PovertyCheck",
    "PovertyStandard",
    "Question",
    "Refusal",
    "Status",
    "apply_answer",
    "assess",
    "check_income",
    "explain",
    "facts_from_text",
    "format_vnd",
    "next_question",
    "parse_area",
    "parse_household_size",
    "parse_vnd",
    "standard_on",
]
