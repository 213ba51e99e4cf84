"""Pure rule engine for free legal aid (Luật Trợ giúp pháp lý 11/2017/QH14) and the poverty standard.

Standard library only, so it runs in both environments (Rasa on Python 3.10, api on 3.11).

* :mod:`knowledge.rules.eligibility` — ``assess(facts)``: Điều 7, 27, 30 and NĐ 144/2017 Điều 2.
* :mod:`knowledge.rules.questions` — ``next_question(result)``, ``GROUP_OPTIONS``, ``apply_answer``.
* :mod:`knowledge.rules.extract` — ``facts_from_text(text)`` from free Vietnamese text.
* :mod:`knowledge.rules.amounts` — ``parse_vnd``, ``parse_household_size``, ``parse_area``.
* :mod:`knowledge.rules.poverty` — ``standard_on``, ``check_income``, ``explain``.
"""
