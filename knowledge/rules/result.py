"""Result types of :func:`knowledge.rules.eligibility.assess`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from knowledge.rules.citations import TGPL_ARTICLE_7, TGPL_ARTICLE_27, TGPL_ARTICLE_30, Citation
from knowledge.rules.facts import EligibilityFacts

__all__ = ["ClauseMatch", "EligibilityResult", "OtherHelp", "Refusal", "Status"]


class Status(Enum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEED_MORE_INFO = "need_more_info"


class Refusal(Enum):
    """Why the result is NOT_ELIGIBLE."""

    BUSINESS_FIELD = "business_field"  # Điều 27 khoản 1
    NO_CONCRETE_MATTER = "no_concrete_matter"  # Điều 30 khoản 1
    NOT_IN_GROUP = "not_in_group"  # no clause of Điều 7


@dataclass(frozen=True)
class ClauseMatch:
    """A clause of Điều 7 that applies, with its legal basis and the reason in plain words."""

    route: str
    clause: str
    point: str | None
    citations: tuple[Citation, ...]
    reason: str


@dataclass(frozen=True)
class OtherHelp:
    """Help to suggest when free legal aid is not available."""

    title: str
    description: str
    citation: Citation | None = None


@dataclass(frozen=True)
class EligibilityResult:
    status: Status
    matches: tuple[ClauseMatch, ...]
    missing: tuple[str, ...]
    explanation: str
    facts: EligibilityFacts
    refusal: Refusal | None = None
    other_help: tuple[OtherHelp, ...] = ()
    notes: tuple[str, ...] = ()  # from the amendment registry: amended clauses, laws not in the corpus
    on_date: date | None = None  # the day whose law was applied

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation of the matching clauses (or of the refusal), without duplicates."""
        found = [c for m in self.matches for c in m.citations]
        if self.refusal is Refusal.BUSINESS_FIELD:
            found.insert(0, TGPL_ARTICLE_27)
        elif self.refusal is Refusal.NO_CONCRETE_MATTER:
            found.insert(0, TGPL_ARTICLE_30)
        elif self.refusal is Refusal.NOT_IN_GROUP:
            found.insert(0, TGPL_ARTICLE_7)
        return tuple(dict.fromkeys(found))
