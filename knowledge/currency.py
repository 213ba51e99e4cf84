"""Is a cited text still law on the day asked? The amendment registry applied to citations.

A citation is the dict a search hit carries (``document_number``, ``article``, ``clause``...) or a
card's :class:`knowledge.cards.Citation`. :func:`status_note` gives the short Vietnamese status to
print after it ("" when the registry records nothing), :func:`is_current` whether it may be quoted
as current law.

>>> from datetime import date
>>> old = {"document_number": "62/2015/NĐ-CP", "article": "9"}
>>> is_current(old, date(2026, 12, 2)), is_current(old, date(2026, 6, 30))
(False, True)
>>> status_note(old, date(2026, 12, 2))
'hết hiệu lực từ 01/07/2026 (khoản 2 Điều 114 Nghị định số 152/2026/NĐ-CP)'
>>> status_note({"document_number": "11/2017/QH14", "article": "7", "clause": "2"}, date(2026, 12, 2))
''
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .rules.amendments import AmendmentRegistry, Provision, default_registry

__all__ = ["is_current", "provision_of", "status_note", "with_status"]


CitationLike = Mapping[str, Any] | Any  # a hit's citation dict or a card's Citation


def provision_of(citation: CitationLike) -> Provision:
    """The registry's view of a citation dict or a card citation object."""
    get = citation.get if isinstance(citation, Mapping) else (lambda key: getattr(citation, key, None))
    return Provision(
        str(get("document_number") or ""),
        str(get("article")) if get("article") else None,
        str(get("clause")) if get("clause") else None,
        str(get("point")) if get("point") else None,
    )


def is_current(citation: CitationLike, on_date: date, registry: AmendmentRegistry | None = None) -> bool:
    return (registry or default_registry()).in_force(provision_of(citation), on_date)


def status_note(citation: CitationLike, on_date: date, registry: AmendmentRegistry | None = None) -> str:
    return (registry or default_registry()).status(provision_of(citation), on_date).label()


def with_status(line: str, citation: CitationLike, on_date: date) -> str:
    """A formatted citation line followed by its status when the registry has one.

    >>> with_status("Điều 9 Nghị định số 62/2015/NĐ-CP", {"document_number": "62/2015/NĐ-CP"},
    ...             date(2026, 8, 1))  # doctest: +ELLIPSIS
    'Điều 9 Nghị định số 62/2015/NĐ-CP — hết hiệu lực từ 01/07/2026 (khoản 2 Điều 114 ...)'
    """
    note = status_note(citation, on_date)
    return f"{line} — {note}" if note else line
